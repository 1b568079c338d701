"""The template editor's live preview: who it is for, rendering it, showing it.

- :class:`PreviewSubject` and :func:`preview_input`: the sample packets of a
  packet type, or a real client's packet generated from their current
  intake (no Qt, run on the worker thread);
- :class:`PreviewWork`: renders previews and checks templates on a worker
  thread, and drops every result older than the newest request;
- :class:`SubjectPicker`: chooses the sample or client to preview for,
  finding clients among tens of thousands by name;
- :class:`PdfPane`: shows the PDF, keeping the old one on screen until the
  new one has loaded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QStandardItemModel
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from packetstudio.generators import generate
from packetstudio.pdf.render import render_handout
from packetstudio.pdf.rendered import RenderedHandout
from packetstudio.store.clients import ClientQuery, get_client, search_clients
from packetstudio.store.database import Database
from packetstudio.store.settings import load_branding
from packetstudio.store.templates import check_template
from packetstudio.templates.defaults import (
    SAMPLE_AS_OF,
    sample_client_name,
    samples,
)
from packetstudio.templates.time_limit import PREVIEW_TIME_LIMIT
from packetstudio.ui.background import Background
from packetstudio.vocabulary import ClientType, PacketType

log = logging.getLogger(__name__)

# render_handout's signature; a RenderPool renders the same in a process.
Render = Callable[..., RenderedHandout]

CLIENTS_SHOWN = 30
SEARCH_DELAY_MS = 250
# Only these clients can have the packet type at all; the others are not
# offered (age limits are still checked when the packet is generated).
CLIENT_TYPE_OF: dict[PacketType, ClientType] = {
    PacketType.PERFORMANCE: ClientType.ATHLETE,
    PacketType.YOUTH: ClientType.YOUTH,
    PacketType.RECOVERY: ClientType.RECOVERY,
}


@dataclass(frozen=True)
class PreviewSubject:
    """Whose handout the preview shows.

    Attributes:
        label: how the picker names it.
        sample: which of the packet type's samples (see
            :func:`packetstudio.templates.defaults.samples`), for a sample.
        client_id: the client, for a real client.
    """

    label: str = field(compare=False)
    sample: int = 0
    client_id: int | None = None


@dataclass(frozen=True)
class PreviewInput:
    """What a preview renders, apart from the template."""

    content: dict[str, Any]
    client_name: str
    as_of: date


def sample_subjects(packet_type: PacketType) -> list[PreviewSubject]:
    """Return the packet type's samples as subjects, the plain one first."""
    name = sample_client_name(packet_type)
    return [
        PreviewSubject(f"Sample: {name}"),
        PreviewSubject(f"Sample: {name}, to see a physician first", sample=1),
    ]


def preview_input(
    db: Database, packet_type: PacketType, subject: PreviewSubject
) -> PreviewInput:
    """Return the content and name a preview of ``subject`` renders.

    Raises:
        NotApplicable: the packet type does not suit the client.
        ClientNotFound: the client was deleted meanwhile.
    """
    if subject.client_id is None:
        content = samples(packet_type)[subject.sample]
        return PreviewInput(content, sample_client_name(packet_type), SAMPLE_AS_OF)
    client = get_client(db, subject.client_id)
    packet = generate(packet_type, client.intake)
    return PreviewInput(packet.model_dump(mode="json"), client.full_name, packet.as_of)


class _Stale(Exception):
    """A newer request made this one pointless before it started."""


