"""The sections of the intake form, each reading and writing its intake keys.

A section builds its rows, fills them from an :class:`Intake` (:meth:`load`)
and writes what the user entered into a raw intake dict (:meth:`write`) for
:func:`~packetstudio.intake.parse_intake` to judge. A field left empty is
left out of the dict, so optional fields stay truly optional and a missing
required one gets the intake's own "is required" message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTime, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QWidget,
)

from packetstudio.intake import CM_PER_IN, KG_PER_LB, Intake, completed_years
from packetstudio.ui.intake_widgets import (
    FRAME_WIDTH,
    ChecksGroup,
    ComboBox,
    FieldRow,
    LinesEdit,
    accessible_name,
    combo_value,
    decimal_spin,
    enum_choices,
    enum_combo,
    keep_order,
    line_edit,
    muted_label,
    set_combo_value,
    spin_value,
    whole_spin,
)
from packetstudio.vocabulary import (
    ActivityLevel,
    Allergen,
    ClientType,
    DietType,
    Equipment,
    Experience,
    Goal,
    Sex,
    WorkoutTime,
)

Raw = dict[str, Any]

NOT_GIVEN = "Not given"
LEFT = Qt.AlignmentFlag.AlignLeft
CHOOSE = "Choose..."


class Section(QGroupBox):
    """A titled group of form rows for one part of the intake.

    Attributes:
        only_for: the one client type the section is shown for, or None
            when it is shown for every client.
        labels: the row labels, in order, for the dialog to give mnemonics.
    """

    only_for: ClientType | None = None

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.setObjectName(f"section_{title.split(maxsplit=1)[0].lower()}")
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(
            QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow
        )
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setVerticalSpacing(8)
        self.form.setLabelAlignment(LEFT | Qt.AlignmentFlag.AlignTop)
        self.labels: list[QLabel] = []
        self._line_height = QLineEdit().sizeHint().height() + 2 * FRAME_WIDTH
        self._rows: list[FieldRow] = []
        self._paths: dict[str, FieldRow] = {}

    def add_row(
        self, text: str, row: FieldRow, *, paths: Iterable[str] = ()
    ) -> FieldRow:
        """Add ``row`` under a label reading ``text``, buddy of its first input.

        Args:
            paths: the intake field names whose problems show under the row
                (the row's key when none are given).
        """
        caption = QLabel(text)
        caption.setBuddy(row.inputs[0])
        # Centre the label on the row's first line, even when the row is
        # taller (a list box, an error line under it). The frames' borders
        # come from the dialog's style sheet, not applied yet: add them.
        caption.setAlignment(LEFT | Qt.AlignmentFlag.AlignVCenter)
        first_line = row.line.sizeHint().height() + 2 * FRAME_WIDTH
        caption.setFixedHeight(min(first_line, self._line_height))
        for widget in row.inputs:
            if not widget.accessibleName():
                widget.setAccessibleName(accessible_name(text))
        self.form.addRow(caption, row)
        self.labels.append(caption)
        self._rows.append(row)
        for path in list(paths) or [row.key]:
            self._paths[path] = row
        return row

    def single(
        self,
        text: str,
        widget: QWidget,
        *,
        paths: Iterable[str] = (),
        wide: bool = False,
        after: QWidget | None = None,
    ) -> FieldRow:
        """Add a row of one input (and an optional note after it).

        Args:
            paths: as for :meth:`add_row`.
            wide: let the input take the row's whole width.
        """
        row = FieldRow(widget.objectName(), accessible_name(text))
        row.add(widget, stretch=1 if wide else 0)
        if after is not None:
            row.line.addWidget(after)
        if not wide:
            row.line.addStretch(1)
        return self.add_row(text, row, paths=paths)

    def rows(self) -> list[FieldRow]:
        """Return the section's rows, top to bottom."""
        return list(self._rows)

    def row_for(self, field: str) -> FieldRow | None:
        """Return the row showing problems of ``field`` ("foods_to_avoid[2]")."""
        return self._paths.get(field.split("[", 1)[0])

    def focus_chain(self) -> list[QWidget]:
        """Return the section's focusable widgets in tab order."""
        return [w for row in self.rows() for w in row.inputs]

    def load(self, intake: Intake) -> None:
        """Fill the fields from ``intake``."""

    def write(self, raw: Raw) -> None:
        """Add the fields the user gave to ``raw``, leaving out empty ones."""


def text_into(raw: Raw, key: str, widget: Any) -> None:
    """Put a text widget's stripped text in ``raw`` unless it is empty."""
    value = widget.text() if hasattr(widget, "text") else widget.toPlainText()
    if value.strip():
        raw[key] = value.strip()


def number_into(raw: Raw, key: str, spin: Any) -> None:
    value = spin_value(spin)
    if value is not None:
        raw[key] = value


def choice_into(raw: Raw, key: str, combo: ComboBox) -> None:
    value = combo_value(combo)
    if value is not None:
        raw[key] = value


class PersonalSection(Section):
    """Name, contact details, sex, date of birth or age, and notes."""

    def __init__(self, today: date) -> None:
        super().__init__("Personal")
        self._today = today
        self.full_name = line_edit("full_name", "First and last name")
        self.email = line_edit("email", "Optional")
        self.phone = line_edit("phone", "Optional")
        self.sex = enum_combo("sex", Sex, placeholder=CHOOSE)
        self.date_of_birth = line_edit("date_of_birth", "YYYY-MM-DD")
        self.age_note = muted_label()
        self.age = whole_spin(
            "age", 0, 150, suffix=" years", not_given=NOT_GIVEN, first_step=30
        )
        self.notes = LinesEdit("notes", "Anything the coach should know", lines=3)
        self.notes.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        for widget, width in (
            (self.full_name, 360),
            (self.email, 360),
            (self.phone, 220),
            (self.date_of_birth, 140),
        ):
            widget.setMinimumWidth(width)
        self.single("Full name", self.full_name)
        self.single("Email", self.email)
        self.single("Phone", self.phone)
        self.single("Sex", self.sex)
        self.single("Date of birth", self.date_of_birth, after=self.age_note)
        self.single(
            "Age",
            self.age,
            after=muted_label("only when the date of birth is not known"),
        )
        self.single("Notes", self.notes, wide=True)
        self.date_of_birth.textChanged.connect(self._on_birth_changed)

    @Slot(str)
    def _on_birth_changed(self, text: str) -> None:
        # Saying the age a date gives catches a mistyped year at a glance.
        try:
            born = date.fromisoformat(text.strip())
        except ValueError:
            self.age_note.clear()
            return
        years = completed_years(born, self._today)
        self.age_note.setText(f"{years} years old" if years >= 0 else "")

    def load(self, intake: Intake) -> None:
        self.full_name.setText(intake.full_name)
        self.email.setText(intake.email or "")
        self.phone.setText(intake.phone or "")
        set_combo_value(self.sex, intake.sex.value)
        born = intake.date_of_birth
        self.date_of_birth.setText(born.isoformat() if born else "")
        self.age.setValue(intake.age if born is None and intake.age else 0)
        self.notes.setPlainText(intake.notes or "")

    def write(self, raw: Raw) -> None:
        text_into(raw, "full_name", self.full_name)
        text_into(raw, "email", self.email)
        text_into(raw, "phone", self.phone)
        choice_into(raw, "sex", self.sex)
        text_into(raw, "date_of_birth", self.date_of_birth)
        number_into(raw, "age", self.age)
        text_into(raw, "notes", self.notes)


class BodySection(Section):
    """Height, weight and body fat, in metric or imperial units."""

    def __init__(self, units: str) -> None:
        super().__init__("Body")
        self.imperial = units == "imperial"
        # Shown imperial values and the metric ones they came from: an
        # unchanged field saves its exact metric value, not a round trip.
        self._shown_height: tuple[tuple[Any, Any], float] | None = None
        self._shown_weight: tuple[Any, float] | None = None
        heights = ("height_cm", "height_ft", "height_in")
        weights = ("weight_kg", "weight_lb")
        if self.imperial:
            self.height_ft = whole_spin(
                "height_ft", 0, 9, suffix=" ft", not_given=NOT_GIVEN, first_step=5
            )
            self.height_in = whole_spin("height_in", 0, 11, suffix=" in")
            self.height_in.setAccessibleName("Height, inches")
            self.height_ft.setAccessibleName("Height, feet")
            row = FieldRow("height_ft", "Height")
            row.add(self.height_ft)
            row.add(self.height_in)
            row.line.addStretch(1)
            self.add_row("Height", row, paths=heights)
            self.weight = decimal_spin(
                "weight_lb",
                0,
                2000,
                suffix=" lb",
                not_given=NOT_GIVEN,
                first_step=150,
            )
        else:
            self.height_cm = decimal_spin(
                "height_cm",
                0,
                300,
                suffix=" cm",
                not_given=NOT_GIVEN,
                first_step=170,
            )
            self.single("Height", self.height_cm, paths=heights)
            self.weight = decimal_spin(
                "weight_kg",
                0,
                999.9,
                suffix=" kg",
                not_given=NOT_GIVEN,
                first_step=70,
            )
        self.single("Weight", self.weight, paths=weights)
        self.body_fat = decimal_spin(
            "body_fat_percent",
            0,
            99.9,
            suffix=" %",
            not_given=NOT_GIVEN,
            first_step=25,
        )
        self.single("Body fat", self.body_fat, after=muted_label("optional"))

    def load(self, intake: Intake) -> None:
        if self.imperial:
            feet, inches = divmod(round(intake.height_cm / CM_PER_IN), 12)
            self.height_ft.setValue(feet)
            self.height_in.setValue(inches)
            self.weight.setValue(round(intake.weight_kg / KG_PER_LB, 1))
            shown = (self.height_ft.value(), self.height_in.value())
            self._shown_height = (shown, intake.height_cm)
            self._shown_weight = (self.weight.value(), intake.weight_kg)
        else:
            self.height_cm.setValue(intake.height_cm)
            self.weight.setValue(intake.weight_kg)
        self.body_fat.setValue(intake.body_fat_percent or 0)

    def write(self, raw: Raw) -> None:
        if self.imperial:
            self._write_imperial(raw)
        else:
            number_into(raw, "height_cm", self.height_cm)
            number_into(raw, "weight_kg", self.weight)
        number_into(raw, "body_fat_percent", self.body_fat)

    def _write_imperial(self, raw: Raw) -> None:
        feet = spin_value(self.height_ft)
        shown = (self.height_ft.value(), self.height_in.value())
        if self._shown_height is not None and shown == self._shown_height[0]:
            raw["height_cm"] = self._shown_height[1]
        elif feet is not None:
            raw["height_ft"], raw["height_in"] = shown
        pounds = spin_value(self.weight)
        if self._shown_weight is not None and pounds == self._shown_weight[0]:
            raw["weight_kg"] = self._shown_weight[1]
        elif pounds is not None:
            raw["weight_lb"] = pounds


# What each activity level means, in the words of the usual activity factors.
ACTIVITY_HINTS = {
    ActivityLevel.SEDENTARY: "little or no exercise",
    ActivityLevel.LIGHTLY_ACTIVE: "light exercise 1-3 days a week",
    ActivityLevel.MODERATELY_ACTIVE: "moderate exercise 3-5 days a week",
    ActivityLevel.VERY_ACTIVE: "hard exercise 6-7 days a week",
    ActivityLevel.EXTRA_ACTIVE: "very hard exercise or a physical job",
}


class GoalsSection(Section):
    """Client type, goal and activity level."""

    def __init__(self) -> None:
        super().__init__("Goals and activity")
        self.client_type = enum_combo("client_type", ClientType)
        self.goal = enum_combo("goal", Goal, placeholder=CHOOSE)
        self.activity_level = enum_combo(
            "activity_level", ActivityLevel, placeholder=CHOOSE
        )
        for index, level in enumerate(ActivityLevel):
            text = self.activity_level.itemText(index)
            hint = ACTIVITY_HINTS[level]
            self.activity_level.setItemText(index, f"{text} ({hint})")
        self.single("Client type", self.client_type)
        self.single("Goal", self.goal)
        self.single("Activity level", self.activity_level)

    def chosen_type(self) -> ClientType:
        return ClientType(combo_value(self.client_type) or ClientType.GENERAL)

    def load(self, intake: Intake) -> None:
        set_combo_value(self.client_type, intake.client_type.value)
        set_combo_value(self.goal, intake.goal.value)
        set_combo_value(self.activity_level, intake.activity_level.value)

    def write(self, raw: Raw) -> None:
        choice_into(raw, "client_type", self.client_type)
        choice_into(raw, "goal", self.goal)
        choice_into(raw, "activity_level", self.activity_level)


_CLOCK = re.compile(r"^\d\d:\d\d$")
AT_A_TIME = "at_time"


class TrainingSection(Section):
    """Experience, schedule, preferred time and equipment."""

    def __init__(self) -> None:
        super().__init__("Training")
        self.experience = enum_combo("training_experience", Experience)
        self.days = whole_spin("days_per_week", 1, 7, suffix=" days a week")
        self.days.setValue(3)
        self.minutes = whole_spin("session_minutes", 15, 180, suffix=" minutes", step=5)
        self.minutes.setValue(45)
        self.when = enum_combo(
            "preferred_workout_time", WorkoutTime, none_text="No preference"
        )
        self.when.addItem("At a set time", AT_A_TIME)
        self.clock = QTimeEdit(QTime(18, 0))
        self.clock.setObjectName("preferred_workout_time_at")
        self.clock.setDisplayFormat("HH:mm")
        self.clock.setAccessibleName("Preferred workout time, clock time")
        self.clock.setVisible(False)
        self.equipment = ChecksGroup("equipment", enum_choices(Equipment))
        self.equipment.set_values([Equipment.BODYWEIGHT.value])

        self.single("Experience", self.experience, paths=["training_experience"])
        self.single("Training days", self.days)
        self.single("Session length", self.minutes)
        row = FieldRow("preferred_workout_time", "Preferred workout time")
        row.add(self.when)
        row.add(self.clock)
        row.line.addStretch(1)
        self.add_row("Preferred time", row)
        row = FieldRow("equipment", "Equipment")
        row.line.addWidget(self.equipment, 1)
        self.equipment.watch_with(row)
        self.add_row("Equipment", row)
        self.when.currentIndexChanged.connect(self._on_when_changed)

    @Slot()
    def _on_when_changed(self) -> None:
        self.clock.setVisible(combo_value(self.when) == AT_A_TIME)

    def load(self, intake: Intake) -> None:
        set_combo_value(self.experience, intake.training_experience.value)
        self.days.setValue(intake.days_per_week)
        self.minutes.setValue(intake.session_minutes)
        when = intake.preferred_workout_time or ""
        if _CLOCK.match(when):
            hours, minutes = (int(part) for part in when.split(":"))
            self.clock.setTime(QTime(hours, minutes))
            when = AT_A_TIME
        set_combo_value(self.when, when)
        self.equipment.set_values(e.value for e in intake.equipment)

    def write(self, raw: Raw) -> None:
        choice_into(raw, "training_experience", self.experience)
        raw["days_per_week"] = self.days.value()
        raw["session_minutes"] = self.minutes.value()
        when = combo_value(self.when)
        if when == AT_A_TIME:
            raw["preferred_workout_time"] = self.clock.time().toString("HH:mm")
        elif when:
            raw["preferred_workout_time"] = when
        raw["equipment"] = self.equipment.values()


# Struggles the nutrition packet has tips for; anything else is free text.
KNOWN_STRUGGLES = (
    "cravings",
    "time",
    "eating_out",
    "late_night_snacking",
    "motivation",
    "budget",
    "cooking_skills",
    "travel",
    "stress_eating",
    "alcohol",
    "hunger",
    "social_events",
)


class NutritionSection(Section):
    """Diet, allergies, foods to avoid, meals and struggles."""

    def __init__(self) -> None:
        super().__init__("Nutrition")
        self.diet = enum_combo("diet_type", DietType)
        allergens = enum_choices(Allergen)
        self.allergies = ChecksGroup("allergies", allergens, columns=5)
        self.avoid = LinesEdit("foods_to_avoid", "One per line, for example: mushrooms")
        self.meals = whole_spin("meals_per_day", 2, 6, suffix=" meals a day")
        self.meals.setValue(3)
        struggles = [
            (key, key.replace("_", " ").capitalize()) for key in KNOWN_STRUGGLES
        ]
        self.struggles = ChecksGroup("struggles", struggles, columns=4)
        self.other = LinesEdit(
            "struggles_other", "Other struggles, one per line", lines=2
        )
        self._loaded_struggles: list[str] = []

        self.single("Diet", self.diet, paths=["diet_type"])
        row = FieldRow("allergies", "Allergies")
        row.line.addWidget(self.allergies, 1)
        self.allergies.watch_with(row)
        self.add_row("Allergies", row)
        self.single("Foods to avoid", self.avoid, wide=True)
        self.single("Meals", self.meals, paths=["meals_per_day"])
        row = FieldRow("struggles", "Struggles")
        row.line.addWidget(self.struggles, 1)
        self.struggles.watch_with(row)
        other = row.new_line()
        other.addWidget(row.framed(self.other))
        row.watch(self.other)
        self.other.setAccessibleName("Other struggles")
        self.add_row("Struggles", row)

    def load(self, intake: Intake) -> None:
        set_combo_value(self.diet, intake.diet_type.value)
        self.allergies.set_values(a.value for a in intake.allergies)
        self.avoid.set_lines(intake.foods_to_avoid)
        self.meals.setValue(intake.meals_per_day)
        self._loaded_struggles = list(intake.struggles)
        self.struggles.set_values(intake.struggles)
        others = [s for s in intake.struggles if s not in KNOWN_STRUGGLES]
        self.other.set_lines(others)

    def write(self, raw: Raw) -> None:
        choice_into(raw, "diet_type", self.diet)
        raw["allergies"] = self.allergies.values()
        raw["foods_to_avoid"] = self.avoid.lines()
        raw["meals_per_day"] = self.meals.value()
        current = self.struggles.values() + self.other.lines()
        raw["struggles"] = keep_order(self._loaded_struggles, current)
