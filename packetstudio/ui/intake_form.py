"""The intake dialog, for a new client or an edit of a client's intake.

The dialog holds no validation rules of its own. Every edit (after a short
pause in typing) rebuilds the raw intake dict and passes it to
:func:`~packetstudio.intake.parse_intake`; each problem it reports is shown in
red under its field, and Save stays disabled until there are none. So the form
says exactly what a CSV import or the command line would say.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable
from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from packetstudio.generators import eligibility
from packetstudio.generators.base import NotApplicable
from packetstudio.intake import Intake, IntakeError, parse_intake
from packetstudio.library import LibraryError, load_library
from packetstudio.ui.intake_client_sections import (
    AthleteSection,
    RecoverySection,
    YouthSection,
)
from packetstudio.ui.intake_health import HealthSection
from packetstudio.ui.intake_sections import (
    BodySection,
    GoalsSection,
    NutritionSection,
    PersonalSection,
    Raw,
    Section,
    TrainingSection,
)
from packetstudio.ui.intake_widgets import (
    FRAME_WIDTH,
    FieldRow,
    change_signal,
    muted_label,
)
from packetstudio.ui.labels import error_colour
from packetstudio.ui.messages import show_error
from packetstudio.vocabulary import SUGGESTED_PACKETS, ClientType, PacketType, label

log = logging.getLogger(__name__)

UNITS = ("metric", "imperial")
VALIDATE_DELAY_MS = 150


class PacketChoice(QWidget):
    """Check boxes for the packet types to generate for the client.

    Types that do not apply to the client are disabled, with the reason as
    their tooltip (and, for a type the client type would suggest, in a note
    under the boxes, since a tooltip is easy to miss).

    Attributes:
        touched: whether the user has changed a box by hand; suggestions
            then stop replacing their choice.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.touched = False
        self.boxes: dict[PacketType, QCheckBox] = {}
        box = QVBoxLayout(self)
        line = QHBoxLayout()
        line.setSpacing(20)
        for packet_type in PacketType:
            check = QCheckBox(label(packet_type))
            check.setObjectName(f"packet_{packet_type.value}")
            check.setAccessibleName(f"Generate the {packet_type.value} packet")
            check.clicked.connect(self._on_clicked)
            line.addWidget(check)
            self.boxes[packet_type] = check
        line.addStretch(1)
        box.addLayout(line)
        self.note = muted_label()
        self.note.setObjectName("packet_note")
        self.note.setWordWrap(True)
        self.note.hide()
        box.addWidget(self.note)

    def suggest(self, types: Iterable[PacketType]) -> None:
        """Check exactly ``types``, unless the user has chosen by hand."""
        if self.touched:
            return
        wanted = set(types)
        for packet_type, check in self.boxes.items():
            check.setChecked(packet_type in wanted and check.isEnabled())

    def allow_all(self) -> None:
        """Enable every type; which apply is known only for a valid intake."""
        for check in self.boxes.values():
            self._refuse(check, "")
        self.note.hide()

    def apply_to(self, intake: Intake, today: date) -> None:
        """Disable each type that does not apply to ``intake``, with why."""
        notes = []
        for packet_type, check in self.boxes.items():
            try:
                eligibility.check(packet_type, intake, today)
            except NotApplicable as refusal:
                self._refuse(check, str(refusal))
                if packet_type in SUGGESTED_PACKETS[intake.client_type]:
                    notes.append(f"{label(packet_type)}: {refusal}")
            else:
                self._refuse(check, "")
        self.note.setText("\n".join(notes))
        self.note.setVisible(bool(notes))

    def selected(self) -> list[PacketType]:
        boxes = self.boxes.items()
        return [t for t, c in boxes if c.isChecked() and c.isEnabled()]

    @staticmethod
    def _refuse(check: QCheckBox, reason: str) -> None:
        check.setEnabled(not reason)
        check.setToolTip(reason)
        check.setAccessibleDescription(reason)
        if reason:
            check.setChecked(False)

    @Slot()
    def _on_clicked(self) -> None:
        self.touched = True


