"""The middle of the main window: one client's details and packets."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from packetstudio.store.clients import ClientRecord
from packetstudio.store.packets import PacketRecord
from packetstudio.ui.labels import compact_rows, error_colour, status_text, value_text
from packetstudio.vocabulary import PacketType

PACKET_HEADERS = ["Packet", "Status", "Attempt", "Pages", "Updated"]


class ClientPanel(QWidget):
    """Shows the selected client and a row per packet type.

    Each row has a checkbox to pick it for generating, export or print; a
    packet type that does not apply to the client is greyed out, with the
    reason as its tooltip.

    Signals:
        edit_requested(client_id)
        generate_requested(client_id, packet_types): generate the ticked ones.
        packet_selected(packet_type): a packet row became current ("" for none).
        export_requested(): export the ticked packets that are ready.
        print_requested(): print the ticked packets that are ready.
    """

    edit_requested = Signal(int)
    generate_requested = Signal(int, list)
    packet_selected = Signal(str)
    export_requested = Signal()
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client: ClientRecord | None = None
        self.packets: dict[str, PacketRecord] = {}
        self.name_label = QLabel("No client selected")
        self.name_label.setObjectName("client_name")
        self.name_label.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.summary_label = QLabel("")
        self.summary_label.setObjectName("client_summary")
        self.summary_label.setWordWrap(True)
        self.edit_button = QPushButton("&Edit...")
        self.edit_button.setObjectName("edit_client")
        self.table = QTableWidget(len(PacketType), len(PACKET_HEADERS))
        self.table.setObjectName("packet_table")
        self.table.setAccessibleName("Packets")
        self.table.setHorizontalHeaderLabels(PACKET_HEADERS)
        compact_rows(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.generate_button = QPushButton("&Generate selected")
        self.generate_button.setObjectName("generate_selected")
        self.export_button = QPushButton("E&xport selected...")
        self.export_button.setObjectName("export_selected")
        self.print_button = QPushButton("Print selected...")
        self.print_button.setObjectName("print_selected")
        self._lay_out()
        self._connect()
        self.show_client(None, [])

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.name_label, 1)
        header.addWidget(self.edit_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.generate_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.summary_label)
        packets_label = QLabel("&Packets")
        packets_label.setBuddy(self.table)
        layout.addWidget(packets_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _connect(self) -> None:
        self.edit_button.clicked.connect(self._edit)
        self.generate_button.clicked.connect(self._generate)
        self.export_button.clicked.connect(self.export_requested)
        self.print_button.clicked.connect(self.print_requested)
        self.table.currentCellChanged.connect(self._current_changed)
        self.table.itemChanged.connect(self._update_buttons)

    # -- showing a client --------------------------------------------------

    def show_client(
        self, client: ClientRecord | None, packets: list[PacketRecord]
    ) -> None:
        """Show ``client`` with their packets; keep ticks if it is the same client."""
        same = (
            client is not None
            and self.client is not None
            and client.id == self.client.id
        )
        ticked = self.ticked_types() if same else None
        current = self.current_type() if same else None
        self.client = client
        self.packets = {p.packet_type: p for p in packets}
        self._fill_header()
        self.table.blockSignals(True)
        for row, packet_type in enumerate(PacketType):
            self._fill_row(row, packet_type, ticked)
        self.table.blockSignals(False)
        if current is not None:
            self.table.setCurrentCell(list(PacketType).index(PacketType(current)), 0)
        self._update_buttons()

    def _fill_header(self) -> None:
        if self.client is None:
            self.name_label.setText("No client selected")
            self.summary_label.setText(
                "Choose a client on the left, or add one with New."
            )
            return
        intake = self.client.intake
        age = intake.age_on(date.today())
        self.name_label.setText(self.client.full_name)
        self.summary_label.setText(
            f"{value_text(intake.client_type.value)} - {value_text(intake.goal.value)}"
            f" - {age} years - intake version {self.client.intake_version}"
        )

    def _fill_row(
        self, row: int, packet_type: PacketType, ticked: list[str] | None
    ) -> None:
        packet = self.packets.get(packet_type.value)
        name = QTableWidgetItem(value_text(packet_type.value))
        reason = self._not_applicable(packet_type)
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
        if reason is None:
            flags |= Qt.ItemFlag.ItemIsEnabled
        name.setFlags(flags)
        name.setToolTip(reason or "")
        name.setCheckState(self._tick(packet_type, reason, ticked))
        self.table.setItem(row, 0, name)
        status = packet.status if packet else None
        cells = [
            status_text(status) if packet else "-",
            f"{packet.attempts}" if packet and packet.attempts else "-",
            f"{packet.page_count}" if packet and packet.page_count else "-",
            packet.updated_at.astimezone().strftime("%d %b %H:%M") if packet else "-",
        ]
        for column, text in enumerate(cells, start=1):
            item = QTableWidgetItem(text)
            if status == "failed":
                item.setForeground(error_colour())
                item.setToolTip(packet.error_message or "" if packet else "")
            self.table.setItem(row, column, item)

    def _tick(
        self, packet_type: PacketType, reason: str | None, ticked: list[str] | None
    ) -> Qt.CheckState:
        if reason is not None or self.client is None:
            return Qt.CheckState.Unchecked
        if ticked is not None:
            chosen = packet_type.value in ticked
        else:
            from packetstudio.generators.eligibility import suggested_types

            chosen = packet_type in suggested_types(self.client.intake, date.today())
        return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked

    def _not_applicable(self, packet_type: PacketType) -> str | None:
        if self.client is None:
            return "No client selected"
        # The generators load when a client is first shown, not with the window.
        from packetstudio.generators.base import NotApplicable
        from packetstudio.generators.eligibility import check

        try:
            check(packet_type, self.client.intake, date.today())
        except NotApplicable as exc:
            return str(exc)
        return None

    # -- what the user picked ----------------------------------------------

    def ticked_types(self) -> list[str]:
        return [
            packet_type.value
            for row, packet_type in enumerate(PacketType)
            if (item := self.table.item(row, 0)) is not None
            and item.checkState() == Qt.CheckState.Checked
        ]

    def ticked_ready_packets(self) -> list[PacketRecord]:
        return [
            self.packets[t]
            for t in self.ticked_types()
            if t in self.packets and self.packets[t].has_pdf
        ]

    def ready_packets(self) -> list[PacketRecord]:
        return [p for p in self.packets.values() if p.has_pdf]

    def current_type(self) -> str | None:
        row = self.table.currentRow()
        return list(PacketType)[row].value if 0 <= row < len(PacketType) else None

    def select_first_packet(self) -> None:
        """Make the first packet that exists current, if any."""
        for row, packet_type in enumerate(PacketType):
            if packet_type.value in self.packets:
                self.table.setCurrentCell(row, 0)
                return

    def select_type(self, packet_type: str) -> None:
        self.table.setCurrentCell(list(PacketType).index(PacketType(packet_type)), 0)

    @Slot()
    def _update_buttons(self) -> None:
        has_client = self.client is not None
        self.edit_button.setEnabled(has_client)
        self.generate_button.setEnabled(has_client and bool(self.ticked_types()))
        ready = bool(self.ticked_ready_packets())
        self.export_button.setEnabled(ready)
        self.print_button.setEnabled(ready)

    @Slot(int, int, int, int)
    def _current_changed(
        self, row: int, _col: int, _old_row: int, _old_col: int
    ) -> None:
        self.packet_selected.emit(list(PacketType)[row].value if row >= 0 else "")

    @Slot()
    def _edit(self) -> None:
        if self.client is not None:
            self.edit_requested.emit(self.client.id)

    @Slot()
    def _generate(self) -> None:
        if self.client is not None:
            self.generate_requested.emit(self.client.id, self.ticked_types())
