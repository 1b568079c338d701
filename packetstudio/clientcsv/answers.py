"""Reading the answers people actually type into an online form.

Each reader either returns a value in the intake's terms or raises
:class:`AnswerError` with a short reason. Nothing is guessed: a weight
without a unit, a date that could be 4 May or 5 April, or a checkbox choice
that is no intake value is reported, never quietly turned into something.
Readers return ``None`` where the text is simply not of their form, so the
caller can hand it on unchanged and let the intake model name what it allows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, lru_cache
from typing import TypeVar

from packetstudio.clientcsv.choices import NO_WORDS, NONE_ANSWERS, SYNONYMS, YES_WORDS
from packetstudio.intake import CM_PER_IN, KG_PER_LB
from packetstudio.vocabulary import BodyArea, Side, WorkoutTime

LB_PER_STONE = 14

E = TypeVar("E", bound=StrEnum)


class AnswerError(ValueError):
    """An answer cannot be read; the message says why, without the field name."""


class DateOrder(StrEnum):
    """Which comes first in a date like 04/05/1990."""

    DAY_FIRST = "day_first"
    MONTH_FIRST = "month_first"


# -- words ---------------------------------------------------------------------


def singular(word: str) -> str:
    """Return a simple English singular ("injuries" -> "injury")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


