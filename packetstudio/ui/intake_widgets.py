"""Small widgets the intake form is built from.

A :class:`FieldRow` is one row of the form: its inputs on a line and a red
error line under them. The spin boxes and combo box here behave better in a
long scrolling form than Qt's own: they ignore the mouse wheel unless focused
(so scrolling the form never changes a weight), and a spin box can be "not
given" and be cleared with the keyboard.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from PySide6.QtCore import Qt, SignalInstance, Slot
from PySide6.QtGui import QKeyEvent, QValidator, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from packetstudio.vocabulary import label

# The width of the border around each input that turns red when invalid.
FRAME_WIDTH = 2


def keep_order(original: Sequence[str], current: Iterable[str]) -> list[str]:
    """Return ``current`` with the items of ``original`` first, in their order.

    Editing a client must not reorder their lists just because the form shows
    choices in a fixed order; new choices go after the kept ones.
    """
    chosen = list(dict.fromkeys(current))
    kept = [item for item in original if item in chosen]
    return kept + [item for item in chosen if item not in kept]


def change_signal(widget: QWidget) -> SignalInstance:
    """Return the signal a widget emits when its value changes."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QTimeEdit):
        return widget.timeChanged
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.valueChanged
    if isinstance(widget, QComboBox):
        return widget.currentTextChanged
    if isinstance(widget, QAbstractButton):
        return widget.toggled
    raise TypeError(f"no change signal known for {type(widget).__name__}")


def set_invalid(widget: QWidget, message: str) -> None:
    """Set the ``invalid`` property and accessible description of ``widget``.

    The frame :meth:`FieldRow.framed` put around the widget gets the property
    too; the dialog's style sheet draws it red.
    """
    widget.setAccessibleDescription(message)
    targets = [widget]
    frame = widget.parentWidget()
    if frame is not None and frame.property("role") == "field":
        targets.append(frame)
    for target in targets:
        if target.property("invalid") != bool(message):
            target.setProperty("invalid", bool(message))
            # A dynamic property reaches the style sheet only on a re-polish.
            target.style().unpolish(target)
            target.style().polish(target)


