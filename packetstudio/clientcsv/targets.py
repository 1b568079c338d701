"""What a CSV column can answer: the intake fields, and how each is read.

A column is mapped to a *target*. Most targets are an intake key; a few exist
because forms ask differently from the intake: "First name" and "Last name"
are joined into ``full_name``, "Height" takes any unit while "Height (cm)"
reads a bare number as centimetres, and "Injured areas" turns a checkbox
answer into a list of injuries. The target keys double as the export's column
names, so an exported file maps back one to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from packetstudio.vocabulary import (
    ActivityLevel,
    Allergen,
    BodyArea,
    ClientType,
    DietType,
    Equipment,
    Experience,
    Goal,
    InjuryStatus,
    SeasonPhase,
    Sex,
    Side,
)

IGNORE = "ignore"
MAX_INJURIES = 12


class Kind(StrEnum):
    """How the text of an answer is read."""

    TEXT = "text"
    NAME_PART = "name_part"
    INTEGER = "integer"
    NUMBER = "number"
    MINUTES = "minutes"
    HEIGHT = "height"
    WEIGHT = "weight"
    DATE = "date"
    CLOCK = "clock"
    YES_NO = "yes_no"
    CHOICE = "choice"
    CHOICES = "choices"
    TEXT_LIST = "text_list"
    INJURY_AREAS = "injury_areas"


@dataclass(frozen=True)
class Target:
    """One thing a column can answer.

    Attributes:
        key: the name in a mapping file and the export's column name.
        label: what the import wizard and the error report call it.
        kind: how an answer is read.
        intake_key: where the value goes in the raw intake, dotted for
            nested fields ("recovery.pain_now").
        choices: the allowed values of a choice or checkbox answer.
        unit: the unit of a bare number in a height or weight answer.
        units: words allowed after a number ("3 days", "45 min").
    """

    key: str
    label: str
    kind: Kind
    intake_key: str
    choices: type[StrEnum] | None = None
    unit: str | None = None
    units: tuple[str, ...] = ()

    @property
    def subject(self) -> str:
        """Return what a problem message calls the field ("Height")."""
        if self.kind is Kind.HEIGHT:
            return "Height"
        if self.kind is Kind.WEIGHT:
            return "Weight"
        return self.label


def _t(
    key: str,
    label: str,
    kind: Kind,
    *,
    choices: type[StrEnum] | None = None,
    intake_key: str | None = None,
    unit: str | None = None,
    units: tuple[str, ...] = (),
) -> Target:
    return Target(key, label, kind, intake_key or key, choices, unit, units)


_YEARS = ("year", "years", "yr", "yrs", "y", "years old", "y o")
_DAYS = (
    "day",
    "days",
    "time",
    "times",
    "x",
    "day a week",
    "days a week",
    "days per week",
    "days week",
    "times a week",
    "times per week",
    "times week",
    "x a week",
    "x per week",
    "x week",
)
_MEALS = ("meal", "meals", "a day", "per day", "meals a day", "meals per day")
_WEEKS = ("week", "weeks", "wk", "wks", "weeks ago")
_PAIN = ("10", "out of 10", "of 10")

_BASE: tuple[Target, ...] = (
    _t("full_name", "Full name", Kind.TEXT),
    _t("first_name", "First name", Kind.NAME_PART, intake_key="full_name"),
    _t("last_name", "Last name", Kind.NAME_PART, intake_key="full_name"),
    _t("email", "Email", Kind.TEXT),
    _t("phone", "Phone", Kind.TEXT),
    _t("sex", "Sex", Kind.CHOICE, choices=Sex),
    _t("date_of_birth", "Date of birth", Kind.DATE),
    _t("age", "Age", Kind.INTEGER, units=_YEARS),
    _t("height", "Height (any unit)", Kind.HEIGHT, intake_key="height_cm"),
    _t("height_cm", "Height in cm", Kind.HEIGHT, unit="cm"),
    _t("height_ft", "Height, feet part", Kind.NUMBER, units=("ft", "feet", "foot")),
    _t("height_in", "Height, inches part", Kind.NUMBER, units=("in", "inch", "inches")),
    _t("weight", "Weight (any unit)", Kind.WEIGHT, intake_key="weight_kg"),
    _t("weight_kg", "Weight in kg", Kind.WEIGHT, unit="kg"),
    _t("weight_lb", "Weight in lb", Kind.WEIGHT, unit="lb", intake_key="weight_kg"),
    _t("body_fat_percent", "Body fat %", Kind.NUMBER, units=("percent",)),
    _t("client_type", "Client type", Kind.CHOICE, choices=ClientType),
    _t("goal", "Goal", Kind.CHOICE, choices=Goal),
    _t("activity_level", "Activity level", Kind.CHOICE, choices=ActivityLevel),
    _t(
        "training_experience",
        "Training experience",
        Kind.CHOICE,
        choices=Experience,
    ),
    _t("days_per_week", "Training days per week", Kind.INTEGER, units=_DAYS),
    _t("session_minutes", "Session length", Kind.MINUTES),
    _t("preferred_workout_time", "Preferred workout time", Kind.CLOCK),
    _t("equipment", "Equipment", Kind.CHOICES, choices=Equipment),
    _t(
        "injuries",
        "Injured areas",
        Kind.INJURY_AREAS,
        choices=BodyArea,
    ),
    _t("medical_conditions", "Medical conditions", Kind.TEXT_LIST),
    _t("diet_type", "Diet", Kind.CHOICE, choices=DietType),
    _t("allergies", "Allergies", Kind.CHOICES, choices=Allergen),
    _t("foods_to_avoid", "Foods to avoid", Kind.TEXT_LIST),
    _t("meals_per_day", "Meals per day", Kind.INTEGER, units=_MEALS),
    _t("struggles", "Struggles", Kind.TEXT_LIST),
    _t("sport", "Sport", Kind.TEXT),
    _t("position", "Position", Kind.TEXT),
    _t("season_phase", "Season phase", Kind.CHOICE, choices=SeasonPhase),
    _t("competition_level", "Competition level", Kind.TEXT),
    _t("guardian_name", "Guardian's name", Kind.TEXT),
    _t("school_grade", "School grade", Kind.TEXT),
    _t("recovery.condition", "Recovery: condition", Kind.TEXT),
    _t("recovery.area", "Recovery: injured area", Kind.CHOICE, choices=BodyArea),
    _t(
        "recovery.weeks_since_onset",
        "Recovery: weeks since it began",
        Kind.INTEGER,
        units=_WEEKS,
    ),
    _t("recovery.pain_now", "Recovery: pain now (0-10)", Kind.INTEGER, units=_PAIN),
    _t("recovery.medical_clearance", "Recovery: medical clearance", Kind.YES_NO),
    _t(
        "recovery.aggravating_movements",
        "Recovery: movements that hurt",
        Kind.TEXT_LIST,
    ),
    _t("recovery.red_flags", "Recovery: red flags", Kind.TEXT_LIST),
    _t("notes", "Notes", Kind.TEXT),
)


def injury_key(number: int, part: str) -> str:
    """Return the target key of one part of the numbered injury (1-based)."""
    return f"injury_{number}.{part}"


def _injury_targets() -> tuple[Target, ...]:
    parts: tuple[tuple[str, Kind, type[StrEnum] | None], ...] = (
        ("area", Kind.CHOICE, BodyArea),
        ("side", Kind.CHOICE, Side),
        ("status", Kind.CHOICE, InjuryStatus),
        ("notes", Kind.TEXT, None),
    )
    return tuple(
        _t(
            injury_key(number, part),
            f"Injury {number}: {part}",
            kind,
            choices=choices,
            intake_key=f"injuries[{number - 1}].{part}",
        )
        for number in range(1, MAX_INJURIES + 1)
        for part, kind, choices in parts
    )


TARGETS: dict[str, Target] = {t.key: t for t in _BASE + _injury_targets()}

# Groups of targets of which a row needs at least one, named for messages.
REQUIRED: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Full name", ("full_name", "first_name", "last_name")),
    ("Sex", ("sex",)),
    ("Age or date of birth", ("age", "date_of_birth")),
    ("Height", ("height", "height_cm", "height_ft", "height_in")),
    ("Weight", ("weight", "weight_kg", "weight_lb")),
    ("Client type", ("client_type",)),
    ("Goal", ("goal",)),
    ("Activity level", ("activity_level",)),
)


def target_label(key: str) -> str:
    """Return the words for a target key, or "Ignore"."""
    if key == IGNORE:
        return "Ignore this column"
    return TARGETS[key].label
