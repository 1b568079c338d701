"""One CSV row to one raw intake: each mapped answer read and put in place.

The raw intake is what :func:`packetstudio.intake.parse_intake` validates.
Answers that cannot be read become problems of their own and are left out of
the raw intake; the caller then drops the intake model's complaint about the
same field ("Weight is required") so that each mistake is reported once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from packetstudio.clientcsv.answers import (
    AnswerError,
    DateOrder,
    is_none_answer,
    match_choice,
    parse_choices,
    parse_clock,
    parse_date,
    parse_height_cm,
    parse_injury,
    parse_minutes,
    parse_number,
    parse_weight_kg,
    parse_yes_no,
    split_choices,
)
from packetstudio.clientcsv.mapping import ImportMapping
from packetstudio.clientcsv.targets import IGNORE, TARGETS, Kind, Target
from packetstudio.vocabulary import label

DEFAULT_COLUMN = "(same answer for every row)"


@dataclass(frozen=True)
class Answer:
    """One non-blank answer to a target.

    Attributes:
        target: what the answer gives.
        column: the header of its column, or :data:`DEFAULT_COLUMN`.
        text: the answer as typed.
    """

    target: Target
    column: str
    text: str


@dataclass(frozen=True)
class AnswerProblem:
    """An answer that could not be read.

    Attributes:
        field: the intake key it would have given ("weight_kg").
        column: the column it came from.
        answer: the text as typed.
        message: a sentence naming the field and what is wrong.
    """

    field: str
    column: str
    answer: str
    message: str


@dataclass
class RowDraft:
    """The raw intake built from one row, with what could not be read.

    Attributes:
        raw: the intake keys and values read so far.
        problems: answers that could not be read.
        origin: intake key (as the intake model reports it) to the answer
            that gave it, to point a validation problem at its column.
    """

    raw: dict[str, Any] = field(default_factory=dict)
    problems: list[AnswerProblem] = field(default_factory=list)
    origin: dict[str, Answer] = field(default_factory=dict)

    def put(self, key: str, value: Any, answer: Answer) -> None:
        """Set a dotted key ("recovery.pain_now") of the raw intake."""
        *parents, last = key.split(".")
        place = self.raw
        for part in parents:
            place = place.setdefault(part, {})
        place[last] = value
        self.origin.setdefault(key, answer)

    def get(self, key: str, default: Any) -> Any:
        """Return the value at a dotted key, or ``default``."""
        place: Any = self.raw
        for part in key.split("."):
            if not isinstance(place, dict) or part not in place:
                return default
            place = place[part]
        return place

    def fail(self, answer: Answer, reason: str) -> None:
        """Record that ``answer`` could not be read, and why."""
        message = f"{answer.target.subject}: {reason}"
        self.problems.append(
            AnswerProblem(answer.target.intake_key, answer.column, answer.text, message)
        )

    def answer_for(self, key: str) -> Answer | None:
        """Return the answer behind an intake key as the model reports it."""
        for candidate in (key, key.partition("[")[0], key.partition(".")[0]):
            if candidate in self.origin:
                return self.origin[candidate]
        return None


@dataclass(frozen=True)
class RowReader:
    """Turns the cells of one row into answers, by a mapping of its headers.

    Made once per file: looking up each column's target once instead of in
    every row matters for a file of thousands of rows.
    """

    columns: tuple[tuple[str, Target | None], ...]
    defaults: tuple[tuple[Target, str], ...]

    @classmethod
    def for_file(cls, headers: Sequence[str], mapping: ImportMapping) -> RowReader:
        """Return the reader of rows under ``headers``."""
        columns = tuple((h, _target(mapping.target(h))) for h in headers)
        defaults = tuple(
            (TARGETS[key], text.strip())
            for key, text in mapping.defaults.items()
            if text.strip()
        )
        return cls(columns, defaults)

    def answers(self, cells: Sequence[str]) -> list[Answer]:
        """Return the row's non-blank answers in column order, then defaults."""
        answers = [
            Answer(target, header, cell.strip())
            for (header, target), cell in zip(self.columns, cells, strict=True)
            if target is not None and cell.strip()
        ]
        answered = {a.target.key for a in answers}
        answers += [
            Answer(target, DEFAULT_COLUMN, text)
            for target, text in self.defaults
            if target.key not in answered
        ]
        return answers


def _target(key: str) -> Target | None:
    return None if key == IGNORE else TARGETS[key]


def build_raw(
    answers: Sequence[Answer], date_order: DateOrder | None, today: date
) -> RowDraft:
    """Read every answer of one row into a raw intake."""
    draft = RowDraft()
    context = _Context(date_order, today)
    seen: dict[str, Answer] = {}
    names: list[Answer] = []
    for answer in answers:
        kind = answer.target.kind
        if kind is Kind.NAME_PART:
            names.append(answer)
            continue
        earlier = seen.get(answer.target.intake_key)
        if earlier is not None and kind not in _LISTS:
            draft.fail(
                answer,
                f"answered twice (columns {earlier.column!r} and {answer.column!r}); "
                "set one of them to Ignore",
            )
            continue
        seen[answer.target.intake_key] = answer
        try:
            _READERS[kind](draft, answer, context)
        except AnswerError as exc:
            draft.fail(answer, str(exc))
    _join_names(draft, names)
    _tidy_injuries(draft)
    return draft


@dataclass(frozen=True)
class _Context:
    date_order: DateOrder | None
    today: date


_LISTS = {Kind.CHOICES, Kind.TEXT_LIST, Kind.INJURY_AREAS}


