"""Choosing exercises for the slots of a session, swapping unsafe ones.

An exercise that would load an area whose injury has not healed is swapped
for a safe one of the same (or the nearest) movement pattern, and the swap
is reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from packetstudio.generators.base import ContentModel
from packetstudio.generators.exercise_rules import (
    LEVEL_RANK,
    LOADING,
    ByPattern,
    Rules,
    candidates,
    loads_any,
)
from packetstudio.generators.injuries import injured_words
from packetstudio.generators.patterns import NEAREST_PATTERNS, STRENGTH_PATTERNS
from packetstudio.generators.stable import Identity, hash64
from packetstudio.intake import Intake
from packetstudio.library import Exercise, Library
from packetstudio.library.models import MovementPattern, Muscle
from packetstudio.vocabulary import BodyArea, Equipment, label


class Swap(ContentModel):
    """An exercise replaced because it loads an injured area.

    Attributes:
        replacement_id: ``None`` when no safe alternative exists and the
            exercise was left out.
        reason: plain words naming the area and the injury.
    """

    original_id: str
    original: str
    replacement_id: str | None
    replacement: str | None
    reason: str


def client_seed(intake: Intake) -> bytes:
    """Return the seed of a client's variety: a digest of the full name."""
    return hashlib.sha256(intake.full_name.encode("utf-8")).digest()


@lru_cache(maxsize=64)
def _noise(ref: Identity[Library], seed: bytes) -> Mapping[str, int]:
    """Return each exercise's tie-breaker for the client with ``seed``."""
    return {
        exercise.id: hash64(seed + exercise.id.encode())
        for exercise in ref.value.exercises
    }


@dataclass(frozen=True)
class Slot:
    """A place in a session: a movement pattern, optionally a target muscle."""

    pattern: MovementPattern
    muscle: Muscle | None = None


@dataclass(frozen=True)
class Choice:
    """An exercise chosen for a slot, and the swap it took, if any."""

    exercise: Exercise
    swap: Swap | None = None


