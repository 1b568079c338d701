"""How much of each exercise: sets, reps, rest and load (ACSM 2009).

A client's goal picks a row of the ACSM 2009 progression table (a scheme);
their experience picks its column. Load is given as % 1RM for free weights
and machines, and as an effort (RPE) for work that has no one-repetition
maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from packetstudio.generators.base import ContentModel
from packetstudio.generators.patterns import MULTI_JOINT
from packetstudio.library import Exercise
from packetstudio.library.models import MovementPattern
from packetstudio.vocabulary import Equipment, Experience, Goal

# Equipment that has no meaningful one-repetition maximum.
_NO_1RM = frozenset({Equipment.BODYWEIGHT, Equipment.BANDS, Equipment.PULL_UP_BAR})


class PrescribedExercise(ContentModel):
    """One exercise as prescribed in a session.

    Attributes:
        exercise_id: the library id, so the handout can be traced to it.
        reps: a range as text ("8-12").
        load: how heavy, as % 1RM or as an effort (RPE) for bodyweight work.
        regression: an easier version if the exercise cannot be done well.
        progression: a harder version once the top of the range is easy.
    """

    exercise_id: str
    name: str
    movement_pattern: MovementPattern
    sets: int
    reps: str
    rest_seconds: int
    load: str
    cues: list[str]
    regression: str
    progression: str


class Scheme(StrEnum):
    """The training aim a prescription follows (ACSM 2009 table rows)."""

    STRENGTH = "strength"
    HYPERTROPHY = "hypertrophy"
    ENDURANCE_HYPERTROPHY = "endurance-leaning hypertrophy"
    POWER = "power"


@dataclass(frozen=True)
class Dose:
    """Sets, reps, rest and load for one exercise.

    Attributes:
        load: % 1RM wording for free weights and machines.
        effort: RPE wording for bodyweight and band work.
    """

    sets: int
    reps: str
    rest_seconds: int
    load: str
    effort: str


@dataclass(frozen=True)
class SchemeChoice:
    """The scheme for a goal, and the words the packet explains it with."""

    scheme: Scheme
    novice_ranges: bool
    explanation: str


def scheme_for(goal: Goal) -> SchemeChoice:
    """Map a client's goal to a row of the ACSM 2009 table."""
    if goal is Goal.MUSCLE_GAIN:
        return SchemeChoice(
            Scheme.HYPERTROPHY, False, "Muscle gain follows ACSM's hypertrophy row."
        )
    if goal is Goal.PERFORMANCE:
        return SchemeChoice(
            Scheme.STRENGTH, False, "Performance follows ACSM's strength row."
        )
    if goal is Goal.MAINTENANCE:
        return SchemeChoice(
            Scheme.HYPERTROPHY,
            True,
            "Maintenance uses ACSM's hypertrophy ranges for novices, whatever "
            "the experience: enough to keep what you have built.",
        )
    return SchemeChoice(
        Scheme.ENDURANCE_HYPERTROPHY,
        False,
        "Fat loss and general health use endurance-leaning hypertrophy: ACSM's "
        "hypertrophy rest with the higher repetitions of its endurance row, a "
        "PacketStudio blend of the two.",
    )


_RPE_MODERATE = "RPE 6-7: stop with 3-4 good reps left in you"
_RPE_HARD = "RPE 7-9: stop with 1-3 good reps left in you"


def dose(scheme: Scheme, experience: Experience, pattern: MovementPattern) -> Dose:
    """Return the ACSM 2009 prescription for a scheme, experience and pattern.

    Novice and intermediate share the table's first column; beginners get
    the lower set count. Rest is longer for multi-joint (core) lifts in
    strength and power work, as the table gives.
    """
    advanced = experience is Experience.ADVANCED
    novice_sets = 2 if experience is Experience.BEGINNER else 3
    core = pattern in MULTI_JOINT
    if scheme is Scheme.STRENGTH:
        if advanced:
            return Dose(4, "1-6", 150 if core else 90, "80-100 % 1RM", _RPE_HARD)
        return Dose(
            novice_sets, "8-12", 150 if core else 90, "60-70 % 1RM", _RPE_MODERATE
        )
    if scheme is Scheme.HYPERTROPHY:
        if advanced:
            return Dose(4, "6-12", 90, "70-100 % 1RM, mostly 6-12 reps", _RPE_HARD)
        return Dose(novice_sets, "8-12", 90, "70-85 % 1RM", _RPE_MODERATE)
    if scheme is Scheme.POWER:
        if advanced:
            return Dose(
                3, "1-6", 150, "85-100 % 1RM mixed with light, fast sets", _RPE_HARD
            )
        return Dose(
            novice_sets,
            "3-6",
            150,
            "30-60 % 1RM (upper body), 0-60 % (lower body), moved fast",
            "Fast and crisp: stop before the speed drops",
        )
    if advanced:
        return Dose(3, "12-20", 60, "light to moderate", _RPE_HARD)
    return Dose(novice_sets, "10-15", 60, "light", _RPE_MODERATE)


def prescribe(exercise: Exercise, amount: Dose) -> PrescribedExercise:
    """Return ``exercise`` with ``amount`` as it appears in a session."""
    no_max = set(exercise.equipment) <= _NO_1RM
    return PrescribedExercise(
        exercise_id=exercise.id,
        name=exercise.name,
        movement_pattern=exercise.movement_pattern,
        sets=amount.sets,
        reps=amount.reps,
        rest_seconds=amount.rest_seconds,
        load=amount.effort if no_max else f"{amount.load} ({amount.effort})",
        cues=list(exercise.cues),
        regression=exercise.regression,
        progression=exercise.progression,
    )