class IntakeDialog(QDialog):
    """The intake form: a new client, or an edit of a client's intake.

    Sections for athletes, youth and recovery clients show only for that
    client type. Problems show under their fields as the user types; errors
    of fields a new client's intake has not reached yet wait until the user
    tries to save (Enter), which also moves focus to the first of them.

    After the dialog is accepted, :meth:`intake` is the validated intake and
    :meth:`selected_packet_types` the packets to generate.

    Signals:
        No signals of its own; QDialog's ``accepted`` (saved, with a valid
        intake) and ``rejected`` (cancelled with Esc, Cancel or closing).
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        intake: Intake | None = None,
        units: str = "metric",
        today: date | None = None,
        store: Callable[[Intake], object] | None = None,
    ) -> None:
        """Build the form, filled from ``intake`` when editing.

        Args:
            units: "metric" or "imperial", for height and weight.
            today: the day ages and packet eligibility are judged on.
            store: called with the valid intake on Save; if it raises (the
                database is locked, say), the error is shown and the form
                stays open with everything typed.
        """
        super().__init__(parent)
        self._store = store
        if units not in UNITS:
            raise ValueError(f"units must be one of {UNITS}, not {units!r}")
        self._today = today or date.today()
        self._editing = intake is not None
        self._valid: Intake | None = None
        self._saved: Intake | None = None
        self._problems: tuple[tuple[str, str], ...] = ()
        self._reveal_all = self._editing
        self._suggested_for: tuple[ClientType, int | None] | None = None
        self._timer = QTimer(self)
        # Named so tests can wait for validation to settle.
        self._timer.setObjectName("validation_timer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self._validate)

        self._build(units)
        if intake is not None:
            for section in self.sections:
                section.load(intake)
        for row in self._all_rows():
            row.touched = self._editing
        self._hook_inputs()
        self.health.rows_changed.connect(self._on_rows_changed)
        client_type = self.goals.client_type
        client_type.currentIndexChanged.connect(self._on_type_changed)
        self._on_type_changed()
        self._validate()

    # -- results -----------------------------------------------------------

    def intake(self) -> Intake | None:
        """Return the saved intake, or None unless the dialog was accepted."""
        return self._saved

    def selected_packet_types(self) -> list[PacketType]:
        """Return the packet types to generate, in a stable order."""
        return self.packets.selected()

    # -- building ----------------------------------------------------------

    def _build(self, units: str) -> None:
        self.setWindowTitle("Edit client" if self._editing else "New client")
        self.setStyleSheet(_style_sheet())
        self.personal = PersonalSection(self._today)
        self.body = BodySection(units)
        self.goals = GoalsSection()
        self.health = HealthSection()
        self.sections: list[Section] = [
            self.personal,
            self.body,
            self.goals,
            AthleteSection(_sports()),
            YouthSection(),
            RecoverySection(),
            TrainingSection(),
            self.health,
            NutritionSection(),
        ]

        self.summary = QLabel()
        self.summary.setObjectName("error_summary")
        self.summary.setProperty("role", "error")
        self.summary.setWordWrap(True)
        self.summary.hide()

        content = QWidget()
        column = QVBoxLayout(content)
        column.setSpacing(12)
        for section in self.sections:
            column.addWidget(section)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(content)

        self.packets = PacketChoice()
        packets_box = QGroupBox("Packets to generate")
        packets_layout = QVBoxLayout(packets_box)
        packets_layout.setContentsMargins(4, 0, 4, 0)
        packets_layout.addWidget(self.packets)

        self.hint = muted_label()
        self.hint.setObjectName("save_hint")
        self.hint.setWordWrap(True)
        self.save = QPushButton("&Save")
        self.save.setObjectName("save")
        self.save.setDefault(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.save, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save.clicked.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.hint, 1)
        footer.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(packets_box)
        layout.addLayout(footer)
        _give_mnemonics(self.sections)
        self._set_tab_order()
        # One label column for the whole form, not one per section.
        captions = [c for section in self.sections for c in section.labels]
        width = max(c.sizeHint().width() for c in captions)
        for caption in captions:
            caption.setMinimumWidth(width)
        # Fits a 1366x768 screen with the taskbar and title bar.
        self.resize(860, 680)
        self.setMinimumSize(640, 420)

    def _visible_sections(self) -> list[Section]:
        chosen = self.goals.chosen_type()
        return [s for s in self.sections if s.only_for in (None, chosen)]

    def _all_rows(self) -> list[FieldRow]:
        return [row for section in self.sections for row in section.rows()]

    # -- reacting to the user ----------------------------------------------

    @Slot()
    def _schedule(self) -> None:
        # Restarting the timer validates once the user pauses, not per key.
        self._timer.start()

    @Slot()
    def _on_type_changed(self) -> None:
        shown = self._visible_sections()
        for section in self.sections:
            section.setVisible(section in shown)
        self._schedule()

    def _hook_inputs(self) -> None:
        """Validate after an edit of any input, even of an injury row just added.

        WORKAROUND: PySide6 6.12 on Python 3.11 loses a reference to True on
        every ``Signal.emit()`` made from Python (the value it returns), and
        the interpreter aborts with "bool_dealloc" once enough add up. So the
        inputs' own Qt signals come straight here: typing emits nothing from
        Python. No upstream report was found; remove once fixed or on 3.12+.
        """
        for row in self._all_rows():
            for widget in row.inputs:
                if not widget.property("hooked"):
                    change_signal(widget).connect(self._schedule)
                    widget.setProperty("hooked", True)

    @Slot()
    def _on_rows_changed(self) -> None:
        self._hook_inputs()
        self._schedule()
        self._set_tab_order()

    def _set_tab_order(self) -> None:
        chain = [w for s in self.sections for w in s.focus_chain()]
        chain += [*self.packets.boxes.values(), self.save]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    @Slot()
    def _on_save(self) -> None:
        self._validate()
        if self._valid is not None:
            if self._store is not None:
                try:
                    self._store(self._valid)
                except Exception as exc:  # the form stays open: nothing typed is lost
                    show_error(self, "The client could not be saved", exc)
                    return
            self._saved = self._valid
            self.accept()
            return
        self._reveal_all = True
        self._show_problems(self._problems)
        self._focus_first_problem()

    def changeEvent(self, event: QEvent) -> None:
        """Keep the error red readable when the system switches light or dark."""
        palette_events = (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
        )
        if event.type() in palette_events:
            sheet = _style_sheet()
            if sheet != self.styleSheet():
                self.setStyleSheet(sheet)
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on an invalid form shows every problem instead of saving."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not self.save.isEnabled():
            self._on_save()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- validation --------------------------------------------------------

    def _raw(self) -> Raw:
        raw: Raw = {}
        for section in self._visible_sections():
            section.write(raw)
        return raw

    @Slot()
    def _validate(self) -> None:
        self._timer.stop()
        try:
            self._valid = parse_intake(self._raw())
            self._problems = ()
        except IntakeError as error:
            self._valid = None
            self._problems = tuple((p.field, p.message) for p in error.problems)
        self._show_problems(self._problems)
        self._update_packets()
        self.save.setEnabled(self._valid is not None)

    def _row_for(self, field: str) -> FieldRow | None:
        for section in self._visible_sections():
            row = section.row_for(field)
            if row is not None:
                return row
        return None

    def _show_problems(self, problems: Iterable[tuple[str, str]]) -> None:
        by_row: dict[FieldRow, list[tuple[str, str]]] = {}
        elsewhere: list[str] = []
        for field, message in problems:
            row = self._row_for(field)
            if row is None:
                elsewhere.append(message)
            else:
                by_row.setdefault(row, []).append((field, message))

        waiting: list[str] = []
        for row in self._all_rows():
            found = by_row.get(row, [])
            shown = self._reveal_all or row.touched
            row.show_problems(found if shown else [])
            if found and not shown:
                waiting.append(row.title)

        self.summary.setText("\n".join(elsewhere))
        self.summary.setVisible(bool(elsewhere))
        marked = len(by_row) > len(waiting)
        self.hint.setText(_hint(marked, waiting))

    def _focus_first_problem(self) -> None:
        for row in self._all_rows():
            target = row.first_input() if row.has_problems() else None
            if target is not None:
                self.scroll_area.ensureWidgetVisible(row)
                target.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def _update_packets(self) -> None:
        chosen = self.goals.chosen_type()
        intake = self._valid
        if intake is None:
            # Which types apply is unknown until the intake is valid; a new
            # client type still gets its usual packets suggested.
            if self._suggested_for is None or self._suggested_for[0] != chosen:
                self.packets.allow_all()
                self.packets.suggest(SUGGESTED_PACKETS[chosen])
                self._suggested_for = (chosen, None)
            return
        self.packets.apply_to(intake, self._today)
        key = (intake.client_type, intake.age_on(self._today))
        if key != self._suggested_for:
            suggested = eligibility.suggested_types(intake, self._today)
            self.packets.suggest(suggested)
            self._suggested_for = key


def _hint(marked: bool, waiting: list[str]) -> str:
    """Say what stands between the user and Save, in plain words."""
    missing = ", ".join(waiting)
    if marked and waiting:
        return f"To save, fix the fields marked in red and fill in: {missing}."
    if marked:
        return "To save, fix the fields marked in red."
    if waiting:
        return f"To save, fill in: {missing}."
    return ""


def _sports() -> list[tuple[str, str]]:
    """Return the library's sports as (id, name) for the sport list."""
    try:
        return [(sport.id, sport.name) for sport in load_library().sports]
    except LibraryError as exc:
        # Sport is free text as well, so the form still works without a list.
        log.warning("Sport list unavailable: %s", exc)
        return []


