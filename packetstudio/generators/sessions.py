"""Sessions and the week: fitting exercises into a client's minutes.

Sessions are sized with one estimate, stated in the packet as a PacketStudio
convention: each set takes about 40 s of work plus its rest. The first three
main exercises always stay, with fewer sets if need be; the rest are added
while they fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pydantic import Field

from packetstudio.generators.base import ContentModel
from packetstudio.generators.dosing import Dose, PrescribedExercise, prescribe
from packetstudio.generators.patterns import session_position
from packetstudio.generators.selection import Choice, Selector, Slot
from packetstudio.library import Exercise

WORK_SECONDS = 40
MIN_MAIN_EXERCISES = 3
DAY_NAMES = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


class ProgressionBlock(ContentModel):
    """A block of weeks in a plan, with what changes in it.

    Attributes:
        weeks: the range as printed ("1-4").
    """

    first_week: int
    last_week: int
    weeks: str
    name: str
    focus: str
    guidance: list[str]


class ScheduleDay(ContentModel):
    """One named day of the week: a training session or a rest day.

    Attributes:
        focus: what the session trains, or "Rest".
        estimated_minutes: warm-up, exercises (sets x (work + rest)) and
            cool-down, rounded up.
    """

    day: str
    training: bool
    focus: str
    warm_up_minutes: int = 0
    cool_down_minutes: int = 0
    exercises: list[PrescribedExercise] = Field(default_factory=list)
    estimated_minutes: int = 0


def block(
    first: int, last: int, name: str, focus: str, *guidance: str
) -> ProgressionBlock:
    """Return a :class:`ProgressionBlock` for weeks ``first`` to ``last``."""
    return ProgressionBlock(
        first_week=first,
        last_week=last,
        weeks=f"{first}-{last}",
        name=name,
        focus=focus,
        guidance=list(guidance),
    )


# --- the week ----------------------------------------------------------------


def training_day_indexes(days: int) -> tuple[int, ...]:
    """Return which weekdays (0 = Monday) to train on, spread through the week.

    No more days fall back to back than the number of sessions needs.
    """
    spread = {
        1: (0,),
        2: (0, 3),
        3: (0, 2, 4),
        4: (0, 1, 3, 4),
        5: (0, 1, 3, 4, 5),
        6: (0, 1, 2, 3, 4, 5),
        7: (0, 1, 2, 3, 4, 5, 6),
    }
    return spread[max(1, min(days, 7))]


def rest_day(index: int, focus: str = "Rest") -> ScheduleDay:
    """Return a rest day for weekday ``index`` (0 = Monday)."""
    return ScheduleDay(day=DAY_NAMES[index], training=False, focus=focus)


# --- timing ------------------------------------------------------------------


def warm_up_cool_down(session_minutes: int) -> tuple[int, int]:
    """Return warm-up and cool-down minutes, together 5-10 min.

    Short sessions get the shorter pair so that three exercises still fit.
    """
    return (3, 2) if session_minutes < 30 else (5, 5)


def exercise_seconds(exercise: PrescribedExercise) -> int:
    """Estimate one exercise's time: sets x (about 40 s of work + rest)."""
    return exercise.sets * (WORK_SECONDS + exercise.rest_seconds)


def _total(exercises: Iterable[PrescribedExercise]) -> int:
    """Estimate the exercises' seconds together, without rounding."""
    return sum(exercise_seconds(e) for e in exercises)


def session_minutes(exercises: Iterable[PrescribedExercise], extra: int) -> int:
    """Return the whole session's estimated minutes, rounded up.

    Args:
        extra: minutes outside the exercises (warm-up, cool-down).
    """
    return extra + math.ceil(_total(exercises) / 60)


def order_key(exercise: PrescribedExercise) -> int:
    """Sort key: fast work first, large before small, multi-joint first."""
    return session_position(exercise.movement_pattern)


# --- planning one session ----------------------------------------------------

DoseFor = Callable[[Exercise], Dose]


