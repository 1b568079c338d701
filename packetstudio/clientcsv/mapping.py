"""Which intake field each CSV column answers: guessed, corrected, remembered.

Online forms use the question as the header ("What is your weight?",
"Email Address", "Date of birth"). Each header is reduced to its words and
compared with rules of synonyms; the rule matching the most words wins, so
"Goal weight" (ignored) beats both "goal" and "weight". A header that is a
target key ("weight_kg", "injury_1.area"), as PacketStudio's own export
writes them, maps to that target directly.

A person can correct the guess. An :class:`ImportMapping` holds the choices;
it is saved as JSON in a file (``--mapping FILE``) or in the database's
settings, and a saved choice for a header wins over the guess next time.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from packetstudio.clientcsv.answers import DateOrder, words
from packetstudio.clientcsv.targets import IGNORE, REQUIRED, TARGETS
from packetstudio.store.database import Database
from packetstudio.store.models import Setting, utcnow

log = logging.getLogger(__name__)

SETTING_KEY = "import.mapping"
FORMAT_VERSION = 1

# Columns of PacketStudio's own export that are no intake field.
EXPORT_ONLY = re.compile(r"^(client_id|packet\.[a-z_]+)$")


class MappingError(Exception):
    """A mapping file or setting is not valid; the message says what is wrong."""


# -- guessing ------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """Header words that suggest a target.

    Every group must be found in the header; a group is a list of wordings,
    any of which will do, each a run of consecutive words.
    """

    target: str
    groups: tuple[tuple[tuple[str, ...], ...], ...]

    def score(self, header: tuple[str, ...]) -> int:
        """Return how many header words the rule matches, 0 if it does not."""
        total = 0
        for group in self.groups:
            found = [len(w) for w in group if _contains(header, w)]
            if not found:
                return 0
            total += max(found)
        return total


def _contains(header: tuple[str, ...], wording: tuple[str, ...]) -> bool:
    size = len(wording)
    return any(header[i : i + size] == wording for i in range(len(header) - size + 1))


def _rule(target: str, *groups: str) -> _Rule:
    return _Rule(
        target,
        tuple(tuple(words(w) for w in group.split("|")) for group in groups),
    )


# Earlier rules win ties. Ignore rules name what forms add around the
# questions (timestamps, ids, consent) and questions that are no intake field.
RULES: tuple[_Rule, ...] = (
    _rule(IGNORE, "timestamp|submission date|submitted at|submit date|start date"),
    _rule(IGNORE, "network id|submission id|response id|ip address|token"),
    _rule(IGNORE, "consent|agree|waiver|terms|signature|signed"),
    _rule(IGNORE, "goal|target|ideal|desired|dream", "weight"),
    _rule(IGNORE, "emergency", "contact|name|phone|number"),
    _rule(IGNORE, "guardian|parent", "phone|email|number|contact"),
    _rule(IGNORE, "how did you hear|referral|referred|hear about"),
    _rule("guardian_name", "guardian|parent"),
    _rule("first_name", "first name|given name|forename"),
    _rule("last_name", "last name|surname|family name"),
    _rule("full_name", "name|full name|client name"),
    _rule("email", "email|e mail|email address"),
    _rule("phone", "phone|mobile|cell|telephone|phone number"),
    _rule("date_of_birth", "date of birth|birth date|dob|birthday|born"),
    _rule("age", "age|how old"),
    _rule("sex", "sex|gender|male or female|female or male"),
    _rule("body_fat_percent", "body fat|bodyfat|fat percentage"),
    _rule("height", "height|how tall|tall"),
    _rule("weight", "weight|body weight|weigh|how much do you weigh"),
    _rule("client_type", "client type|type of client|program|programme"),
    _rule("client_type", "which", "describes you"),
    _rule("goal", "goal|main goal|primary goal|want to achieve|hoping to achieve"),
    _rule("activity_level", "activity level|how active|active|activity|lifestyle"),
    _rule(
        "training_experience",
        "experience|experienced|training experience|fitness level|training level",
    ),
    _rule("days_per_week", "day|time|session", "week"),
    _rule("days_per_week", "days per week|how many days"),
    _rule(
        "session_minutes",
        "session length|how long|minutes|duration|workout length",
    ),
    _rule(
        "preferred_workout_time",
        "workout time|time of day|preferred time|best time|when do you",
    ),
    _rule("equipment", "equipment|access to"),
    _rule("medical_conditions", "medical|health condition|medication|condition"),
    _rule("injuries", "injury|injured|injuries"),
    _rule("allergies", "allergy|allergies|allergic|intolerance"),
    _rule("diet_type", "diet|dietary|eating style|eat meat"),
    _rule("foods_to_avoid", "food|foods|eat", "avoid|dislike|don t"),
    _rule("meals_per_day", "meal|meals"),
    _rule("struggles", "struggle|challenge|obstacle|hardest|difficult"),
    _rule("position", "position"),
    _rule("sport", "sport|sports"),
    _rule("season_phase", "season"),
    _rule("competition_level", "competition level|level of competition|compete"),
    _rule("school_grade", "grade|school year|year in school"),
    _rule("recovery.condition", "recovering from|diagnosis|what condition"),
    _rule("recovery.weeks_since_onset", "weeks since|how many weeks|when did"),
    _rule("recovery.pain_now", "pain"),
    _rule("recovery.medical_clearance", "clearance|cleared|clear you"),
    _rule("recovery.aggravating_movements", "aggravate|worse|movements hurt"),
    _rule("recovery.red_flags", "red flag|warning sign"),
    _rule("notes", "note|notes|comment|comments|anything else|additional"),
)

_CM = re.compile(r"\b(cm|cms|centimet(er|re)s?)\b")
_FEET = re.compile(r"\b(ft|feet|foot)\b")
_INCHES = re.compile(r"\b(inch|inches)\b|\(\s*in\.?\s*\)|\bin\s*\)?\s*$")
_KG = re.compile(r"\b(kg|kgs|kilos?|kilograms?)\b")
_LB = re.compile(r"\b(lbs?|pounds?)\b")


def suggest(header: str) -> str:
    """Return the target a header most likely answers, or ``"ignore"``."""
    text = header.strip()
    if text in TARGETS:
        return text
    key = words(text)
    if not key or EXPORT_ONLY.match(text) or key in {("id",), ("no",)}:
        return IGNORE
    best, best_score = IGNORE, 0
    for rule in RULES:
        score = rule.score(key)
        if score > best_score:
            best, best_score = rule.target, score
    return _with_unit(best, text.lower())


def _with_unit(target: str, header: str) -> str:
    """Refine a height or weight target by a unit named in the header."""
    if target == "height":
        feet, inches = _FEET.search(header), _INCHES.search(header)
        if _CM.search(header):
            return "height_cm"
        if feet and not inches:
            return "height_ft"
        if inches and not feet:
            return "height_in"
    if target == "weight":
        if _KG.search(header):
            return "weight_kg"
        if _LB.search(header):
            return "weight_lb"
    return target


# -- the mapping ---------------------------------------------------------------


@dataclass(frozen=True)
class ImportMapping:
    """Which target each column answers, and how to read the file's dates.

    Attributes:
        columns: header text to target key (or ``"ignore"``).
        date_order: how to read dates like 04/05/1990; None to infer it from
            the file.
        defaults: target key to an answer used for every row that leaves it
            blank or has no such column ({"client_type": "general"}).
    """

    columns: dict[str, str] = field(default_factory=dict)
    date_order: DateOrder | None = None
    defaults: dict[str, str] = field(default_factory=dict)

    def target(self, header: str) -> str:
        """Return the target of a column, guessing for a header not chosen."""
        return self.columns.get(header) or suggest(header)

    def for_headers(self, headers: Iterable[str]) -> ImportMapping:
        """Return this mapping with a target for exactly these headers."""
        return replace(self, columns={h: self.target(h) for h in headers})

    def with_column(self, header: str, target: str) -> ImportMapping:
        """Return a copy with ``header`` mapped to ``target``."""
        _check_target(target, header)
        return replace(self, columns=self.columns | {header: target})

    def merged_over(self, older: ImportMapping | None) -> ImportMapping:
        """Return ``older``'s column choices updated with this mapping's.

        Several forms can then share one saved mapping: each keeps the
        columns of its own headers. The date order is left out: it belongs
        to one file, and applied to another form's file it would misread
        every date like 04/05/1990 without a word.
        """
        columns = (older.columns if older else {}) | self.columns
        return ImportMapping(columns=columns, defaults=self.defaults)

    def missing(self) -> list[str]:
        """Return the required fields that no column and no default gives."""
        given = {t for t in self.columns.values() if t != IGNORE}
        given |= set(self.defaults)
        return [name for name, keys in REQUIRED if not given.intersection(keys)]

    def to_json(self) -> dict[str, Any]:
        """Return the mapping as JSON values, in the file format."""
        return {
            "version": FORMAT_VERSION,
            "columns": dict(self.columns),
            "date_format": self.date_order.value if self.date_order else "auto",
            "defaults": dict(self.defaults),
        }

    @classmethod
    def from_json(cls, data: Any, source: str) -> ImportMapping:
        """Build a mapping from JSON values, checking every target.

        Raises:
            MappingError: naming ``source`` and what is wrong.
        """
        try:
            return _from_json(data)
        except MappingError as exc:
            raise MappingError(f"{source}: {exc}") from None


_DATE_FORMATS = {
    "auto": None,
    "day_first": DateOrder.DAY_FIRST,
    "dd/mm/yyyy": DateOrder.DAY_FIRST,
    "month_first": DateOrder.MONTH_FIRST,
    "mm/dd/yyyy": DateOrder.MONTH_FIRST,
}


def _from_json(data: Any) -> ImportMapping:
    if not isinstance(data, dict):
        raise MappingError("a mapping must be a JSON object")
    unknown = set(data) - {"version", "columns", "date_format", "defaults"}
    if unknown:
        raise MappingError(f"unknown key {sorted(unknown)[0]!r}")
    columns = _string_dict(data.get("columns", {}), "columns")
    for header, target in columns.items():
        _check_target(target, header)
    defaults = _string_dict(data.get("defaults", {}), "defaults")
    for target in defaults:
        if target not in TARGETS:
            raise MappingError(f"defaults: {target!r} is not an intake field")
    fmt = data.get("date_format", "auto")
    if not isinstance(fmt, str) or fmt.lower() not in _DATE_FORMATS:
        raise MappingError(
            "date_format must be auto, day_first (DD/MM/YYYY) or "
            f"month_first (MM/DD/YYYY), not {fmt!r}"
        )
    return ImportMapping(columns, _DATE_FORMATS[fmt.lower()], defaults)


def _string_dict(value: Any, name: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise MappingError(f"{name} must map texts to texts")
    return dict(value)


def _check_target(target: str, header: str) -> None:
    if target != IGNORE and target not in TARGETS:
        raise MappingError(
            f"column {header!r}: {target!r} is not an intake field; "
            "see docs/import.md for the list, or use 'ignore'"
        )


# -- files and the settings table ----------------------------------------------


def load_mapping(path: Path) -> ImportMapping:
    """Read a mapping file.

    Raises:
        MappingError: the file is missing, unreadable or not a valid mapping.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(f"{path}: cannot be read ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}"
        ) from None
    except RecursionError:
        raise MappingError(f"{path}: its JSON is nested too deeply to read") from None
    except ValueError:  # an integer of more digits than Python converts
        raise MappingError(f"{path}: holds a number too long to read") from None
    return ImportMapping.from_json(data, str(path))


def save_mapping(mapping: ImportMapping, path: Path) -> None:
    """Write a mapping file, readable and diff-friendly."""
    text = json.dumps(mapping.to_json(), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


def load_saved_mapping(db: Database) -> ImportMapping | None:
    """Return the mapping saved by the last import, or None.

    A saved mapping that no longer validates (a target renamed since) is
    dropped with a warning rather than blocking the import.
    """
    with db.read() as session:
        setting = session.get(Setting, SETTING_KEY)
        value = None if setting is None else setting.value
    if value is None:
        return None
    try:
        return ImportMapping.from_json(value, "saved import mapping")
    except MappingError as exc:
        log.warning("Ignoring the saved import mapping: %s", exc)
        return None


def remember_mapping(db: Database, mapping: ImportMapping) -> None:
    """Save ``mapping``'s choices for next time, keeping other forms' columns."""
    merged = mapping.merged_over(load_saved_mapping(db))
    with db.write() as session:
        session.merge(
            Setting(key=SETTING_KEY, value=merged.to_json(), updated_at=utcnow())
        )
    log.info("Saved the import mapping (%d columns)", len(merged.columns))
