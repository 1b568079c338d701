"""What exercises one client may be given: equipment, level, youth, injuries.

Only what the client's equipment allows, at or below their training
experience, and (for a safe choice) never one that loads an area whose
injury has not healed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from packetstudio.generators.stable import Identity
from packetstudio.intake import Intake
from packetstudio.library import Exercise, Library
from packetstudio.library.models import MovementPattern
from packetstudio.vocabulary import BodyArea, Equipment, Experience

LEVEL_RANK = {
    Experience.BEGINNER: 0,
    Experience.INTERMEDIATE: 1,
    Experience.ADVANCED: 2,
}

# Equipment that lets load rise well beyond bodyweight.
LOADING = frozenset(
    {
        Equipment.DUMBBELLS,
        Equipment.BARBELL,
        Equipment.KETTLEBELLS,
        Equipment.MACHINES,
        Equipment.CABLES,
    }
)

ByPattern = Mapping[MovementPattern, tuple[Exercise, ...]]


@dataclass(frozen=True)
class Rules:
    """What every exercise in one client's packet must satisfy.

    Attributes:
        avoid: areas whose injuries are not healed; nothing may load them.
        youth: only exercises marked suitable for 7-17 year olds.
        excluded: movement patterns this packet never prescribes.
    """

    equipment: frozenset[Equipment]
    level: Experience
    avoid: frozenset[BodyArea]
    youth: bool = False
    excluded: frozenset[MovementPattern] = frozenset({MovementPattern.OLYMPIC})


def rules_for(intake: Intake, *, youth: bool = False, olympic: bool = False) -> Rules:
    """Return the selection rules for ``intake``.

    Args:
        youth: restrict to youth-suitable exercises.
        olympic: allow Olympic lifts (performance packets decide when).
    """
    return Rules(
        equipment=frozenset(intake.equipment),
        level=intake.training_experience,
        avoid=frozenset(intake.limiting_injury_areas()),
        youth=youth,
        excluded=frozenset() if olympic else frozenset({MovementPattern.OLYMPIC}),
    )


def has_equipment(exercise: Exercise, equipment: frozenset[Equipment]) -> bool:
    """Whether the client has everything the exercise needs at once."""
    needs = set(exercise.equipment)
    return needs == {Equipment.BODYWEIGHT} or needs <= equipment


def qualifies(exercise: Exercise, rules: Rules) -> bool:
    """Whether the exercise suits the client, before injuries are considered."""
    return (
        has_equipment(exercise, rules.equipment)
        and LEVEL_RANK[exercise.level] <= LEVEL_RANK[rules.level]
        and (exercise.youth_suitable or not rules.youth)
        and exercise.movement_pattern not in rules.excluded
    )


def loads_any(exercise: Exercise, areas: Iterable[BodyArea]) -> bool:
    """Whether the exercise puts load through any of ``areas``."""
    return not set(exercise.loads).isdisjoint(areas)


def candidates(library: Library, rules: Rules, *, safe: bool = True) -> ByPattern:
    """Return the exercises that qualify for ``rules``, grouped by pattern.

    Args:
        safe: leave out exercises loading an area in ``rules.avoid``.
    """
    return _by_pattern(Identity(library), rules, safe)


@lru_cache(maxsize=256)
def _by_pattern(ref: Identity[Library], rules: Rules, safe: bool) -> ByPattern:
    grouped: dict[MovementPattern, list[Exercise]] = {}
    for exercise in ref.value.exercises:
        if not qualifies(exercise, rules):
            continue
        if safe and loads_any(exercise, rules.avoid):
            continue
        grouped.setdefault(exercise.movement_pattern, []).append(exercise)
    return {pattern: tuple(group) for pattern, group in grouped.items()}
