"""The one validated model of a client's intake.

Everything that enters PacketStudio (the intake form, a CSV import, a JSON file
given to the command line) passes through :func:`parse_intake`. Canonical units
are metric; imperial input is converted on the way in. An invalid intake raises
:class:`IntakeError`, which lists every problem as a :class:`FieldProblem` in
words a front-desk worker understands.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Self, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

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
    WorkoutTime,
)

_T = TypeVar("_T")

KG_PER_LB = 0.45359237
CM_PER_IN = 2.54

MIN_AGE, MAX_AGE = 5, 110
MIN_WEIGHT_KG, MAX_WEIGHT_KG = 20, 350
MIN_HEIGHT_CM, MAX_HEIGHT_CM = 100, 250
YOUTH_AGES = (7, 17)

_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ().\-]{6,24}$")


def _feet_inches(cm: float) -> str:
    total = round(cm / CM_PER_IN)
    return f"{total // 12} ft {total % 12} in"


# What each field allows, in the words a range or type error is reported with.
# Keyed by the field's path with list indexes removed ("injuries.area").
_RULES: dict[str, tuple[str, str]] = {
    "full_name": ("Full name", "1 to 120 characters"),
    "email": ("Email", "an address like name@example.com"),
    "phone": ("Phone", "digits, spaces and + ( ) - only, 6 to 24 characters"),
    "notes": ("Notes", "at most 2,000 characters"),
    "sex": ("Sex", "female or male"),
    "age": ("Age", f"a whole number of years between {MIN_AGE} and {MAX_AGE}"),
    "date_of_birth": (
        "Date of birth",
        f"a date like 1990-04-21, for an age between {MIN_AGE} and {MAX_AGE}",
    ),
    "height_cm": (
        "Height",
        f"between {MIN_HEIGHT_CM} and {MAX_HEIGHT_CM} cm "
        f"({_feet_inches(MIN_HEIGHT_CM)} to {_feet_inches(MAX_HEIGHT_CM)})",
    ),
    "weight_kg": (
        "Weight",
        f"between {MIN_WEIGHT_KG} and {MAX_WEIGHT_KG} kg "
        f"({math.ceil(MIN_WEIGHT_KG / KG_PER_LB)}-"
        f"{math.floor(MAX_WEIGHT_KG / KG_PER_LB)} lb)",
    ),
    "body_fat_percent": ("Body fat", "between 3 and 70 percent"),
    "days_per_week": ("Training days per week", "a whole number from 1 to 7"),
    "session_minutes": ("Session length", "between 15 and 180 minutes"),
    "preferred_workout_time": (
        "Preferred workout time",
        "morning, midday, evening or a time like 17:30",
    ),
    "meals_per_day": ("Meals per day", "a whole number from 2 to 6"),
    "recovery.weeks_since_onset": (
        "Weeks since the injury began",
        "a whole number from 0 to 520",
    ),
    "recovery.pain_now": ("Pain right now", "a whole number from 0 to 10"),
    "recovery.medical_clearance": ("Medical clearance", "yes or no"),
}

_LABELS: dict[str, str] = {
    "client_type": "Client type",
    "goal": "Goal",
    "activity_level": "Activity level",
    "training_experience": "Training experience",
    "equipment": "Equipment",
    "injuries": "Injuries",
    "injuries.area": "Injury area",
    "injuries.side": "Injury side",
    "injuries.status": "Injury status",
    "injuries.notes": "Injury notes",
    "medical_conditions": "Medical conditions",
    "diet_type": "Diet",
    "allergies": "Allergies",
    "foods_to_avoid": "Foods to avoid",
    "struggles": "Struggles",
    "sport": "Sport",
    "position": "Position",
    "season_phase": "Season phase",
    "competition_level": "Competition level",
    "guardian_name": "Guardian's name",
    "school_grade": "School grade",
    "recovery": "Recovery details",
    "recovery.condition": "Condition",
    "recovery.area": "Injured area",
    "recovery.aggravating_movements": "Aggravating movements",
    "recovery.red_flags": "Red flags",
}

_ENUMS: dict[str, type[Any]] = {
    "sex": Sex,
    "client_type": ClientType,
    "goal": Goal,
    "activity_level": ActivityLevel,
    "training_experience": Experience,
    "equipment": Equipment,
    "injuries.area": BodyArea,
    "injuries.side": Side,
    "injuries.status": InjuryStatus,
    "diet_type": DietType,
    "allergies": Allergen,
    "season_phase": SeasonPhase,
    "recovery.area": BodyArea,
}


@dataclass(frozen=True)
class FieldProblem:
    """One invalid field: where it is and what is allowed.

    Attributes:
        field: the intake key as the user gave it, with list positions
            ("injuries[1].area").
        message: a complete sentence naming the field and what it allows.
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class IntakeError(ValueError):
    """An intake failed validation; ``problems`` lists every invalid field."""

    def __init__(self, problems: Iterable[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    def fields(self) -> list[str]:
        """Return the invalid fields, in the order they were reported."""
        return [p.field for p in self.problems]


def _tidy_strings(value: Any) -> Any:
    """Strip each string of a list and drop empty ones and repeats."""
    if not isinstance(value, list):
        return value
    seen: list[Any] = []
    for raw in value:
        item = raw.strip() if isinstance(raw, str) else raw
        if item != "" and item not in seen:
            seen.append(item)
    return seen


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value.strip() if isinstance(value, str) else value


ShortText = Annotated[
    str, BeforeValidator(_blank_to_none), Field(min_length=1, max_length=200)
]
OptionalText = Annotated[
    Annotated[str, Field(max_length=200)] | None, BeforeValidator(_blank_to_none)
]
TextList = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=200)]],
    BeforeValidator(_tidy_strings),
    Field(default_factory=list, max_length=30),
]


