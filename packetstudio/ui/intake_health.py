"""The Health and injuries section: a list of injuries and medical conditions.

Injuries are rows the user adds and removes. Row ``i`` shows the problems the
intake reports for ``injuries[i]``; its inputs are named ``injuries_<i>_area``
(``_side``, ``_status``, ``_notes``, ``_remove``) and renumbered when a row
above is removed, so names always match the positions the intake reports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from packetstudio.intake import Injury, Intake
from packetstudio.ui.intake_sections import Raw, Section
from packetstudio.ui.intake_widgets import (
    FieldRow,
    LinesEdit,
    combo_value,
    enum_combo,
    line_edit,
    muted_label,
    set_combo_value,
)
from packetstudio.vocabulary import BodyArea, InjuryStatus, Side

MAX_INJURIES = 12
_ITEM = re.compile(r"^injuries\[(\d+)\]")


class InjuryRow(FieldRow):
    """One injury: area, side, status and notes, with its error line.

    Signals:
        remove_requested(row): the user pressed the row's Remove button.
    """

    remove_requested = Signal(object)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(f"injuries_{index}", f"Injury {index + 1}", parent)
        self.caption = QLabel()
        number_width = self.fontMetrics().horizontalAdvance("00.")
        self.caption.setFixedWidth(number_width + 4)
        self.area = enum_combo("", BodyArea, placeholder="Choose an area")
        self.side = enum_combo("", Side, none_text="Side not given")
        self.status = enum_combo("", InjuryStatus, none_text="Status not given")
        self.notes = line_edit("", "Notes (optional)")
        self.remove = QPushButton("Remove")
        self.remove.setAutoDefault(False)
        self._captions: dict[str, QLabel] = {}

        self.line.addWidget(self.caption)
        for name, widget in (
            ("Area", self.area),
            ("Side", self.side),
            ("Status", self.status),
        ):
            self._add_labelled(self.line, name, widget)
        self.line.addStretch(1)
        self.line.addWidget(self.remove)
        notes = self.new_line()
        notes.addSpacing(self.caption.width() + notes.spacing())
        self._add_labelled(notes, "Notes", self.notes, stretch=1)
        self.remove.clicked.connect(self._on_remove)
        self.set_index(index)

    def _add_labelled(
        self, line: Any, name: str, widget: QWidget, stretch: int = 0
    ) -> None:
        caption = QLabel(name)
        caption.setBuddy(widget)
        self._captions[name] = caption
        line.addWidget(caption)
        line.addWidget(self.framed(widget), stretch)
        self.watch(widget)

    def set_index(self, index: int) -> None:
        """Name the row and its inputs after its position in the list."""
        self.key = f"injuries_{index}"
        self.title = f"Injury {index + 1}"
        self.setObjectName(self.key)
        self.error.setObjectName(f"error_{self.key}")
        self.caption.setText(f"<b>{index + 1}.</b>")
        for field, widget in (
            ("area", self.area),
            ("side", self.side),
            ("status", self.status),
            ("notes", self.notes),
        ):
            widget.setObjectName(f"{self.key}_{field}")
            widget.setAccessibleName(f"Injury {index + 1} {field}")
        self.remove.setObjectName(f"{self.key}_remove")
        self.remove.setAccessibleName(f"Remove injury {index + 1}")

    def inputs_for(self, field: str) -> list[QWidget]:
        """Return the input ``injuries[i].<name>`` is about (all for others)."""
        name = field.rsplit(".", 1)[-1]
        fields = {
            "area": self.area,
            "side": self.side,
            "status": self.status,
            "notes": self.notes,
        }
        return [fields[name]] if name in fields else list(self.inputs)

    def retire(self) -> None:
        """Take the row out of use: unnamed and hidden until deleted.

        A retired row still exists until the event loop deletes it; clearing
        its names keeps ``findChild`` from finding it instead of the row that
        took over its position.
        """
        for widget in [self, self.error, self.remove, *self.inputs]:
            widget.setObjectName("")
        self.hide()
        self.deleteLater()

    def value(self) -> dict[str, str]:
        """Return the injury as raw intake data, without what is not given."""
        data: dict[str, str] = {}
        for field, combo in (
            ("area", self.area),
            ("side", self.side),
            ("status", self.status),
        ):
            if chosen := combo_value(combo):
                data[field] = chosen
        if self.notes.text().strip():
            data["notes"] = self.notes.text().strip()
        return data

    def load(self, injury: Injury) -> None:
        set_combo_value(self.area, injury.area.value)
        set_combo_value(self.side, injury.side.value if injury.side else None)
        status = injury.status.value if injury.status else None
        set_combo_value(self.status, status)
        self.notes.setText(injury.notes or "")

    @Slot()
    def _on_remove(self) -> None:
        self.remove_requested.emit(self)


class InjuryEditor(QWidget):
    """The list of injuries: rows to fill in, an Add button, Remove per row.

    Signals:
        rows_changed(): a row was added or removed; edits within a row are
            the row inputs' own change signals.
    """

    rows_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("injuries")
        self.rows: list[InjuryRow] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(10)
        box.addLayout(self._rows_box)
        self.empty = muted_label("No injuries.")
        self._rows_box.addWidget(self.empty)
        self.add_button = QPushButton("Add injury")
        self.add_button.setObjectName("injuries_add")
        self.add_button.setAutoDefault(False)
        box.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_button.clicked.connect(self._on_add)

    def add_row(self, injury: Injury | None = None) -> InjuryRow:
        """Add a row at the end, filled from ``injury`` when given."""
        row = InjuryRow(len(self.rows), self)
        if injury is not None:
            row.load(injury)
        row.touched = injury is None
        row.remove_requested.connect(self._on_remove)
        self.rows.append(row)
        self._rows_box.addWidget(row)
        self._refresh()
        return row

    def values(self) -> list[dict[str, str]]:
        return [row.value() for row in self.rows]

    def set_values(self, injuries: Iterable[Injury]) -> None:
        for row in list(self.rows):
            self._drop(row)
        for injury in injuries:
            self.add_row(injury)

    def focus_chain(self) -> list[QWidget]:
        chain: list[QWidget] = []
        for row in self.rows:
            chain += [*row.inputs, row.remove]
        return [*chain, self.add_button]

    @Slot()
    def _on_add(self) -> None:
        row = self.add_row()
        row.area.setFocus(Qt.FocusReason.OtherFocusReason)

    @Slot(object)
    def _on_remove(self, row: InjuryRow) -> None:
        index = self.rows.index(row)
        self._drop(row)
        # Keep the keyboard where the user was: the next row, or Add.
        rows = self.rows
        target = rows[index].area if index < len(rows) else self.add_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _drop(self, row: InjuryRow) -> None:
        self.rows.remove(row)
        self._rows_box.removeWidget(row)
        row.retire()
        for index, kept in enumerate(self.rows):
            kept.set_index(index)
        self._refresh()

    def _refresh(self) -> None:
        self.empty.setVisible(not self.rows)
        self.add_button.setEnabled(len(self.rows) < MAX_INJURIES)
        self.rows_changed.emit()


class HealthSection(Section):
    """Injuries and medical conditions.

    Signals:
        rows_changed(): injury rows were added or removed.
    """

    rows_changed = Signal()

    def __init__(self) -> None:
        super().__init__("Health and injuries")
        self.injuries = InjuryEditor()
        row = FieldRow("injuries", "Injuries")
        row.line.addWidget(self.injuries, 1)
        row.inputs.append(self.injuries.add_button)
        self.add_row("Injuries", row, paths=["injuries"])
        self.injuries.rows_changed.connect(self.rows_changed)
        self.conditions = LinesEdit(
            "medical_conditions", "One per line, for example: asthma"
        )
        self.single("Medical conditions", self.conditions, wide=True)

    def rows(self) -> list[FieldRow]:
        first, *rest = super().rows()
        return [first, *self.injuries.rows, *rest]

    def row_for(self, field: str) -> FieldRow | None:
        match = _ITEM.match(field)
        if match is None:
            return super().row_for(field)
        index = int(match.group(1))
        rows = self.injuries.rows
        return rows[index] if index < len(rows) else None

    def focus_chain(self) -> list[QWidget]:
        return [*self.injuries.focus_chain(), self.conditions]

    def load(self, intake: Intake) -> None:
        self.injuries.set_values(intake.injuries)
        self.conditions.set_lines(intake.medical_conditions)

    def write(self, raw: Raw) -> None:
        raw["injuries"] = self.injuries.values()
        raw["medical_conditions"] = self.conditions.lines()