class PreviewWork(QObject):
    """Renders previews and checks templates on a worker thread.

    Requests run one at a time, in order. Each :meth:`submit` makes every
    earlier request stale: one that has not started is skipped, and the
    result of one that has is dropped, so the signals only ever carry the
    newest template's outcome. A template's code is stopped after
    ``time_limit`` seconds, so a runaway template holds up the next request,
    or closing the editor, for no longer than that.

    Signals:
        rendered(handout): the preview rendered (a RenderedHandout).
        render_failed(exception): it did not; a TemplateFailure for a
            mistake in the template, else whatever stopped it.
        checked(exception): the template passed check_template (None) or
            failed it (its TemplateFailure).

    Attributes:
        time_limit: the seconds a template's code may run, in a preview and
            in each sample of the check.
    """

    rendered = Signal(object)
    render_failed = Signal(object)
    checked = Signal(object)

    def __init__(
        self,
        db: Database,
        render: Render = render_handout,
        parent: QObject | None = None,
        time_limit: float = PREVIEW_TIME_LIMIT,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.render = render
        self.time_limit = time_limit
        self.background = Background(self)
        self._latest = 0
        self._lock = threading.Lock()

    @property
    def generation(self) -> int:
        """The number of the newest request."""
        return self._latest

    def submit(
        self,
        packet_type: PacketType,
        source: str,
        subject: PreviewSubject,
        *,
        check: bool = True,
    ) -> int:
        """Render ``source`` for ``subject``, then check it; return the request."""
        with self._lock:
            self._latest += 1
            generation = self._latest
        self.background.run(
            lambda: self._render(generation, packet_type, source, subject),
            lambda result: self._deliver(generation, self.rendered, result),
            lambda exc: self._deliver(generation, self.render_failed, exc),
        )
        if check:
            self.background.run(
                lambda: self._check(generation, packet_type, source),
                lambda result: self._deliver(generation, self.checked, result),
                lambda exc: self._deliver(generation, self.checked, exc),
            )
        return generation

    def cancel(self) -> None:
        """Make every request stale; wait for the one running to end."""
        with self._lock:
            self._latest += 1
        self.background.wait()

    def _current(self, generation: int) -> None:
        if generation != self._latest:
            raise _Stale

    def _render(
        self,
        generation: int,
        packet_type: PacketType,
        source: str,
        subject: PreviewSubject,
    ) -> RenderedHandout:
        self._current(generation)
        given = preview_input(self.db, packet_type, subject)
        self._current(generation)
        return self.render(
            packet_type.value,
            given.content,
            source,
            load_branding(self.db),
            given.client_name,
            given.as_of,
            time_limit=self.time_limit,
        )

    def _check(self, generation: int, packet_type: PacketType, source: str) -> None:
        self._current(generation)
        check_template(packet_type, source, time_limit=self.time_limit)

    def _deliver(self, generation: int, signal: Any, result: object) -> None:
        if generation != self._latest or isinstance(result, _Stale):
            return
        signal.emit(result)


class SubjectPicker(QWidget):
    """Chooses whose handout to preview: a sample, or a client found by name.

    The list holds the packet type's samples, then the first clients by
    name, or those matching the search; only a page of clients is ever
    loaded, so it stays quick with 50,000 of them.

    Signals:
        subject_changed(subject): a different PreviewSubject was chosen.
    """

    subject_changed = Signal(object)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.packet_type = PacketType.NUTRITION
        self.background = Background(self)

        self.combo = QComboBox()
        self.combo.setObjectName("preview_subject")
        self.combo.setAccessibleName("Preview for")
        self.combo.setMinimumContentsLength(18)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.search = QLineEdit()
        self.search.setObjectName("client_search")
        self.search.setAccessibleName("Find a client to preview for")
        self.search.setPlaceholderText("Find a client...")
        self.search.setClearButtonEnabled(True)
        self.label = QLabel("&Preview for")
        self.label.setBuddy(self.combo)
        self.search_label = QLabel("Fi&nd")
        self.search_label.setBuddy(self.search)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._searches = 0

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.combo, 3)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search, 2)

        self.search.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self._find)
        self.combo.currentIndexChanged.connect(self._chosen)

    @property
    def subject(self) -> PreviewSubject:
        chosen = self.combo.currentData()
        if isinstance(chosen, PreviewSubject):
            return chosen
        return PreviewSubject("Sample")

    def show_packet_type(self, packet_type: PacketType) -> None:
        """List the samples of ``packet_type`` and the clients who may have it."""
        self.packet_type = packet_type
        self.combo.clear()
        self._find()

    @Slot()
    def _find(self) -> None:
        self._timer.stop()
        self._searches += 1
        search, text = self._searches, self.search.text().strip()
        kind = self.packet_type
        query = ClientQuery(text=text, client_type=_client_type_value(kind))

        def find() -> tuple[list[PreviewSubject], int, list[PreviewSubject]]:
            total, rows = search_clients(self.db, query, limit=CLIENTS_SHOWN)
            clients = [PreviewSubject(r.full_name, client_id=r.id) for r in rows]
            return sample_subjects(kind), total, clients

        self.background.run(
            find,
            lambda found: self._found(search, bool(text), *found),
            lambda exc: log.warning("Finding clients to preview failed: %s", exc),
        )

    def _found(
        self,
        search: int,
        searched: bool,
        samples: list[PreviewSubject],
        total: int,
        clients: list[PreviewSubject],
    ) -> None:
        if search != self._searches:
            return
        before = self.subject
        # A search shows its first client at once; otherwise the choice stays.
        keep = clients[0] if searched and clients else before
        self.combo.blockSignals(True)
        self.combo.clear()
        for subject in samples:
            self.combo.addItem(subject.label, subject)
        if clients:
            self.combo.insertSeparator(self.combo.count())
        for subject in clients:
            self.combo.addItem(subject.label, subject)
        if total > len(clients):
            self._add_hint(f"{total - len(clients):,} more: type to find them")
        self.combo.setCurrentIndex(max(self._index_of(keep), 0))
        self.combo.blockSignals(False)
        if self.subject != before:
            self.subject_changed.emit(self.subject)

    def _add_hint(self, text: str) -> None:
        self.combo.addItem(text)
        model = self.combo.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(self.combo.count() - 1)
            if item is not None:
                item.setEnabled(False)

    def _index_of(self, subject: PreviewSubject) -> int:
        for row in range(self.combo.count()):
            if self.combo.itemData(row) == subject:
                return row
        return -1

    @Slot(int)
    def _chosen(self, _index: int) -> None:
        if isinstance(self.combo.currentData(), PreviewSubject):
            self.subject_changed.emit(self.subject)

    def wait(self) -> None:
        self._timer.stop()
        self.background.wait()


