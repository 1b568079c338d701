"""The packet preview: the real PDF, or the packet's state while it has none."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal, Slot
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from packetstudio.store.packets import PacketRecord
from packetstudio.ui.labels import status_text, value_text

ZOOMS = [
    ("Fit width", 0.0),
    ("50 %", 0.5),
    ("75 %", 0.75),
    ("100 %", 1.0),
    ("150 %", 1.5),
]


class PreviewPanel(QWidget):
    """Shows the selected packet's PDF with page navigation and zoom.

    A packet without a PDF shows its state instead: waiting or generating,
    or the error of a failed packet with a Retry button.

    Signals:
        retry_requested(packet_id): the user asked to generate it again.
        print_requested(): print the packet shown.
        export_requested(): save the packet shown as a PDF file.
    """

    retry_requested = Signal(int)
    print_requested = Signal()
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        self._buffer: QBuffer | None = None
        self._packet: PacketRecord | None = None

        self.title = QLabel("Preview")
        self.title.setObjectName("preview_title")
        self.title.setStyleSheet("font-weight: 600;")
        self.previous_button = self._tool("<", "Previous page (Page Up)")
        self.next_button = self._tool(">", "Next page (Page Down)")
        self.page_label = QLabel("")
        self.page_label.setObjectName("page_label")
        self.zoom = QComboBox()
        self.zoom.setObjectName("zoom")
        self.zoom.setAccessibleName("Zoom")
        for text, factor in ZOOMS:
            self.zoom.addItem(text, factor)

        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.message = QLabel("Select a client and a packet to see it here.")
        self.message.setObjectName("preview_message")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retry_button = QPushButton("&Retry")
        self.retry_button.setObjectName("preview_retry")
        self.retry_button.hide()

        self.print_button = QPushButton("&Print...")
        self.print_button.setObjectName("preview_print")
        self.export_button = QPushButton("E&xport PDF...")
        self.export_button.setObjectName("preview_export")

        self.stack = QStackedWidget()
        self.stack.addWidget(self._message_page())
        self.stack.addWidget(self.view)
        self._lay_out()
        self._connect()
        self._update_controls()

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    def _message_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch()
        layout.addWidget(self.message)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        return page

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.previous_button)
        top.addWidget(self.page_label)
        top.addWidget(self.next_button)
        top.addWidget(self.zoom)
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

    def _connect(self) -> None:
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.next_button.clicked.connect(lambda: self._step(1))
        self.zoom.currentIndexChanged.connect(self._zoom_changed)
        self.view.pageNavigator().currentPageChanged.connect(self._update_controls)
        self.retry_button.clicked.connect(self._retry)
        self.print_button.clicked.connect(self.print_requested)
        self.export_button.clicked.connect(self.export_requested)

    # -- what is shown -----------------------------------------------------

    @property
    def packet(self) -> PacketRecord | None:
        return self._packet

    @property
    def page_count(self) -> int:
        return (
            self.document.pageCount() if self.stack.currentWidget() is self.view else 0
        )

    def show_nothing(
        self, text: str = "Select a client and a packet to see it here."
    ) -> None:
        self._packet = None
        self._close_document()
        self.title.setText("Preview")
        self._show_message(text, retry=False)

    def show_packet(self, packet: PacketRecord, pdf: bytes | None) -> None:
        """Show ``packet``: its PDF when it has one, else its state."""
        self._packet = packet
        self.title.setText(f"Preview: {value_text(packet.packet_type)}")
        if pdf:
            self._load(pdf)
            return
        self._close_document()
        if packet.status == "failed":
            self._show_message(
                f"This packet could not be generated:\n\n{packet.error_message}",
                retry=True,
            )
        elif packet.status in ("queued", "running"):
            self._show_message(f"{status_text(packet.status)}...", retry=False)
        else:
            self._show_message(
                f"{status_text(packet.status)}. Generate it to see a preview.",
                retry=False,
            )

    def _load(self, pdf: bytes) -> None:
        self._close_document()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.stack.setCurrentWidget(self.view)
        self.retry_button.hide()
        self._update_controls()

    def _close_document(self) -> None:
        self.document.close()
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.deleteLater()
            self._buffer = None

    def _show_message(self, text: str, *, retry: bool) -> None:
        self.message.setText(text)
        self.retry_button.setVisible(retry)
        self.stack.setCurrentIndex(0)
        self._update_controls()

    # -- navigation --------------------------------------------------------

    def _step(self, delta: int) -> None:
        navigator = self.view.pageNavigator()
        page = navigator.currentPage() + delta
        if 0 <= page < self.document.pageCount():
            navigator.jump(page, navigator.currentLocation(), navigator.currentZoom())

    @Slot(int)
    def _zoom_changed(self, index: int) -> None:
        factor = self.zoom.itemData(index)
        if not factor:
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(float(factor))

    @Slot()
    def _update_controls(self) -> None:
        pages = self.page_count
        current = self.view.pageNavigator().currentPage() + 1 if pages else 0
        self.page_label.setText(f"{current} / {pages}" if pages else "")
        self.previous_button.setEnabled(pages > 0 and current > 1)
        self.next_button.setEnabled(pages > 0 and current < pages)
        self.print_button.setEnabled(pages > 0)
        self.export_button.setEnabled(pages > 0)

    @Slot()
    def _retry(self) -> None:
        if self._packet is not None:
            self.retry_requested.emit(self._packet.id)