def _style_sheet() -> str:
    # Only the error red is set; everything else follows the system palette.
    # The transparent border keeps a field from moving when it turns red.
    red = error_colour().name()
    return (
        f'QLabel[role="error"] {{ color: {red}; }}\n'
        f'QFrame[role="field"] {{ border: {FRAME_WIDTH}px solid transparent;'
        " border-radius: 4px; }\n"
        f'QFrame[role="field"][invalid="true"] {{ border-color: {red}; }}\n'
    )


def _give_mnemonics(sections: list[Section]) -> None:
    """Give each row label an Alt+letter, unique where the alphabet allows.

    The athlete, youth and recovery sections never show together, so each
    draws from the letters the shared sections left. When none is left, a
    label shares its first letter with another: Qt then moves between the
    two on each press. Save keeps Alt+S to itself.
    """
    shared = [s for s in sections if s.only_for is None]
    taken = {"s"}
    for section in shared:
        _mark(section.labels, taken)
    for section in sections:
        if section.only_for is not None:
            _mark(section.labels, set(taken))


def _mark(labels: list[QLabel], taken: set[str]) -> None:
    for caption in labels:
        text = caption.text()
        letters = [i for i, c in enumerate(text) if c.isalpha()]
        starts = [i for i in letters if i == 0 or text[i - 1] == " "]
        ranked = starts + [i for i in letters if i not in starts]
        free = [i for i in ranked if text[i].lower() not in taken]
        shared = [i for i in starts if text[i].lower() != "s"]
        index = (free or shared or ranked)[0]
        taken.add(text[index].lower())
        caption.setText(f"{text[:index]}&{text[index:]}")