def _unique(value: list[_T]) -> list[_T]:
    return list(dict.fromkeys(value))


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, use_enum_values=False
    )


class Injury(_Strict):
    """A current or past injury the workout must work around."""

    area: BodyArea
    side: Side | None = None
    status: InjuryStatus | None = None
    notes: OptionalText = None

    @property
    def limits_training(self) -> bool:
        """Whether exercises loading this area are excluded (not when healed)."""
        return self.status is not InjuryStatus.HEALED


class RecoveryDetails(_Strict):
    """What a recovery (return to activity) client tells us about the problem."""

    condition: ShortText
    area: BodyArea
    weeks_since_onset: Annotated[int, Field(ge=0, le=520)]
    pain_now: Annotated[int, Field(ge=0, le=10)]
    medical_clearance: bool
    aggravating_movements: TextList
    red_flags: TextList


class Intake(_Strict):
    """A client's intake, validated and in metric units.

    Build one with :func:`parse_intake` to get plain-language errors and
    imperial conversion; constructing it directly skips both.
    """

    full_name: Annotated[str, Field(min_length=1, max_length=120)]
    email: OptionalText = None
    phone: OptionalText = None
    notes: Annotated[
        Annotated[str, Field(max_length=2000)] | None, BeforeValidator(_blank_to_none)
    ] = None
    sex: Sex
    age: Annotated[int | None, Field(ge=MIN_AGE, le=MAX_AGE)] = None
    date_of_birth: date | None = None
    height_cm: Annotated[float, Field(ge=MIN_HEIGHT_CM, le=MAX_HEIGHT_CM)]
    weight_kg: Annotated[float, Field(ge=MIN_WEIGHT_KG, le=MAX_WEIGHT_KG)]
    body_fat_percent: Annotated[float | None, Field(ge=3, le=70)] = None

    client_type: ClientType
    goal: Goal
    activity_level: ActivityLevel

    training_experience: Experience = Experience.BEGINNER
    days_per_week: Annotated[int, Field(ge=1, le=7)] = 3
    session_minutes: Annotated[int, Field(ge=15, le=180)] = 45
    preferred_workout_time: str | None = None
    equipment: Annotated[
        list[Equipment], Field(default_factory=lambda: [Equipment.BODYWEIGHT])
    ]

    injuries: Annotated[list[Injury], Field(default_factory=list, max_length=12)]
    medical_conditions: TextList

    diet_type: DietType = DietType.OMNIVORE
    allergies: Annotated[list[Allergen], Field(default_factory=list)]
    foods_to_avoid: TextList
    meals_per_day: Annotated[int, Field(ge=2, le=6)] = 3
    struggles: TextList

    sport: OptionalText = None
    position: OptionalText = None
    season_phase: SeasonPhase | None = None
    competition_level: OptionalText = None

    guardian_name: OptionalText = None
    school_grade: OptionalText = None

    recovery: RecoveryDetails | None = None

    @field_validator("full_name", mode="before")
    @classmethod
    def _name_not_blank(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            raise PydanticCustomError("blank", "blank")
        return value

    @field_validator("email")
    @classmethod
    def _email_shape(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL.match(value):
            raise PydanticCustomError("format", "format")
        return value

    @field_validator("phone")
    @classmethod
    def _phone_shape(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE.match(value):
            raise PydanticCustomError("format", "format")
        return value

    @field_validator("date_of_birth")
    @classmethod
    def _birth_in_range(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is not None and not _stored(info):
            age = completed_years(value, date.today())
            if not MIN_AGE <= age <= MAX_AGE:
                raise PydanticCustomError("range", "range")
        return value

    @field_validator("preferred_workout_time", mode="before")
    @classmethod
    def _workout_time(cls, value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value).strip().lower()
        if text in {t.value for t in WorkoutTime} or _CLOCK.match(text):
            return text
        raise PydanticCustomError("format", "format")

    @field_validator("equipment", "allergies")
    @classmethod
    def _dedupe(cls, value: list[Any]) -> list[Any]:
        return _unique(value)

    @field_validator("height_cm", "weight_kg", "body_fat_percent")
    @classmethod
    def _one_decimal(cls, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise PydanticCustomError("range", "range")
        return None if value is None else round(value, 1)

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Self:
        problems: list[tuple[str, str]] = []
        stored = _stored(info)
        if self.age is None and self.date_of_birth is None:
            problems.append(("age", "Age or date of birth is required"))
        elif (
            self.age is not None
            and self.date_of_birth is not None
            and not stored
            and completed_years(self.date_of_birth, date.today()) != self.age
        ):
            problems.append(
                (
                    "age",
                    "Age does not match the date of birth; give one or the other",
                )
            )
        if self.client_type is ClientType.ATHLETE:
            if self.sport is None:
                problems.append(("sport", "Sport is required for an athlete"))
            if self.season_phase is None:
                problems.append(
                    ("season_phase", "Season phase is required for an athlete")
                )
        if self.client_type is ClientType.RECOVERY and self.recovery is None:
            problems.append(
                ("recovery", "Recovery details are required for a recovery client")
            )
        known_age = self.age is not None or self.date_of_birth is not None
        if self.client_type is ClientType.YOUTH and known_age and not stored:
            age = self.age_on(date.today())
            low, high = YOUTH_AGES
            if not low <= age <= high:
                problems.append(
                    ("client_type", f"Client type youth is for ages {low} to {high}")
                )
        if problems:
            field, message = problems[0]
            raise PydanticCustomError(
                "consistency",
                "{message}",
                {"field": field, "message": message, "more": problems[1:]},
            )
        return self

    def age_on(self, day: date) -> int:
        """Return the client's age in completed years on ``day``."""
        if self.date_of_birth is not None:
            return completed_years(self.date_of_birth, day)
        assert self.age is not None  # enforced by validation
        return self.age

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0]

    @property
    def bmi(self) -> float:
        """Body-mass index in kg/m², unrounded."""
        metres = self.height_cm / 100
        return self.weight_kg / (metres * metres)

    def limiting_injury_areas(self) -> set[BodyArea]:
        """Return the body areas whose injuries are not yet healed."""
        areas = {i.area for i in self.injuries if i.limits_training}
        if self.recovery is not None:
            areas.add(self.recovery.area)
        return areas

    def to_json_dict(self) -> dict[str, Any]:
        """Return the intake as plain JSON values, without empty optional keys.

        With a date of birth, the age is left out: it is derived, and a stored
        age would disagree with the birthday a year later.
        """
        data = self.model_dump(mode="json", exclude_none=True)
        if self.date_of_birth is not None:
            data.pop("age", None)
        return data

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> Intake:
        """Rebuild an intake saved earlier, without the checks that depend on today.

        A youth client who has since turned 18 still loads; the youth packet
        then refuses them with its own message.
        """
        return cls.model_validate(data, context={STORED: True})


STORED = "stored"


def _stored(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(STORED))


def completed_years(born: date, on: date) -> int:
    """Return the age in completed years, counting the birthday itself."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def _convert_units(data: dict[str, Any]) -> dict[str, str]:
    """Convert imperial keys to metric in place; return metric key -> given key."""
    given: dict[str, str] = {}
    if "weight_lb" in data:
        pounds = data.pop("weight_lb")
        if "weight_kg" in data:
            raise _Clash("weight_lb", "Give weight in kg or in lb, not both")
        data["weight_kg"] = _times(pounds, KG_PER_LB)
        given["weight_kg"] = "weight_lb"
    if "height_ft" in data or "height_in" in data:
        named = "height_ft" if "height_ft" in data else "height_in"
        feet = data.pop("height_ft", 0)
        inches = data.pop("height_in", 0)
        if "height_cm" in data:
            raise _Clash(named, "Give height in cm or in feet and inches, not both")
        total = _plus(_times(feet, 12), inches)
        data["height_cm"] = _times(total, CM_PER_IN)
        given["height_cm"] = named
    return given


class _Clash(Exception):
    def __init__(self, field: str, message: str) -> None:
        self.problem = FieldProblem(field, message)


def _number(value: Any) -> float | None:
    """Return ``value`` as a float, or None when it is not a usable number.

    An integer too large for a float is left to validation, which reports
    it as out of range under the field the user gave.
    """
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            return float(value.strip())
    except (ValueError, OverflowError):
        return None
    return None


def _times(value: Any, factor: float) -> Any:
    number = _number(value)
    return value if number is None else number * factor


def _plus(a: Any, b: Any) -> Any:
    x, y = _number(a), _number(b)
    return a if x is None or y is None else x + y


def parse_intake(raw: Mapping[str, Any]) -> Intake:
    """Validate raw intake data (JSON-like) and return the metric :class:`Intake`.

    Accepts ``weight_lb`` instead of ``weight_kg`` and ``height_ft`` with
    ``height_in`` (or ``height_in`` alone) instead of ``height_cm``.

    Raises:
        IntakeError: listing every invalid field with what it allows.
    """
    if not isinstance(raw, Mapping):
        raise IntakeError([FieldProblem("intake", "An intake must be a JSON object")])
    data = dict(raw)
    try:
        given = _convert_units(data)
    except _Clash as clash:
        raise IntakeError([clash.problem]) from None
    try:
        return Intake.model_validate(data)
    except ValidationError as exc:
        raise IntakeError(_problems(exc, given)) from None


def _problems(exc: ValidationError, given: dict[str, str]) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for error in exc.errors():
        if error["type"] == "consistency":
            ctx = error.get("ctx", {})
            problems.append(FieldProblem(ctx["field"], ctx["message"]))
            problems.extend(FieldProblem(f, m) for f, m in ctx.get("more", ()))
            continue
        where = _location(error["loc"])
        problems.append(FieldProblem(given.get(where, where), _explain(error)))
    return problems


def _location(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _rule_key(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc if isinstance(p, str))


def _explain(error: Any) -> str:
    """Turn one pydantic error into a sentence naming the field and what it allows."""
    loc = error["loc"]
    kind = error["type"]
    key = _rule_key(loc)
    if kind == "extra_forbidden":
        return f"Unknown field '{loc[-1]}': it is not part of an intake"
    name, allowed = _RULES.get(key, (_LABELS.get(key, label_of(key)), ""))
    if kind == "missing":
        return f"{name} is required"
    if kind == "blank":
        return f"{name} cannot be blank"
    enum = _ENUMS.get(key)
    if enum is not None and kind == "enum":
        choices = ", ".join(m.value for m in enum)
        return f"{name} must be one of: {choices} (got {error['input']!r})"
    if kind in {"list_type", "too_long"} and key in _LABELS and not allowed:
        if kind == "too_long":
            return f"{name} has too many entries"
        return f"{name} must be a list"
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return f"{name} must be an object with its own fields"
    if kind == "string_too_long" and not allowed:
        return f"{name} is too long (at most {error['ctx']['max_length']} characters)"
    if allowed:
        return f"{name} must be {allowed}"
    return f"{name}: {error['msg']}"


def label_of(key: str) -> str:
    """Return a readable name for a dotted field key ("recovery.pain_now")."""
    return key.rsplit(".", 1)[-1].replace("_", " ").capitalize()


__all__ = [
    "FieldProblem",
    "Injury",
    "Intake",
    "IntakeError",
    "RecoveryDetails",
    "completed_years",
    "parse_intake",
]