class FieldRow(QWidget):
    """One row of the form: its inputs on a line, its error line under them.

    The row has no signal of its own: whoever needs to know about edits
    connects to the inputs' own change signals (see :func:`change_signal`).
    That keeps Python-side ``emit()`` off the per-keystroke path (see
    ``WORKAROUND`` in :mod:`packetstudio.ui.intake_form`).

    Attributes:
        key: the intake key of the row's first input, also its object name;
            the error label is named ``error_<key>``.
        title: the row's name in plain words, for "still to fill in" hints.
        touched: whether the user has edited the row; errors of untouched
            rows of a new client wait until a save is attempted.
        inputs: the widgets whose edits touch the row and which show its
            error state.
    """

    def __init__(self, key: str, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.title = title
        self.touched = False
        self.inputs: list[QWidget] = []
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(2)
        self.error = QLabel(self)
        self.error.setObjectName(f"error_{key}")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        self._box.addWidget(self.error)
        self.line = self.new_line()

    def new_line(self) -> QHBoxLayout:
        """Add a line for inputs above the error line and return its layout."""
        line = QHBoxLayout()
        line.setSpacing(6)
        self._box.insertLayout(self._box.count() - 1, line)
        return line

    def add(self, widget: QWidget, *, stretch: int = 0) -> QWidget:
        """Add an input, framed, to the first line and watch it for edits."""
        self.line.addWidget(self.framed(widget), stretch)
        self.watch(widget)
        return widget

    def framed(self, widget: QWidget) -> QFrame:
        """Return a thin frame around ``widget`` that turns red when invalid.

        The border is on a frame, not on the input: a style sheet border on
        a spin box or combo box makes Qt draw it without its native arrows.
        """
        frame = QFrame(self)
        frame.setProperty("role", "field")
        frame.setProperty("invalid", False)
        box = QHBoxLayout(frame)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(widget)
        return frame

    def watch(self, widget: QWidget) -> None:
        """Treat ``widget`` as one of this row's inputs (edits, error state)."""
        self.inputs.append(widget)
        change_signal(widget).connect(self._on_edited)

    def show_problems(self, problems: Sequence[tuple[str, str]]) -> None:
        """Show the (field, message) ``problems`` under the row; none clears it.

        Each message marks the inputs its field names, see :meth:`inputs_for`.
        """
        self.error.setText("\n".join(message for _, message in problems))
        self.error.setVisible(bool(problems))
        marks: dict[QWidget, list[str]] = {widget: [] for widget in self.inputs}
        for field, message in problems:
            for widget in self.inputs_for(field):
                marks[widget].append(message)
        for widget, messages in marks.items():
            set_invalid(widget, "\n".join(messages))

    def inputs_for(self, field: str) -> list[QWidget]:
        """Return the inputs a problem of ``field`` is about: here, all."""
        return list(self.inputs)

    def has_problems(self) -> bool:
        return bool(self.error.text())

    def first_input(self) -> QWidget | None:
        """Return the first marked input that can take focus now.

        With none marked (or none visible), the row's first available input.
        """
        usable = [
            widget
            for widget in self.inputs
            if widget.isEnabled() and widget.isVisibleTo(self.window())
        ]
        marked = [widget for widget in usable if widget.accessibleDescription()]
        candidates = marked or usable
        return candidates[0] if candidates else None

    @Slot()
    def _on_edited(self) -> None:
        self.touched = True


def _bare(spin: QSpinBox | QDoubleSpinBox, text: str) -> str:
    suffix = spin.suffix().strip()
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return text.strip()


def _is_blank(spin: QSpinBox | QDoubleSpinBox, text: str) -> bool:
    """Whether ``text`` means "not given": the special text, or nothing."""
    special = spin.specialValueText()
    return bool(special) and (text == special or _bare(spin, text) == "")


def _replaces_special(spin: QSpinBox | QDoubleSpinBox, event: QKeyEvent) -> bool:
    """Whether a key typed into a "not given" spin box should replace the text.

    Qt leaves the cursor inside the special text, so without this the first
    key typed after a click is refused.
    """
    showing = bool(spin.specialValueText()) and spin.value() == spin.minimum()
    return showing and bool(event.text()) and event.text().isprintable()


def _first_step(spin: SpinBox | DoubleSpinBox, steps: int) -> bool:
    """Step from "not given" to a typical value rather than to the minimum."""
    showing = bool(spin.specialValueText()) and spin.value() == spin.minimum()
    if showing and steps > 0 and spin.first_step is not None:
        spin.setValue(spin.first_step)  # type: ignore[arg-type]
        return True
    return False


class SpinBox(QSpinBox):
    """A whole-number spin box for a long form.

    With special value text it is "not given" at its minimum: typing replaces
    that text, and clearing the field makes it "not given" again. It ignores
    the mouse wheel unless focused, so scrolling the form changes nothing.

    Attributes:
        first_step: the value the up arrow goes to from "not given".
    """

    first_step: float | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _replaces_special(self, event):
            self.lineEdit().selectAll()
        super().keyPressEvent(event)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if _is_blank(self, text):
            return (QValidator.State.Acceptable, text, pos)
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> int:
        if _is_blank(self, text):
            return self.minimum()
        return super().valueFromText(text)

    def stepBy(self, steps: int) -> None:
        if not _first_step(self, steps):
            super().stepBy(steps)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the scroll area scrolls instead


class DoubleSpinBox(QDoubleSpinBox):
    """A decimal spin box for a long form; see :class:`SpinBox`.

    Attributes:
        first_step: the value the up arrow goes to from "not given".
    """

    first_step: float | None = None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _replaces_special(self, event):
            self.lineEdit().selectAll()
        super().keyPressEvent(event)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        if _is_blank(self, text):
            return (QValidator.State.Acceptable, text, pos)
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> float:
        if _is_blank(self, text):
            return self.minimum()
        return super().valueFromText(text)

    def stepBy(self, steps: int) -> None:
        if not _first_step(self, steps):
            super().stepBy(steps)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class ComboBox(QComboBox):
    """A combo box that ignores the mouse wheel unless it has focus."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


def whole_spin(
    key: str,
    minimum: int,
    maximum: int,
    *,
    suffix: str = "",
    not_given: str = "",
    first_step: int | None = None,
    step: int = 1,
) -> SpinBox:
    """Return a whole-number spin box; see :func:`decimal_spin`."""
    spin = SpinBox()
    spin.setRange(minimum, maximum)
    spin.setSingleStep(step)
    _set_up(spin, key, suffix, not_given, first_step)
    return spin


def decimal_spin(
    key: str,
    minimum: float,
    maximum: float,
    *,
    suffix: str = "",
    not_given: str = "",
    first_step: float | None = None,
) -> DoubleSpinBox:
    """Return a one-decimal spin box named ``key``.

    With ``not_given``, the minimum means "absent" and shows that text. The
    range is wider than the intake allows on purpose: a value out of range
    is typed, kept and explained by the intake's own message, rather than
    silently refused key by key.
    """
    spin = DoubleSpinBox()
    spin.setDecimals(1)
    spin.setRange(minimum, maximum)
    _set_up(spin, key, suffix, not_given, first_step)
    return spin


def _set_up(
    spin: SpinBox | DoubleSpinBox,
    key: str,
    suffix: str,
    not_given: str,
    first_step: float | None,
) -> None:
    spin.setObjectName(key)
    spin.setSuffix(suffix)
    spin.setSpecialValueText(not_given)
    if not_given:
        # Qt starts at 0 when the range allows it: start "not given" instead.
        spin.setValue(spin.minimum())  # type: ignore[arg-type]
    spin.first_step = first_step
    spin.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setMinimumWidth(110)


def spin_value(spin: SpinBox | DoubleSpinBox) -> float | int | None:
    """Return the spin box's value, or None when it is "not given"."""
    if spin.specialValueText() and spin.value() == spin.minimum():
        return None
    return spin.value()


def enum_combo(
    key: str,
    values: Iterable[StrEnum],
    *,
    placeholder: str = "",
    none_text: str = "",
) -> ComboBox:
    """Return a combo box of enum members, their value as item data.

    Args:
        placeholder: shown while nothing is chosen (a required choice).
        none_text: the text of a first item meaning "not given" (an optional
            choice the user can go back to).
    """
    combo = ComboBox()
    combo.setObjectName(key)
    combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if none_text:
        combo.addItem(none_text, "")
    for member in values:
        combo.addItem(label(member), member.value)
    if placeholder:
        combo.setPlaceholderText(placeholder)
        combo.setCurrentIndex(-1)
    return combo


def combo_value(combo: QComboBox) -> str | None:
    """Return the chosen item's data, or None when nothing is chosen."""
    index = combo.currentIndex()
    data = combo.itemData(index) if index >= 0 else None
    return str(data) if data else None


def set_combo_value(combo: QComboBox, value: str | None) -> None:
    combo.setCurrentIndex(combo.findData(value or ""))


def line_edit(key: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(key)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


class LinesEdit(QPlainTextEdit):
    """A short multi-line text box holding a list, one item per line.

    Tab moves on to the next field, as everywhere else in the form.
    """

    def __init__(
        self, key: str, placeholder: str = "One per line", lines: int = 3
    ) -> None:
        super().__init__()
        self.setObjectName(key)
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        margins = self.contentsMargins().top() + self.contentsMargins().bottom()
        frame = 2 * self.frameWidth() + 2 * int(self.document().documentMargin())
        spacing = self.fontMetrics().lineSpacing()
        self.setFixedHeight(spacing * lines + margins + frame)

    def lines(self) -> list[str]:
        """Return the non-blank lines, stripped."""
        return [t.strip() for t in self.toPlainText().splitlines() if t.strip()]

    def set_lines(self, items: Iterable[str]) -> None:
        self.setPlainText("\n".join(items))


class ChecksGroup(QWidget):
    """A grid of check boxes for a multiple choice, one per value.

    Each box is named ``<prefix>_<value>``. :meth:`values` keeps the order the
    choices were loaded in, then adds new ones in the order shown.
    """

    def __init__(
        self, prefix: str, choices: Sequence[tuple[str, str]], columns: int = 4
    ) -> None:
        super().__init__()
        self.setObjectName(prefix)
        self.boxes: dict[str, QCheckBox] = {}
        self._loaded: list[str] = []
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        for position, (value, text) in enumerate(choices):
            box = QCheckBox(text)
            box.setObjectName(f"{prefix}_{value}")
            box.setAccessibleName(text)
            grid.addWidget(box, position // columns, position % columns)
            self.boxes[value] = box
        grid.setColumnStretch(columns, 1)

    def values(self) -> list[str]:
        checked = [v for v, box in self.boxes.items() if box.isChecked()]
        return keep_order(self._loaded, checked)

    def set_values(self, values: Iterable[str]) -> None:
        """Check exactly the known ``values``; unknown ones are ignored."""
        self._loaded = [v for v in values if v in self.boxes]
        for value, box in self.boxes.items():
            box.setChecked(value in self._loaded)

    def watch_with(self, row: FieldRow) -> None:
        """Make every box one of ``row``'s inputs."""
        for box in self.boxes.values():
            row.watch(box)


def enum_choices(values: Iterable[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, label(member)) for member in values]


def muted_label(text: str = "") -> QLabel:
    """Return a label for secondary information (units, derived values)."""
    note = QLabel(text)
    note.setProperty("role", "note")
    palette = note.palette()
    palette.setColor(
        note.foregroundRole(), palette.color(palette.ColorRole.PlaceholderText)
    )
    note.setPalette(palette)
    return note


def accessible_name(text: str) -> str:
    """Return a label's text as an accessible name: no mnemonic, no colon."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text.rstrip(":")


__all__ = [
    "ChecksGroup",
    "ComboBox",
    "DoubleSpinBox",
    "FieldRow",
    "LinesEdit",
    "SpinBox",
    "accessible_name",
    "combo_value",
    "decimal_spin",
    "enum_choices",
    "enum_combo",
    "keep_order",
    "line_edit",
    "muted_label",
    "set_combo_value",
    "spin_value",
    "whole_spin",
]