@dataclass(frozen=True)
class SessionPlan:
    """The exercises of one session after fitting it to the time available.

    Attributes:
        sets_reduced: sets were cut to fit three main exercises in.
        short: fewer than three main exercises exist for this client.
    """

    exercises: tuple[PrescribedExercise, ...]
    sets_reduced: bool
    short: bool


def plan_session(
    selector: Selector,
    main: Sequence[Slot],
    dose_for: DoseFor,
    budget_seconds: int,
    extras: Sequence[Slot] = (),
    maximum: int | None = None,
) -> SessionPlan:
    """Choose, dose and fit one session.

    The first three main exercises are kept whatever the time; then the
    extras (power, speed) and the remaining main slots are added in that
    order while they fit.

    Args:
        main: slots in priority order; the first ones found are required.
        dose_for: the prescription of each chosen exercise.
        budget_seconds: time for the exercises, without warm-up and cool-down.
        extras: optional slots placed before the leftover main slots.
        maximum: at most this many exercises.
    """
    taken: set[str] = set()
    main_choices = _main_choices(selector, main, taken)
    extra_choices = choose(selector, extras, taken)
    required = main_choices[:MIN_MAIN_EXERCISES]
    optional = extra_choices + main_choices[MIN_MAIN_EXERCISES:]

    chosen, reduced = fit(
        _prescribed(required, dose_for),
        _prescribed(optional, dose_for),
        budget_seconds,
    )
    if maximum is not None:
        chosen = chosen[: max(maximum, len(required))]

    by_id = {c.exercise.id: c for c in required + optional}
    selector.commit(by_id[e.exercise_id] for e in chosen)
    return SessionPlan(
        exercises=tuple(sorted(chosen, key=order_key)),
        sets_reduced=reduced,
        short=len(required) < MIN_MAIN_EXERCISES,
    )


def _main_choices(
    selector: Selector, main: Sequence[Slot], taken: set[str]
) -> list[Choice]:
    """Choose the main slots, topped up to three with any safe strength work."""
    choices = choose(selector, main, taken)
    while len(choices) < MIN_MAIN_EXERCISES:
        choice = selector.pick_any(taken)
        if choice is None:
            break
        taken.add(choice.exercise.id)
        choices.append(choice)
    return choices


def choose(selector: Selector, slots: Sequence[Slot], taken: set[str]) -> list[Choice]:
    """Choose an exercise for each slot that has one, without committing.

    Chosen ids are added to ``taken``; a slot left empty because its exercise
    loads an injured area is reported as a swap without replacement.
    """
    choices: list[Choice] = []
    for slot in slots:
        choice = selector.pick(slot, taken)
        if choice is None:
            selector.record_unplaced(slot, taken)
            continue
        taken.add(choice.exercise.id)
        choices.append(choice)
    return choices


def _prescribed(
    choices: Iterable[Choice], dose_for: DoseFor
) -> list[PrescribedExercise]:
    return [prescribe(c.exercise, dose_for(c.exercise)) for c in choices]


def fit(
    required: list[PrescribedExercise],
    optional: Sequence[PrescribedExercise],
    budget_seconds: int,
) -> tuple[list[PrescribedExercise], bool]:
    """Fit exercises into ``budget_seconds``.

    The required ones always stay; if they do not fit, every one loses a set
    at a time (never below one). Optional ones are then added in order while
    they fit.

    Returns:
        the chosen exercises and whether sets were reduced.
    """
    chosen = list(required)
    reduced = False
    while _total(chosen) > budget_seconds and any(e.sets > 1 for e in chosen):
        chosen = _fewer_sets(chosen)
        reduced = True
    for exercise in optional:
        if _total(chosen) + exercise_seconds(exercise) <= budget_seconds:
            chosen.append(exercise)
    return chosen, reduced


def _fewer_sets(exercises: list[PrescribedExercise]) -> list[PrescribedExercise]:
    return [e.model_copy(update={"sets": max(1, e.sets - 1)}) for e in exercises]
