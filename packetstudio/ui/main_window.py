"""The main window: clients on the left, one client in the middle, preview right."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QModelIndex,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from packetstudio import __version__
from packetstudio.queue import jobs
from packetstudio.queue.worker import job_threads
from packetstudio.store import backup
from packetstudio.store.clients import (
    ClientNotFound,
    ClientQuery,
    add_client,
    add_clients,
    get_client,
    matching_client_ids,
    update_intake,
)
from packetstudio.store.database import Database, describe
from packetstudio.store.packets import (
    PacketRecord,
    generated_packets,
    packet_pdf,
    packets_for_client,
)
from packetstudio.store.settings import job_keep_days
from packetstudio.ui.background import Background
from packetstudio.ui.backup_dialog import BackupDialog
from packetstudio.ui.client_model import CLIENT_ID_ROLE, ClientTableModel
from packetstudio.ui.client_panel import ClientPanel
from packetstudio.ui.labels import STATUS_WORDS, compact_rows
from packetstudio.ui.messages import show_error, show_info
from packetstudio.ui.preview import PreviewPanel
from packetstudio.ui.printing import print_pdfs
from packetstudio.ui.queue_panel import QueuePanel
from packetstudio.ui.runner import QueueRunner
from packetstudio.ui.settings_dialog import SettingsDialog
from packetstudio.vocabulary import ClientType

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150
SAMPLE_CLIENTS = 20


class MainWindow(QMainWindow):
    """The one window staff use all day.

    Signals:
        client_shown(client_id): the middle panel now shows this client
            (0 for none).
        threads_changed(count): the settings changed this desk's worker
            threads (the app resizes its render processes to match).
        restored(): the database was restored from a backup.
    """

    client_shown = Signal(int)
    threads_changed = Signal(int)
    restored = Signal()

    def __init__(self, db: Database, runner: QueueRunner, settings: QSettings) -> None:
        super().__init__()
        self.db = db
        self.runner = runner
        self.settings = settings
        self.setWindowTitle("PacketStudio")
        self.setObjectName("main_window")
        self._build_client_list()
        self.client_panel = ClientPanel()
        self.preview = PreviewPanel()
        self.queue_panel = QueuePanel(db)
        self.background = Background(self)
        self._job_clients: dict[int, int] = {}
        self._dirty_clients: set[int] = set()
        self._dirty_timer = QTimer(self)
        self._dirty_timer.setSingleShot(True)
        self._dirty_timer.setInterval(250)
        self._dirty_timer.timeout.connect(self._refresh_dirty)
        self._build_layout()
        self._build_actions()
        self._connect()
        self._restore_state()
        self.statusBar().showMessage(f"Database: {describe(db.url)}")

    # -- building ----------------------------------------------------------

    def _build_client_list(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search clients... (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search clients by name, email or phone")
        self.type_filter = QComboBox()
        self.type_filter.setObjectName("type_filter")
        self.type_filter.setAccessibleName("Filter by client type")
        self.type_filter.addItem("All client types", None)
        for client_type in ClientType:
            self.type_filter.addItem(client_type.value.capitalize(), client_type.value)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.setAccessibleName("Filter by packet status")
        self.status_filter.addItem("Any packet status", None)
        for status, words in STATUS_WORDS.items():
            if status != "new":
                self.status_filter.addItem(words, status)
        self.client_model = ClientTableModel(self.db, self)
        self.client_view = QTableView()
        self.client_view.setObjectName("client_table")
        self.client_view.setAccessibleName("Clients")
        self.client_view.setModel(self.client_model)
        # The indicator first: turning sorting on sorts by it, and by the
        # header's default (descending) that would read 50,000 clients twice.
        self.client_view.horizontalHeader().setSortIndicator(
            0, Qt.SortOrder.AscendingOrder
        )
        self.client_view.setSortingEnabled(True)
        self.client_view.setSelectionBehavior(
            QAbstractItemView.SelectionBehavior.SelectRows
        )
        self.client_view.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
        )
        compact_rows(self.client_view)
        header = self.client_view.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((170, 90, 110, 90)):
            header.resizeSection(column, width)
        self.client_count = QLabel("")
        self.client_count.setObjectName("client_count")
        self.new_button = QPushButton("+ &New")
        self.new_button.setObjectName("new_client")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

    def _client_list_widget(self) -> QWidget:
        widget = QWidget()
        header = QHBoxLayout()
        title = QLabel("Clients")
        title.setStyleSheet("font-weight: 600;")
        header.addWidget(title, 1)
        header.addWidget(self.new_button)
        filters = QHBoxLayout()
        filters.addWidget(self.type_filter)
        filters.addWidget(self.status_filter)
        layout = QVBoxLayout(widget)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.client_view, 1)
        layout.addWidget(self.client_count)
        return widget

    def _build_layout(self) -> None:
        self.columns = QSplitter(Qt.Orientation.Horizontal)
        self.columns.setObjectName("columns")
        self.columns.addWidget(self._client_list_widget())
        self.columns.addWidget(self.client_panel)
        self.columns.addWidget(self.preview)
        self.columns.setStretchFactor(0, 3)
        self.columns.setStretchFactor(1, 3)
        self.columns.setStretchFactor(2, 4)
        self.rows = QSplitter(Qt.Orientation.Vertical)
        self.rows.setObjectName("rows")
        self.rows.addWidget(self.columns)
        self.rows.addWidget(self.queue_panel)
        self.rows.setStretchFactor(0, 4)
        self.rows.setStretchFactor(1, 1)
        self.rows.setSizes([520, 200])
        self.columns.setSizes([400, 420, 546])
        self.setCentralWidget(self.rows)

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        std = QKeySequence.StandardKey
        self.new_action = self._action("&New client...", self.new_client, std.New)
        self.edit_action = self._action(
            "&Edit client...", self.edit_client, "Ctrl+Shift+E"
        )
        self.search_action = self._action(
            "&Search clients", self.focus_search, std.Find
        )
        self.samples_action = self._action("Load &sample clients", self.load_samples)
        self.import_action = self._action("&Import from CSV...", self.import_clients)
        self.export_csv_action = self._action("E&xport to CSV...", self.export_clients)
        self.generate_action = self._action(
            "&Generate selected packets", self.generate_selected, "Ctrl+G"
        )
        self.generate_all_action = self._action(
            "Generate for selected &clients", self.generate_for_selected_clients
        )
        self.generate_list_action = self._action(
            "Generate for every client in the &list",
            self.generate_for_listed_clients,
        )
        self.export_action = self._action(
            "&Export PDF...", self.export_selected, "Ctrl+E"
        )
        self.print_action = self._action("&Print...", self.print_selected, std.Print)
        self.refresh_action = self._action("&Refresh", self.refresh, std.Refresh)
        self.imperial_action = QAction("&Imperial units in the intake form", self)
        self.imperial_action.setCheckable(True)
        self.imperial_action.setChecked(self._units() == "imperial")
        self.imperial_action.toggled.connect(self._set_imperial)
        self.quit_action = self._action("&Quit", self.close, std.Quit)
        self.about_action = self._action("&About PacketStudio", self.show_about)
        self.retry_action = self._action(
            "Retry failed &jobs", self.queue_panel._retry_all
        )
        self.regenerate_action = self._action(
            "Re&generate every packet", self.regenerate_packets
        )
        self.settings_action = self._action(
            "&Settings...", self.show_settings, std.Preferences
        )
        self.templates_action = self._action("&Templates...", self.show_templates)
        self.backups_action = self._action("&Backups...", self.show_backups)

        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        for action in (self.export_action, self.print_action):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        clients = menus.addMenu("&Clients")
        for action in (self.new_action, self.edit_action, self.search_action):
            clients.addAction(action)
        clients.addSeparator()
        clients.addAction(self.import_action)
        clients.addAction(self.export_csv_action)
        clients.addSeparator()
        clients.addAction(self.samples_action)
        packets = menus.addMenu("&Packets")
        for action in (
            self.generate_action,
            self.generate_all_action,
            self.generate_list_action,
            self.retry_action,
            self.regenerate_action,
        ):
            packets.addAction(action)
        tools = menus.addMenu("&Tools")
        for action in (self.settings_action, self.templates_action):
            tools.addAction(action)
        tools.addSeparator()
        tools.addAction(self.backups_action)
        view = menus.addMenu("&View")
        view.addAction(self.refresh_action)
        view.addAction(self.imperial_action)
        menus.addMenu("&Help").addAction(self.about_action)

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        for action in (
            self.new_action,
            self.edit_action,
            self.generate_action,
            self.export_action,
            self.print_action,
            self.refresh_action,
        ):
            toolbar.addAction(action)

    def _connect(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.apply_search)
        self.type_filter.currentIndexChanged.connect(self.apply_search)
        self.status_filter.currentIndexChanged.connect(self.apply_search)
        self.client_model.total_changed.connect(self._show_total)
        self.client_view.selectionModel().currentRowChanged.connect(
            self._client_changed
        )
        self.new_button.clicked.connect(self.new_client)
        self.client_panel.edit_requested.connect(self.edit_client)
        self.client_panel.generate_requested.connect(self.generate)
        self.client_panel.packet_selected.connect(self._packet_changed)
        self.client_panel.export_requested.connect(self.export_selected)
        self.client_panel.print_requested.connect(self.print_selected)
        self.preview.retry_requested.connect(self._retry_packet)
        self.preview.print_requested.connect(self.print_previewed)
        self.preview.export_requested.connect(self.export_previewed)
        self.queue_panel.queue_changed.connect(self.runner.wake)
        self.queue_panel.open_packet.connect(self.open_packet)
        self.runner.job_started.connect(self._job_changed)
        self.runner.job_finished.connect(self._job_finished)
        self.runner.job_started.connect(self.queue_panel.refresh_soon)
        self.runner.job_finished.connect(self.queue_panel.refresh_soon)
        self.runner.problem.connect(self._queue_problem)

    # -- window state ------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        for key, splitter in (("main/columns", self.columns), ("main/rows", self.rows)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)
        header = self.settings.value("main/client_header")
        if isinstance(header, QByteArray):
            self.client_view.horizontalHeader().restoreState(header)

    def save_state(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/columns", self.columns.saveState())
        self.settings.setValue("main/rows", self.rows.saveState())
        self.settings.setValue(
            "main/client_header", self.client_view.horizontalHeader().saveState()
        )
        self.settings.sync()

    def closeEvent(self, event: object) -> None:
        self.save_state()
        self.queue_panel.stop()
        self.background.stop()
        super().closeEvent(event)  # type: ignore[arg-type]

    # -- clients -----------------------------------------------------------

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot()
    def apply_search(self) -> None:
        query = ClientQuery(
            text=self.search.text(),
            client_type=self.type_filter.currentData(),
            packet_status=self.status_filter.currentData(),
            sort=self.client_model.query.sort,
            descending=self.client_model.query.descending,
        )
        self.client_model.set_query(query)

    @Slot(int)
    def _show_total(self, total: int) -> None:
        noun = "client" if total == 1 else "clients"
        self.client_count.setText(f"{total:,} {noun}")

    def selected_client_ids(self) -> list[int]:
        rows = self.client_view.selectionModel().selectedRows()
        return [int(index.data(CLIENT_ID_ROLE)) for index in rows]

    def select_client(self, client_id: int) -> bool:
        """Make ``client_id`` current in the list, if it is loaded; True if so."""
        row = self.client_model.row_of(client_id)
        if row is None:
            return False
        self.client_view.selectRow(row)
        self.client_view.scrollTo(self.client_model.index(row, 0))
        return True

    @Slot()
    def _client_changed(self) -> None:
        index = self.client_view.currentIndex()
        client_id = (
            self.client_model.client_id(index.row()) if index.isValid() else None
        )
        self.show_client(client_id)

    def show_client(self, client_id: int | None) -> None:
        if client_id is None:
            self.client_panel.show_client(None, [])
            self.preview.show_nothing()
            self.client_shown.emit(0)
            return
        try:
            client = get_client(self.db, client_id)
        except ClientNotFound:
            self.client_model.reload()
            return
        self.client_panel.show_client(client, packets_for_client(self.db, client_id))
        if self.client_panel.current_type() is None:
            self.client_panel.select_first_packet()
        self._show_preview(self.client_panel.current_type())
        self.client_shown.emit(client_id)

    def _units(self) -> str:
        return str(self.settings.value("units", "metric"))

    @Slot(bool)
    def _set_imperial(self, imperial: bool) -> None:
        self.settings.setValue("units", "imperial" if imperial else "metric")

    @Slot()
    def new_client(self) -> None:
        from packetstudio.ui.intake_form import IntakeDialog

        added: list[int] = []
        dialog = IntakeDialog(
            self,
            units=self._units(),
            store=lambda intake: added.append(add_client(self.db, intake)),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or not added:
            return
        log.info("Added client %s", added[0])
        self._after_save(added[0], [t.value for t in dialog.selected_packet_types()])

    @Slot()
    def edit_client(self) -> None:
        from packetstudio.ui.intake_form import IntakeDialog

        client = self.client_panel.client
        if client is None:
            return
        versions: list[int] = []
        dialog = IntakeDialog(
            self,
            intake=client.intake,
            units=self._units(),
            store=lambda intake: versions.append(
                update_intake(self.db, client.id, intake)
            ),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or not versions:
            return
        log.info("Client %s saved as intake version %s", client.id, versions[0])
        self._after_save(client.id, [t.value for t in dialog.selected_packet_types()])

    def _after_save(self, client_id: int, packet_types: list[str]) -> None:
        self.client_model.reload()
        self.select_client(client_id)
        if packet_types:
            self.generate(client_id, packet_types)
        self.show_client(client_id)

    @Slot()
    def load_samples(self) -> None:
        from packetstudio.demo import demo_intakes
        from packetstudio.intake import parse_intake

        intakes = [parse_intake(raw) for raw in demo_intakes(SAMPLE_CLIENTS, seed=1)]
        add_clients(self.db, intakes)
        self.client_model.reload()
        self.statusBar().showMessage(f"Added {len(intakes)} sample clients", 5000)

    @Slot()
    def import_clients(self) -> None:
        """Bring in clients from an online form's CSV export."""
        from packetstudio.ui.import_wizard import import_clients_csv

        if import_clients_csv(self, self.db, self.settings) is not None:
            self.client_model.reload()

    @Slot()
    def export_clients(self) -> None:
        from packetstudio.ui.import_wizard import export_clients_csv

        written = export_clients_csv(self, self.db, self.settings)
        if written is not None:
            self.statusBar().showMessage(f"Exported the clients to {written}", 8000)

    def offer_samples(self) -> None:
        """On an empty database, offer sample clients so newcomers see it work."""
        if self.client_model.total:
            return
        answer = QMessageBox.question(
            self,
            "Welcome to PacketStudio",
            "There are no clients yet. Load 20 sample clients to try PacketStudio?\n\n"
            "You can delete them later.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.load_samples()

    # -- packets -----------------------------------------------------------

    @Slot(int, list)
    def generate(self, client_id: int, packet_types: list[str]) -> None:
        """Queue the given packet types for one client."""
        requests = [(client_id, t) for t in packet_types]
        self._queue(requests, f"Queued {len(requests)} packets")

    @Slot()
    def generate_selected(self) -> None:
        client = self.client_panel.client
        if client is not None and self.client_panel.ticked_types():
            self.generate(client.id, self.client_panel.ticked_types())

    @Slot()
    def generate_for_selected_clients(self) -> None:
        """Queue every packet type that applies, for every selected client.

        The list loads its rows a page at a time, so a selection of every
        loaded row while more are still to come (Ctrl+A) means every client
        the list stands for: all that match the search and filters.
        """
        ids = self.selected_client_ids()
        if not ids:
            return
        model = self.client_model
        if len(ids) == model.rowCount() and model.canFetchMore(QModelIndex()):
            self.generate_for_listed_clients()
            return
        self._plan_and_queue(lambda: ids)

    @Slot()
    def generate_for_listed_clients(self) -> None:
        """Queue every packet type that applies, for every client in the list."""
        query = self.client_model.query
        self._plan_and_queue(lambda: matching_client_ids(self.db, query))

    def _plan_and_queue(self, which: Callable[[], list[int]]) -> None:
        """Find the clients, plan and queue their packets off the GUI thread."""

        def plan_and_queue() -> tuple[int, int]:
            # The generators load with the first batch, not with the window.
            from packetstudio.queue.plan import plan_packets

            ids = which()
            plan = plan_packets(self.db, ids, "all") if ids else None
            queued = jobs.enqueue(self.db, plan.requests) if plan else []
            return len(queued), len(ids)

        def done(counts: tuple[int, int]) -> None:
            packets, clients = counts
            noun = "client" if clients == 1 else "clients"
            self._queued(f"Queued {packets:,} packets for {clients:,} {noun}")

        self.background.run(
            plan_and_queue,
            done,
            lambda exc: show_error(self, "Could not queue the packets", exc),
        )

    def _queue(self, requests: list[tuple[int, str]], message: str) -> None:
        """Queue packets off the GUI thread (a batch can be large)."""
        self.background.run(
            lambda: jobs.enqueue(self.db, requests),
            lambda _ids: self._queued(message),
            lambda exc: show_error(self, "Could not queue the packets", exc),
        )

    def _queued(self, message: str) -> None:
        self.statusBar().showMessage(message, 5000)
        self.runner.wake()
        self.queue_panel.refresh_soon()
        self.client_model.reload()
        shown = self.client_panel.client
        if shown is not None:
            self._mark_dirty(shown.id)

    @Slot(str)
    def _packet_changed(self, packet_type: str) -> None:
        self._show_preview(packet_type or None)

    def _show_preview(self, packet_type: str | None) -> None:
        packet = self.client_panel.packets.get(packet_type or "")
        if packet is None:
            self.preview.show_nothing(
                "No packet of this type yet. Tick it and press Generate."
                if self.client_panel.client is not None
                else "Select a client and a packet to see it here."
            )
            return
        pdf = packet_pdf(self.db, packet.id) if packet.has_pdf else None
        self.preview.show_packet(packet, pdf)

    @Slot(int, str)
    def open_packet(self, client_id: int, packet_type: str) -> None:
        if not self.select_client(client_id):
            self.show_client(client_id)
        self.client_panel.select_type(packet_type)

    @Slot(int)
    def _retry_packet(self, packet_id: int) -> None:
        packet = self.preview.packet
        if packet is not None and packet.id == packet_id:
            self.generate(packet.client_id, [packet.packet_type])

    def refresh_client(self, client_id: int) -> None:
        """Show fresh statuses for a client whose packets changed."""
        self.client_model.refresh_client(client_id)
        shown = self.client_panel.client
        if shown is None or shown.id != client_id:
            return
        current = self.client_panel.current_type()
        before = self.client_panel.packets.get(current or "")
        self.client_panel.show_client(shown, packets_for_client(self.db, client_id))
        # Reloading a PDF costs the GUI thread; only when the packet changed.
        if self.client_panel.packets.get(current or "") != before:
            self._show_preview(current)

    def _mark_dirty(self, client_id: int) -> None:
        """Refresh this client soon; many jobs ending at once cost one refresh."""
        self._dirty_clients.add(client_id)
        if not self._dirty_timer.isActive():
            self._dirty_timer.start()

    @Slot()
    def _refresh_dirty(self) -> None:
        dirty, self._dirty_clients = self._dirty_clients, set()
        for client_id in dirty:
            self.refresh_client(client_id)

    @Slot(int, int, str, int)
    def _job_changed(self, job_id: int, client_id: int, *_rest: object) -> None:
        self._job_clients[job_id] = client_id
        self._mark_dirty(client_id)

    @Slot(int, str)
    def _job_finished(self, job_id: int, status: str) -> None:
        client_id = self._job_clients.pop(job_id, None)
        if client_id is not None:
            self._mark_dirty(client_id)
        if status != "failed":
            return
        record = jobs.get(self.db, job_id)
        if record is not None:
            self.statusBar().showMessage(
                f"{record.client_name}: {record.packet_type} packet failed: "
                f"{record.last_error_message}",
                10_000,
            )

    @Slot(str)
    def _queue_problem(self, message: str) -> None:
        self.statusBar().showMessage(f"Queue problem: {message}", 10_000)

    @Slot()
    def refresh(self) -> None:
        self.client_model.reload()
        self.queue_panel.refresh()
        shown = self.client_panel.client
        if shown is not None:
            self.show_client(shown.id)

    # -- export and print --------------------------------------------------

    def _pdfs(self, packets: list[PacketRecord]) -> list[tuple[PacketRecord, bytes]]:
        pairs = []
        for packet in packets:
            pdf = packet_pdf(self.db, packet.id)
            if pdf:
                pairs.append((packet, pdf))
        return pairs

    @Slot()
    def export_selected(self) -> None:
        self._export(self.client_panel.ticked_ready_packets())

    @Slot()
    def export_previewed(self) -> None:
        if self.preview.packet is not None:
            self._export([self.preview.packet])

    def _export(self, packets: list[PacketRecord]) -> None:
        from packetstudio.export import FileExists, export_packets

        if not packets:
            show_info(self, "Export", "Tick a packet that is ready to export it.")
            return
        start = str(self.settings.value("export/folder", str(Path.home())))
        folder = QFileDialog.getExistingDirectory(
            self, "Export packets to folder", start
        )
        if not folder:
            return
        self.settings.setValue("export/folder", folder)
        ids = [p.id for p in packets]
        try:
            try:
                written = export_packets(self.db, ids, Path(folder))
            except FileExists as exc:
                if not self._confirm_overwrite(str(exc)):
                    return
                written = export_packets(self.db, ids, Path(folder), force=True)
        except Exception as exc:  # shown to the user, with details for bugs
            show_error(self, "Export failed", exc)
            return
        self.statusBar().showMessage(
            f"Exported {len(written)} PDF files to {folder}", 8000
        )

    def _confirm_overwrite(self, problem: str) -> bool:
        answer = QMessageBox.question(
            self,
            "Replace existing files?",
            f"{problem}\n\nReplace the existing files with these packets?",
        )
        return answer == QMessageBox.StandardButton.Yes

    @Slot()
    def print_selected(self) -> None:
        self._print(self.client_panel.ticked_ready_packets())

    @Slot()
    def print_previewed(self) -> None:
        if self.preview.packet is not None:
            self._print([self.preview.packet])

    def _print(self, packets: list[PacketRecord]) -> None:
        pairs = self._pdfs(packets)
        if not pairs:
            show_info(self, "Print", "Tick a packet that is ready to print it.")
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer, [pdf for _, pdf in pairs])

    def print_to(self, printer: QPrinter, pdfs: list[bytes]) -> int:
        """Print PDFs on an already set-up printer; return the pages printed."""
        try:
            pages = print_pdfs(pdfs, printer)
        except Exception as exc:  # shown to the user, with details for bugs
            show_error(self, "Printing failed", exc)
            return 0
        self.statusBar().showMessage(f"Sent {pages} pages to the printer", 8000)
        return pages

    # -- tools -------------------------------------------------------------

    @Slot()
    def show_settings(self) -> SettingsDialog:
        """Open the settings; what is saved applies to the next packet."""
        dialog = SettingsDialog(self.db, self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.threads_changed.connect(self._set_threads)
        dialog.units_changed.connect(
            lambda units: self.imperial_action.setChecked(units == "imperial")
        )
        dialog.regenerate_requested.connect(self.regenerate_packets)
        dialog.accepted.connect(self._settings_saved)
        dialog.open()
        return dialog

    def _settings_saved(self) -> None:
        self.statusBar().showMessage(
            "Settings saved; the next packets made use them", 8000
        )
        self.clean_up_jobs()

    @Slot(int)
    def _set_threads(self, count: int) -> None:
        # The app's render pool follows (threads_changed): one process each.
        self.runner.set_threads(job_threads(count, count))
        self.threads_changed.emit(count)

    @Slot()
    def regenerate_packets(self) -> None:
        """Queue every packet made so far again, with today's settings."""
        self._queue_all(
            lambda: generated_packets(self.db), "to make again with the new settings"
        )

    def _queue_all(self, which: Callable[[], list[tuple[int, str]]], why: str) -> None:
        def queue() -> int:
            return len(jobs.enqueue(self.db, which()))

        self.background.run(
            queue,
            lambda count: self._queued(f"Queued {count:,} packets {why}"),
            lambda exc: show_error(self, "Could not queue the packets", exc),
        )

    @Slot()
    def clean_up_jobs(self) -> None:
        """Forget finished jobs older than the kept number of days."""

        def clean() -> int:
            return jobs.cleanup(self.db, timedelta(days=job_keep_days(self.db)))

        def done(count: int) -> None:
            if count:
                log.info("Removed %s old finished job records", count)
                self.queue_panel.refresh_soon()

        self.background.run(clean, done, lambda exc: log.warning("%s", exc))

    @Slot()
    def show_templates(self) -> QDialog:
        """Open the template editor (one at a time)."""
        from packetstudio.ui.template_editor import open_template_editor

        return open_template_editor(self, self.db)

    @Slot()
    def show_backups(self) -> BackupDialog:
        """Open the backups dialog."""
        dialog = BackupDialog(self.db, self.restore_backup, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def restore_backup(self, path: Path) -> Path:
        """Replace the database with the backup at ``path``; return the safety copy.

        The queue is paused and every connection closed first, so nothing
        writes during the copy; then the restored database is migrated (an
        older backup may predate this version) and everything is read again.
        """
        database = backup.database_file(self.db.url)
        self.runner.pause()
        self.queue_panel.stop()
        self.background.wait()
        self.db.close()
        try:
            safety = backup.restore_backup(database, path)
            Database.open(self.db.url).close()  # migrates an older backup
        finally:
            self.db.close()  # connections opened since see the restored file
            self.runner.resume()
            self.queue_panel.start()
            self.refresh()
        log.info("Restored the database from %s", path)
        self.restored.emit()
        return safety

    # -- help --------------------------------------------------------------

    @Slot()
    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About PacketStudio",
            f"<h3>PacketStudio {__version__}</h3>"
            "<p>Personalised client handouts for gyms.</p>"
            "<p>Released under the MIT licence. Handouts use the DejaVu fonts "
            "(Bitstream Vera licence).</p>"
            "<p>The numbers in each handout come from the formulas and guidelines "
            "it cites; they are general guidance, not medical advice.</p>",
        )
