"""The sections shown for one client type only: athlete, youth, recovery."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QCheckBox

from packetstudio.intake import Intake
from packetstudio.ui.intake_sections import (
    CHOOSE,
    NOT_GIVEN,
    Raw,
    Section,
    choice_into,
    number_into,
    text_into,
)
from packetstudio.ui.intake_widgets import (
    ComboBox,
    LinesEdit,
    enum_combo,
    line_edit,
    muted_label,
    set_combo_value,
    whole_spin,
)
from packetstudio.vocabulary import BodyArea, ClientType, SeasonPhase


class AthleteSection(Section):
    """Sport, position, season phase and competition level."""

    only_for = ClientType.ATHLETE

    def __init__(self, sports: Iterable[tuple[str, str]]) -> None:
        """Build the section; ``sports`` are (id, name) pairs for the list."""
        super().__init__("Athlete")
        self.sport = ComboBox()
        self.sport.setObjectName("sport")
        self.sport.setEditable(True)
        self.sport.setInsertPolicy(ComboBox.InsertPolicy.NoInsert)
        for sport_id, name in sports:
            self.sport.addItem(name, sport_id)
        self.sport.setCurrentIndex(-1)
        sport_text = self.sport.lineEdit()
        assert sport_text is not None  # an editable combo box has one
        sport_text.setPlaceholderText("Choose or type a sport")
        self.sport.setMinimumWidth(300)
        self._loaded_sport: tuple[str, str] | None = None
        self.position = line_edit("position", "Optional")
        self.season_phase = enum_combo("season_phase", SeasonPhase, placeholder=CHOOSE)
        self.competition_level = line_edit("competition_level", "Optional")
        for edit in (self.position, self.competition_level):
            edit.setMinimumWidth(300)
        self.single("Sport", self.sport)
        self.single("Position", self.position)
        self.single("Season phase", self.season_phase)
        self.single("Competition level", self.competition_level)

    def load(self, intake: Intake) -> None:
        sport = intake.sport or ""
        index = self.sport.findData(sport) if sport else -1
        self.sport.setCurrentIndex(index)
        if index < 0:
            self.sport.setEditText(sport)
        self._loaded_sport = (self.sport.currentText(), sport)
        self.position.setText(intake.position or "")
        set_combo_value(self.season_phase, intake.season_phase)
        self.competition_level.setText(intake.competition_level or "")

    def sport_value(self) -> str:
        """Return the sport: a library id if picked, else the text."""
        text = self.sport.currentText().strip()
        if self._loaded_sport is not None and text == self._loaded_sport[0]:
            return self._loaded_sport[1]
        index = self.sport.findText(text)
        return str(self.sport.itemData(index)) if index >= 0 else text

    def write(self, raw: Raw) -> None:
        if sport := self.sport_value():
            raw["sport"] = sport
        text_into(raw, "position", self.position)
        choice_into(raw, "season_phase", self.season_phase)
        text_into(raw, "competition_level", self.competition_level)


class YouthSection(Section):
    """The guardian's name and the school grade of a youth client."""

    only_for = ClientType.YOUTH

    def __init__(self) -> None:
        super().__init__("Youth")
        self.guardian_name = line_edit("guardian_name", "Optional")
        self.guardian_name.setMinimumWidth(300)
        self.school_grade = line_edit("school_grade", "Optional")
        self.school_grade.setMinimumWidth(140)
        self.single("Guardian's name", self.guardian_name)
        self.single("School grade", self.school_grade)

    def load(self, intake: Intake) -> None:
        self.guardian_name.setText(intake.guardian_name or "")
        self.school_grade.setText(intake.school_grade or "")

    def write(self, raw: Raw) -> None:
        text_into(raw, "guardian_name", self.guardian_name)
        text_into(raw, "school_grade", self.school_grade)


class RecoverySection(Section):
    """What a recovery client tells us about the problem they return from."""

    only_for = ClientType.RECOVERY

    def __init__(self) -> None:
        super().__init__("Recovery")
        self.condition = line_edit("recovery_condition", "For example: ankle sprain")
        self.condition.setMinimumWidth(300)
        self.area = enum_combo("recovery_area", BodyArea, placeholder=CHOOSE)
        self.weeks = whole_spin(
            "recovery_weeks_since_onset",
            -1,
            999,
            suffix=" weeks",
            not_given=NOT_GIVEN,
            first_step=2,
        )
        self.pain_now = whole_spin(
            "recovery_pain_now",
            -1,
            99,
            suffix=" / 10",
            not_given=NOT_GIVEN,
            first_step=0,
        )
        self.clearance = QCheckBox("Cleared for exercise by a doctor or therapist")
        self.clearance.setObjectName("recovery_medical_clearance")
        self.aggravating = LinesEdit("recovery_aggravating_movements")
        self.red_flags = LinesEdit(
            "recovery_red_flags", "One per line, for example: numbness at night"
        )
        self.single("Condition", self.condition, paths=["recovery.condition"])
        self.single("Injured area", self.area, paths=["recovery.area"])
        self.single(
            "Weeks since it began", self.weeks, paths=["recovery.weeks_since_onset"]
        )
        self.single(
            "Pain right now",
            self.pain_now,
            paths=["recovery.pain_now"],
            after=muted_label("0 = no pain, 10 = worst imaginable"),
        )
        self.single(
            "Medical clearance", self.clearance, paths=["recovery.medical_clearance"]
        )
        self.single(
            "Aggravating movements",
            self.aggravating,
            paths=["recovery.aggravating_movements"],
            wide=True,
        )
        self.single(
            "Red flags", self.red_flags, paths=["recovery.red_flags"], wide=True
        )

    def load(self, intake: Intake) -> None:
        details = intake.recovery
        if details is None:
            return
        self.condition.setText(details.condition)
        set_combo_value(self.area, details.area.value)
        self.weeks.setValue(details.weeks_since_onset)
        self.pain_now.setValue(details.pain_now)
        self.clearance.setChecked(details.medical_clearance)
        self.aggravating.set_lines(details.aggravating_movements)
        self.red_flags.set_lines(details.red_flags)

    def write(self, raw: Raw) -> None:
        details: Raw = {}
        text_into(details, "condition", self.condition)
        choice_into(details, "area", self.area)
        number_into(details, "weeks_since_onset", self.weeks)
        number_into(details, "pain_now", self.pain_now)
        details["medical_clearance"] = self.clearance.isChecked()
        details["aggravating_movements"] = self.aggravating.lines()
        details["red_flags"] = self.red_flags.lines()
        raw["recovery"] = details