def _client_type_value(packet_type: PacketType) -> str | None:
    client_type = CLIENT_TYPE_OF.get(packet_type)
    return client_type.value if client_type else None


class PdfPane(QWidget):
    """Shows a preview PDF with its page count.

    A new PDF replaces the shown one only once it has loaded, at the same
    page, so the preview does not flash or jump back to page 1 while a
    template is being edited.

    Attributes:
        pdf: the bytes of the PDF shown, or b"".
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf = b""
        self._document: QPdfDocument | None = None
        self.view = QPdfView(self)
        self.view.setObjectName("preview_pdf")
        self.view.setAccessibleName("Preview of the handout")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages = QLabel("")
        self.pages.setObjectName("preview_pages")
        self.pages.setAccessibleName("Preview pages")
        self.note = QLabel("")
        self.note.setObjectName("preview_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-style: italic;")
        self.note.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)

        self.view.pageNavigator().currentPageChanged.connect(self._show_pages)

    @property
    def page_count(self) -> int:
        return self._document.pageCount() if self._document is not None else 0

    def show_pdf(self, pdf: bytes) -> None:
        """Load ``pdf`` and show it in place of the current one."""
        document = QPdfDocument(self)
        buffer = QBuffer(document)
        buffer.setData(QByteArray(pdf))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document.load(buffer)
        if document.status() == QPdfDocument.Status.Error:
            log.warning("The preview PDF could not be loaded: %s", document.error())
            document.deleteLater()
            return
        self.pdf = pdf
        self._swap(document)

    def _swap(self, document: QPdfDocument) -> None:
        scroll = self.view.verticalScrollBar().value()
        old = self._document
        self._document = document
        self.view.setDocument(document)
        if old is not None:
            old.deleteLater()
        self.view.verticalScrollBar().setValue(scroll)
        self._show_pages()

    def show_note(self, text: str) -> None:
        """Show ``text`` above the PDF ("" hides it)."""
        self.note.setText(text)
        self.note.setVisible(bool(text))

    @Slot()
    def _show_pages(self) -> None:
        pages = self.page_count
        if not pages:
            self.pages.setText("")
            return
        current = min(self.view.pageNavigator().currentPage() + 1, pages)
        self.pages.setText(f"Page {current} of {pages}")