@lru_cache(maxsize=8192)  # form answers repeat: the same few options
def words(text: str) -> tuple[str, ...]:
    """Return the lower-case, accent-free, singular words of ``text``."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return tuple(singular(w) for w in re.split(r"[^a-z0-9]+", plain) if w)


def _without_brackets(text: str) -> str:
    return re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)


def is_none_answer(text: str) -> bool:
    """Whether a whole answer means "nothing" ("None", "N/A", "-")."""
    key = words(_without_brackets(text))
    return not key or key in _none_keys()


@cache
def _none_keys() -> frozenset[tuple[str, ...]]:
    return frozenset(words(text) for text in NONE_ANSWERS)


# -- choices -------------------------------------------------------------------


@cache
def choice_index(choices: type[StrEnum]) -> dict[tuple[str, ...], StrEnum]:
    """Return every accepted wording of each value, as words, to its value.

    Raises:
        ValueError: two values share a wording (a mistake in the synonyms).
    """
    index: dict[tuple[str, ...], StrEnum] = {}
    for member in choices:
        for text in (member.value, *SYNONYMS.get(member, ())):
            key = words(text)
            if index.setdefault(key, member) is not member:
                raise ValueError(f"{text!r} would mean two {choices.__name__}s")
    return index


def match_choice(text: str, choices: type[E]) -> E | None:
    """Return the value ``text`` names as a whole, or None.

    "Tree nuts" is tree_nuts and "Lightly active (1-3 days a week)" is
    lightly_active; "nuts" and "very active person" are nothing: whole
    wordings only, never a word found inside a longer answer.
    """
    index = choice_index(choices)
    for candidate in (text, _without_brackets(text)):
        found = index.get(words(candidate))
        if found is not None:
            return choices(found.value)
    return None


def split_choices(text: str) -> list[str]:
    """Split a checkbox or list answer into its items.

    Items are separated by semicolons or line breaks if the answer has any
    (Typeform, JotForm, PacketStudio's own export), otherwise by commas
    (Google Forms). Separators inside brackets do not split: "Cardio
    machines (treadmill, bike)" is one item.
    """
    outside = re.sub(r"\([^)]*\)", lambda m: "\x00" * len(m.group()), text)
    pattern = "[;\n]" if re.search("[;\n]", outside) else ","
    items: list[str] = []
    start = 0
    for match in re.finditer(pattern, outside):
        items.append(text[start : match.start()])
        start = match.end()
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def parse_choices(text: str, choices: type[E]) -> tuple[list[E], list[str]]:
    """Return the values a checkbox answer names, and the items that are none.

    An item meaning "nothing" ("None", "N/A") is dropped; each other item
    must name a value as a whole (see :func:`match_choice`).
    """
    found: list[E] = []
    unknown: list[str] = []
    for item in split_choices(text):
        value = match_choice(item, choices)
        if value is not None:
            found.append(value)
        elif not is_none_answer(item):
            unknown.append(item)
    return list(dict.fromkeys(found)), unknown


def parse_injury(text: str) -> tuple[BodyArea, Side | None] | None:
    """Return the area and side of an item like "Left knee", or None."""
    area = match_choice(text, BodyArea)
    if area is not None:
        return area, None
    first, _, rest = text.strip().partition(" ")
    side = match_choice(first, Side)
    area = match_choice(rest, BodyArea) if side is not None else None
    return None if area is None else (area, side)


def parse_yes_no(text: str) -> bool:
    """Return True or False for "Yes", "no", "TRUE", "Yes, cleared by my GP"."""
    key = words(text)
    if key and key[0] in YES_WORDS:
        return True
    if key and key[0] in NO_WORDS:
        return False
    raise AnswerError(f"{text!r} is not yes or no")


# -- numbers -------------------------------------------------------------------

_NUM = r"(\d+(?:[.,]\d+)?)"
_NUMBER = re.compile(rf"^\s*{_NUM}\s*(.*?)\s*$")


def number(text: str) -> float:
    """Return a number written with a decimal point or comma ("82,5")."""
    return float(text.replace(",", "."))


def parse_number(text: str, units: Iterable[str] = ()) -> float | None:
    """Return the number in "3", "3 days", "22,5 %", or None if not one.

    Words after the number must be one of ``units`` (compared as words, so
    "%" and "/10" are fine); anything else is not a plain number.
    """
    match = _NUMBER.match(text)
    if match is None:
        return None
    rest = words(match.group(2))
    if rest and rest not in {words(u) for u in units}:
        return None
    return number(match.group(1))


_MINUTES = re.compile(
    rf"^{_NUM}\s*(?:(h|hrs?|hours?)|(m|mins?|minutes?))?"
    rf"(?:\s*{_NUM}\s*(?:m|mins?|minutes?)?)?$"
)


def parse_minutes(text: str) -> float | None:
    """Return a session length in minutes: "45", "45 min", "1 hour", "1h30"."""
    match = _MINUTES.match(_tidy(text))
    if match is None:
        return None
    first, hours, _, extra = match.groups()
    if extra is not None and hours is None:
        return None
    minutes = number(first) * (60 if hours else 1)
    return minutes + (number(extra) if extra else 0)


def _tidy(text: str) -> str:
    """Lower-case, plain quotes, and no space doubling, for unit patterns."""
    text = text.strip().lower()
    for fancy, plain in (("’", "'"), ("‘", "'"), ("′", "'"), ("´", "'")):
        text = text.replace(fancy, plain)
    for fancy in ("”", "“", "″", "''"):
        text = text.replace(fancy, '"')
    return re.sub(r"\s+", " ", text.replace(" and ", " "))


# -- height and weight ---------------------------------------------------------

_FEET = re.compile(
    rf"^{_NUM}\s*(?:'|ft\.?|feet|foot)\s*,?\s*(?:{_NUM}\s*"
    rf"(?:\"|in\.?|inch|inches)?)?$"
)
_INCHES = re.compile(rf"^{_NUM}\s*(?:\"|in\.?|inch|inches)$")
_CM = re.compile(rf"^{_NUM}\s*(?:cm|cms|centimet(?:er|re)s?)$")
_METRES = re.compile(rf"^{_NUM}\s*(?:m|meters?|metres?)$")
_METRES_CM = re.compile(r"^(\d)\s*m\s*(\d{2})$")
_HEIGHT_EXAMPLES = "write it like 178 cm, 1.78 m or 5 ft 10 in"


def parse_height_cm(text: str, bare_unit: str | None = None) -> float:
    """Return a height in centimetres from any common way of writing it.

    A number without a unit is read in ``bare_unit`` ("cm" or "in") when the
    column says so; otherwise it must be unmistakable: 100 to 250 is
    centimetres and 1.0 to 2.5 is metres.

    Raises:
        AnswerError: the text is no height, or has no unit and could be
            several.
    """
    tidy = _tidy(text)
    if match := _FEET.match(tidy):
        feet = number(match.group(1))
        inches = number(match.group(2)) if match.group(2) else 0.0
        if inches >= 12:
            raise AnswerError(f"{text!r} has {inches:g} inches; 12 inches make a foot")
        return (feet * 12 + inches) * CM_PER_IN
    if match := _INCHES.match(tidy):
        return number(match.group(1)) * CM_PER_IN
    if match := _CM.match(tidy):
        return number(match.group(1))
    if match := _METRES.match(tidy):
        return number(match.group(1)) * 100
    if match := _METRES_CM.match(tidy):
        return int(match.group(1)) * 100 + int(match.group(2))
    bare = parse_number(tidy)
    if bare is None:
        raise AnswerError(f"{text!r} is not a height; {_HEIGHT_EXAMPLES}")
    return _bare_height(text, bare, bare_unit)


def _bare_height(text: str, value: float, unit: str | None) -> float:
    if unit == "cm":
        return value
    if unit == "in":
        return value * CM_PER_IN
    if 100 <= value <= 250:
        return value
    if 1.0 <= value <= 2.5:
        return value * 100
    raise AnswerError(f"{text!r} has no unit; {_HEIGHT_EXAMPLES}")


_KG = re.compile(rf"^{_NUM}\s*(?:kg|kgs|kilos?|kilograms?)$")
_LB = re.compile(rf"^{_NUM}\s*(?:lbs?|pounds?|#)$")
_STONE = re.compile(
    rf"^{_NUM}\s*(?:st|stones?)\s*,?\s*(?:{_NUM}\s*(?:lbs?|pounds?)?)?$"
)
_WEIGHT_EXAMPLES = "write it like 82 kg or 180 lb"


def parse_weight_kg(text: str, bare_unit: str | None = None) -> float:
    """Return a weight in kilograms: "82kg", "82,5 kg", "180 lbs", "12 st 4".

    A number without a unit is read in ``bare_unit`` ("kg" or "lb") when the
    column says so; otherwise it is refused, since 80 could be either.

    Raises:
        AnswerError: the text is no weight, or has no unit.
    """
    tidy = _tidy(text)
    if match := _KG.match(tidy):
        return number(match.group(1))
    if match := _LB.match(tidy):
        return number(match.group(1)) * KG_PER_LB
    if match := _STONE.match(tidy):
        pounds = number(match.group(1)) * LB_PER_STONE
        if match.group(2):
            pounds += number(match.group(2))
        return pounds * KG_PER_LB
    bare = parse_number(tidy)
    if bare is None:
        raise AnswerError(f"{text!r} is not a weight; {_WEIGHT_EXAMPLES}")
    if bare_unit == "kg":
        return bare
    if bare_unit == "lb":
        return bare * KG_PER_LB
    raise AnswerError(
        f"{text!r} has no unit; {_WEIGHT_EXAMPLES}, or map the column to "
        "'Weight in kg' or 'Weight in lb'"
    )


# -- times of day --------------------------------------------------------------

_CLOCK = re.compile(r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


def parse_clock(text: str) -> str | None:
    """Return "morning", "midday", "evening" or "HH:MM", or None if neither.

    Accepts the words' synonyms ("Lunchtime") and 12-hour times ("5:30 PM").
    """
    named = match_choice(text, WorkoutTime)
    if named is not None:
        return named.value
    match = _CLOCK.match(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "")
    if suffix and not 1 <= hour <= 12:
        return None
    if suffix == "pm" and hour != 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if match.group(2) is None and not suffix:
        return None  # a bare "5" is no time of day
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


# -- dates ---------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?:[ T,].*)?$")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


@dataclass(frozen=True)
class _Numeric:
    first: int
    second: int
    year: int

    def as_date(self, order: DateOrder) -> date:
        if order is DateOrder.DAY_FIRST:
            return date(self.year, self.second, self.first)
        return date(self.year, self.first, self.second)


def parse_date(text: str, order: DateOrder | None, today: date) -> date:
    """Return the date in "1990-04-21", "21/04/1990", "March 4, 1990" and more.

    Numeric dates like 04/05/1990 are read in ``order``; without one, only a
    date that can be read one way (23/04/1990, or 05/05/1990) is accepted.
    Two-digit years are the latest year not after ``today``.

    Raises:
        AnswerError: the text is no date, not a real day, or ambiguous.
    """
    tidy = text.strip()
    if match := _ISO.match(tidy):
        return _real(text, int(match[1]), int(match[2]), int(match[3]))
    numeric = _numeric(tidy, today)
    if numeric is not None:
        return _numeric_date(text, numeric, order)
    named = _named_date(tidy, today)
    if named is None:
        raise AnswerError(f"{text!r} is not a date; write it like 1990-04-21")
    return _real(text, *named)


def _real(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise AnswerError(f"{text!r} is not a real date") from None


def _numeric(text: str, today: date) -> _Numeric | None:
    match = _NUMERIC.match(text)
    if match is None:
        return None
    return _Numeric(int(match[1]), int(match[2]), _full_year(match[3], today))


def _full_year(text: str, today: date) -> int:
    year = int(text)
    if len(text) == 4:
        return year
    century = today.year // 100 * 100
    return century + year if century + year <= today.year else century - 100 + year


def _numeric_date(text: str, numeric: _Numeric, order: DateOrder | None) -> date:
    readings = _readings(numeric)
    if not readings:
        raise AnswerError(f"{text!r} is not a real date")
    if order is not None:
        if order not in readings:
            raise AnswerError(
                f"{text!r} is not a real date when read {order_words(order)}"
            )
        return readings[order]
    distinct = set(readings.values())
    if len(distinct) == 1:
        return distinct.pop()
    day_first = readings[DateOrder.DAY_FIRST]
    month_first = readings[DateOrder.MONTH_FIRST]
    raise AnswerError(
        f"{text!r} could be {_spoken(day_first)} or {_spoken(month_first)}; "
        "choose whether this file's dates are day first or month first"
    )


def _readings(numeric: _Numeric) -> dict[DateOrder, date]:
    readings: dict[DateOrder, date] = {}
    for order in DateOrder:
        try:
            readings[order] = numeric.as_date(order)
        except ValueError:
            continue
    return readings


def _spoken(day: date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def _named_date(text: str, today: date) -> tuple[int, int, int] | None:
    """Return (year, month, day) of "March 4, 1990" or "4th Mar 1990"."""
    tokens = re.findall(r"[a-z]+|\d+", text.lower())
    tokens = [t for t in tokens if t not in {"st", "nd", "rd", "th", "of"}]
    months = [_MONTHS[t] for t in tokens if t in _MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    if len(months) != 1 or len(numbers) != 2 or len(tokens) != 3:
        return None
    long_years = [n for n in numbers if len(n) == 4]
    if len(long_years) > 1:
        return None
    if long_years:
        numbers.remove(long_years[0])
        return int(long_years[0]), months[0], int(numbers[0])
    # "Mar 4 90", "4 Mar 90": with a two-digit year, the year comes last.
    day, year = numbers
    return _full_year(year, today), months[0], int(day)


def order_words(order: DateOrder) -> str:
    """Return "day first" or "month first"."""
    return order.value.replace("_", " ")


def date_order_shown(text: str, today: date) -> DateOrder | None:
    """Return the only order in which a numeric date is real, if just one is.

    "23/04/1990" shows day first and "04/23/1990" month first; "04/05/1990"
    shows nothing.
    """
    numeric = _numeric(text.strip(), today)
    if numeric is None:
        return None
    readings = _readings(numeric)
    if len(readings) == 1:
        return next(iter(readings))
    return None