def _join_names(draft: RowDraft, names: list[Answer]) -> None:
    # A full name column wins; otherwise first and last name are joined.
    if "full_name" in draft.raw or not names:
        return
    ordered = sorted(names, key=lambda a: a.target.key != "first_name")
    draft.put("full_name", " ".join(a.text for a in ordered), ordered[0])


def _tidy_injuries(draft: RowDraft) -> None:
    """Turn numbered injury parts into the intake's list, in number order.

    Blank numbers are skipped, so "injury 1" and "injury 3" become the
    first and second injury, and problems point at their own columns.
    """
    numbered: dict[str, dict[str, str]] = draft.raw.pop(_NUMBERED, {})
    listed: list[dict[str, str]] = draft.raw.pop("injuries", [])
    order = sorted(numbered, key=int)
    injuries = listed + [numbered[n] for n in order]
    if injuries:
        draft.raw["injuries"] = injuries
    for key in [k for k in draft.origin if k.startswith(f"{_NUMBERED}.")]:
        _, number, part = key.split(".")
        position = len(listed) + order.index(number)
        draft.origin[f"injuries[{position}].{part}"] = draft.origin.pop(key)


_NUMBERED = "_numbered_injuries"
_INJURY_PART = re.compile(r"^injury_(\d+)\.(\w+)$")


def _put(draft: RowDraft, answer: Answer, value: Any) -> None:
    """Put a value where its target goes; numbered injuries wait in a slot."""
    match = _INJURY_PART.match(answer.target.key)
    key = answer.target.intake_key
    if match is not None:
        key = f"{_NUMBERED}.{int(match[1])}.{match[2]}"
    draft.put(key, value, answer)


# -- one reader per kind of answer ---------------------------------------------


def _text(draft: RowDraft, answer: Answer, _: _Context) -> None:
    _put(draft, answer, answer.text)


def _integer(draft: RowDraft, answer: Answer, _: _Context) -> None:
    value = parse_number(answer.text, answer.target.units)
    # Not a plain number: the intake model says what the field allows.
    _put(draft, answer, answer.text if value is None else value)


def _minutes(draft: RowDraft, answer: Answer, _: _Context) -> None:
    value = parse_minutes(answer.text)
    _put(draft, answer, answer.text if value is None else value)


def _height(draft: RowDraft, answer: Answer, _: _Context) -> None:
    _put(draft, answer, parse_height_cm(answer.text, answer.target.unit))


def _weight(draft: RowDraft, answer: Answer, _: _Context) -> None:
    _put(draft, answer, parse_weight_kg(answer.text, answer.target.unit))


def _date(draft: RowDraft, answer: Answer, context: _Context) -> None:
    value = parse_date(answer.text, context.date_order, context.today)
    _put(draft, answer, value.isoformat())


def _clock(draft: RowDraft, answer: Answer, _: _Context) -> None:
    value = parse_clock(answer.text)
    _put(draft, answer, answer.text if value is None else value)


def _yes_no(draft: RowDraft, answer: Answer, _: _Context) -> None:
    _put(draft, answer, parse_yes_no(answer.text))


def _choice(draft: RowDraft, answer: Answer, _: _Context) -> None:
    choices = answer.target.choices
    assert choices is not None
    value = match_choice(answer.text, choices)
    if value is None:
        raise AnswerError(f"{answer.text!r} is not one of {_allowed(choices)}")
    _put(draft, answer, value.value)


def _choices(draft: RowDraft, answer: Answer, _: _Context) -> None:
    choices = answer.target.choices
    assert choices is not None
    found, unknown = parse_choices(answer.text, choices)
    if unknown:
        listed = ", ".join(repr(u) for u in unknown)
        raise AnswerError(f"{listed} is not one of {_allowed(choices)}")
    values = [v.value for v in found]
    _put(draft, answer, draft.get(answer.target.intake_key, []) + values)


def _allowed(choices: type[StrEnum]) -> str:
    return "the choices (" + ", ".join(label(m).lower() for m in choices) + ")"


def _text_list(draft: RowDraft, answer: Answer, _: _Context) -> None:
    if is_none_answer(answer.text):
        items: list[str] = []
    else:
        items = split_choices(answer.text)
    _put(draft, answer, draft.get(answer.target.intake_key, []) + items)


def _injury_areas(draft: RowDraft, answer: Answer, _: _Context) -> None:
    injuries: list[dict[str, str]] = list(draft.get("injuries", []))
    unknown: list[str] = []
    for item in split_choices(answer.text):
        parsed = parse_injury(item)
        if parsed is None:
            if not is_none_answer(item):
                unknown.append(item)
            continue
        area, side = parsed
        injury = {"area": area.value}
        if side is not None:
            injury["side"] = side.value
        injuries.append(injury)
    if unknown:
        listed = ", ".join(repr(u) for u in unknown)
        raise AnswerError(
            f"{listed} is not a body area (neck, shoulder, elbow, wrist, upper "
            "back, lower back, hip, knee, ankle, optionally with left or right "
            "first); map longer descriptions to Notes"
        )
    _put(draft, answer, injuries)


_Reader = Callable[[RowDraft, Answer, _Context], None]
_READERS: dict[Kind, _Reader] = {
    Kind.TEXT: _text,
    Kind.INTEGER: _integer,
    Kind.NUMBER: _integer,
    Kind.MINUTES: _minutes,
    Kind.HEIGHT: _height,
    Kind.WEIGHT: _weight,
    Kind.DATE: _date,
    Kind.CLOCK: _clock,
    Kind.YES_NO: _yes_no,
    Kind.CHOICE: _choice,
    Kind.CHOICES: _choices,
    Kind.TEXT_LIST: _text_list,
    Kind.INJURY_AREAS: _injury_areas,
}