@dataclass
class Selector:
    """Chooses exercises for slots, swapping any that load an injured area.

    Choices are deterministic: ties are broken by a digest of the client's
    name, so two clients get some variety and one client always the same.

    Attributes:
        injured: plain words for each area to avoid ("the left knee
            (recovering)"), used in swap reasons.
        prefer_simple: rank bodyweight and easier exercises first (youth).
    """

    library: Library
    rules: Rules
    seed: bytes
    injured: Mapping[BodyArea, str]
    prefer_simple: bool = False
    _used: set[str] = field(default_factory=set)
    _swaps: dict[tuple[str, str | None], Swap] = field(default_factory=dict)
    _allowed: ByPattern = field(init=False)
    _safe_map: ByPattern = field(init=False)
    _noise: Mapping[str, int] = field(init=False)
    # Rank parts that do not change while a packet is built, per exercise id.
    _fixed: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._allowed = candidates(self.library, self.rules, safe=False)
        self._safe_map = candidates(self.library, self.rules)
        self._noise = _noise(Identity(self.library), self.seed)

    @property
    def swaps(self) -> list[Swap]:
        """The swaps made in the sessions committed so far, each once."""
        return list(self._swaps.values())

    def pick(self, slot: Slot, taken: set[str]) -> Choice | None:
        """Choose an exercise for ``slot`` that is not already in ``taken``.

        Returns ``None`` when nothing safe fits the slot or a nearby pattern.
        """
        intended = self._intended(slot, taken)
        if intended is None:
            nearest = self._nearest(slot, taken)
            return None if nearest is None else Choice(nearest)
        if not loads_any(intended, self.rules.avoid):
            return Choice(intended)
        replacement = self._nearest(slot, taken)
        swap = self._swap(intended, replacement)
        return None if replacement is None else Choice(replacement, swap)

    def pick_any(self, taken: set[str]) -> Choice | None:
        """Choose any safe strength exercise not in ``taken``."""
        for pattern in STRENGTH_PATTERNS:
            exercise = self._best(self._safe(pattern), None, taken)
            if exercise is not None:
                return Choice(exercise)
        return None

    def commit(self, choices: Iterable[Choice]) -> None:
        """Record choices that made it into a session: their swaps and use."""
        for choice in choices:
            self._used.add(choice.exercise.id)
            if choice.swap is not None:
                self._keep(choice.swap)

    def record_unplaced(self, slot: Slot, taken: set[str]) -> None:
        """Report an exercise left out because no safe alternative exists."""
        intended = self._intended(slot, taken)
        if intended is not None and loads_any(intended, self.rules.avoid):
            self._keep(self._swap(intended, None))

    def _keep(self, swap: Swap) -> None:
        """Keep ``swap`` for the packet, unless the same swap is kept already."""
        self._swaps.setdefault((swap.original_id, swap.replacement_id), swap)

    def _intended(self, slot: Slot, taken: set[str]) -> Exercise | None:
        """Return the best exercise for ``slot`` before injuries count."""
        return self._best(self._allowed.get(slot.pattern, ()), slot.muscle, taken)

    def _safe(self, pattern: MovementPattern) -> tuple[Exercise, ...]:
        return self._safe_map.get(pattern, ())

    def _nearest(self, slot: Slot, taken: set[str]) -> Exercise | None:
        for pattern in (slot.pattern, *NEAREST_PATTERNS[slot.pattern]):
            if pattern in self.rules.excluded:
                continue
            exercise = self._best(self._safe(pattern), slot.muscle, taken)
            if exercise is not None:
                return exercise
        return None

    def _best(
        self, options: Sequence[Exercise], muscle: Muscle | None, taken: set[str]
    ) -> Exercise | None:
        free = [e for e in options if e.id not in taken]
        if not free:
            return None
        return min(free, key=lambda e: self._rank(e, muscle))

    def _rank(self, exercise: Exercise, muscle: Muscle | None) -> tuple[int, ...]:
        fixed = self._fixed.get(exercise.id)
        if fixed is None:
            fixed = self._fixed[exercise.id] = self._fixed_rank(exercise)
        rehab, first, second = fixed
        off_target = int(muscle is not None and muscle not in exercise.primary_muscles)
        used = int(exercise.id in self._used)
        noise = self._noise[exercise.id]
        if self.prefer_simple:
            return (rehab, off_target, first, second, used, noise)
        return (rehab, off_target, used, first, second, noise)

    def _fixed_rank(self, exercise: Exercise) -> tuple[int, int, int]:
        # Early-rehabilitation drills are for recovery packets: never the
        # first choice, even when they are the only ones on target.
        rehab = int(bool(exercise.rehab_areas))
        level = LEVEL_RANK[exercise.level]
        bodyweight = exercise.equipment == [Equipment.BODYWEIGHT]
        if self.prefer_simple:
            # Technique before load: bodyweight and the easiest levels first.
            return (rehab, int(not bodyweight), level)
        # Loadable exercises progress further when the client has the kit;
        # intermediate-level lifts are the staples even for advanced clients.
        heavy = int(bodyweight and not self.rules.equipment.isdisjoint(LOADING))
        target = min(LEVEL_RANK[self.rules.level], 1)
        return (rehab, heavy, abs(target - level))

    def _swap(self, original: Exercise, replacement: Exercise | None) -> Swap:
        areas = [a for a in self.rules.avoid if a in original.loads]
        words = " and ".join(
            self.injured.get(a, f"the {label(a).lower()}") for a in sorted(areas)
        )
        if replacement is None:
            outcome = "left out: no safe alternative suits your equipment and level"
        elif replacement.movement_pattern is original.movement_pattern:
            outcome = f"replaced by {replacement.name}, the same movement pattern"
        else:
            pattern = label(replacement.movement_pattern).lower()
            outcome = f"replaced by {replacement.name}, the nearest pattern ({pattern})"
        return Swap(
            original_id=original.id,
            original=original.name,
            replacement_id=None if replacement is None else replacement.id,
            replacement=None if replacement is None else replacement.name,
            reason=f"{original.name} loads {words}; {outcome}.",
        )


def selector_for(
    intake: Intake, library: Library, rules: Rules, *, prefer_simple: bool = False
) -> Selector:
    """Return a :class:`Selector` for one client's packet."""
    return Selector(
        library=library,
        rules=rules,
        seed=client_seed(intake),
        injured=injured_words(intake),
        prefer_simple=prefer_simple,
    )
