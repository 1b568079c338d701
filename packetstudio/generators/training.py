"""Exercise selection and dosing shared by the training packet types.

The workout, performance, youth and recovery generators all choose exercises
the same way: only what the client's equipment allows, at or below their
training experience, and never one that loads an area whose injury has not
healed. An exercise that would load such an area is swapped for a safe one of
the same (or the nearest) movement pattern, and the swap is reported.

Sessions are sized with one estimate, stated in the packet as a PacketStudio
convention: each set takes about 40 s of work plus its rest.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from pydantic import Field

from packetstudio.generators.base import ContentModel
from packetstudio.intake import Injury, Intake
from packetstudio.library import Exercise, Library
from packetstudio.library.models import MovementPattern, Muscle
from packetstudio.vocabulary import (
    BodyArea,
    Equipment,
    Experience,
    Goal,
    InjuryStatus,
    Side,
    label,
)

P = MovementPattern

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
LEVEL_RANK = {
    Experience.BEGINNER: 0,
    Experience.INTERMEDIATE: 1,
    Experience.ADVANCED: 2,
}

# Large before small and multi-joint before single-joint (ACSM 2009); fast,
# technical work (sprints, jumps, Olympic lifts) comes first, while fresh.
_ORDER = (
    P.SPEED_AGILITY,
    P.PLYOMETRIC,
    P.OLYMPIC,
    P.SQUAT,
    P.HINGE,
    P.LUNGE,
    P.HORIZONTAL_PUSH,
    P.HORIZONTAL_PULL,
    P.VERTICAL_PUSH,
    P.VERTICAL_PULL,
    P.CARRY,
    P.ISOLATION_LOWER,
    P.ISOLATION_UPPER,
    P.ROTATION,
    P.CORE,
    P.CONDITIONING,
    P.MOBILITY,
)
_ORDER_INDEX = {pattern: index for index, pattern in enumerate(_ORDER)}

MULTI_JOINT = frozenset(
    {
        P.SQUAT,
        P.HINGE,
        P.LUNGE,
        P.HORIZONTAL_PUSH,
        P.HORIZONTAL_PULL,
        P.VERTICAL_PUSH,
        P.VERTICAL_PULL,
        P.OLYMPIC,
    }
)
# A tuple, not the set above: its order decides fallbacks, and set order
# changes with the interpreter's string hashing.
STRENGTH_PATTERNS = (
    P.SQUAT,
    P.HINGE,
    P.HORIZONTAL_PUSH,
    P.HORIZONTAL_PULL,
    P.LUNGE,
    P.VERTICAL_PUSH,
    P.VERTICAL_PULL,
    P.CARRY,
    P.ISOLATION_LOWER,
    P.ISOLATION_UPPER,
    P.CORE,
    P.ROTATION,
)

# Where to look when no safe exercise of a pattern exists, closest first.
# Olympic lifts are never a fallback: they need their own eligibility.
NEAREST_PATTERNS: dict[MovementPattern, tuple[MovementPattern, ...]] = {
    P.SQUAT: (P.LUNGE, P.HINGE, P.ISOLATION_LOWER),
    P.HINGE: (P.SQUAT, P.ISOLATION_LOWER, P.LUNGE),
    P.LUNGE: (P.SQUAT, P.ISOLATION_LOWER, P.HINGE),
    P.HORIZONTAL_PUSH: (P.VERTICAL_PUSH, P.ISOLATION_UPPER),
    P.VERTICAL_PUSH: (P.HORIZONTAL_PUSH, P.ISOLATION_UPPER),
    P.HORIZONTAL_PULL: (P.VERTICAL_PULL, P.ISOLATION_UPPER),
    P.VERTICAL_PULL: (P.HORIZONTAL_PULL, P.ISOLATION_UPPER),
    P.CARRY: (P.CORE, P.ROTATION),
    P.CORE: (P.ROTATION, P.CARRY),
    P.ROTATION: (P.CORE, P.CARRY),
    P.ISOLATION_UPPER: (P.HORIZONTAL_PULL, P.HORIZONTAL_PUSH, P.VERTICAL_PULL),
    P.ISOLATION_LOWER: (P.LUNGE, P.SQUAT, P.HINGE),
    P.OLYMPIC: (P.PLYOMETRIC, P.HINGE),
    P.PLYOMETRIC: (P.SPEED_AGILITY, P.SQUAT, P.LUNGE),
    P.SPEED_AGILITY: (P.PLYOMETRIC, P.CONDITIONING),
    P.CONDITIONING: (P.SPEED_AGILITY, P.CORE),
    P.MOBILITY: (P.CORE,),
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
# Equipment that has no meaningful one-repetition maximum.
_NO_1RM = frozenset({Equipment.BODYWEIGHT, Equipment.BANDS, Equipment.PULL_UP_BAR})


# --- content shared by the packets -----------------------------------------


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


class InjuryNote(ContentModel):
    """What the packet does about one injury on the intake."""

    area: BodyArea
    side: Side | None
    status: InjuryStatus | None
    note: str


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


# --- what a client may be given ----------------------------------------------


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
    excluded: frozenset[MovementPattern] = frozenset({P.OLYMPIC})


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
        excluded=frozenset() if olympic else frozenset({P.OLYMPIC}),
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


class _Ref:
    """A library handle hashed by identity.

    Exercises hold lists, so a library cannot be hashed by value; the caches
    below keep the handle (and so the library) alive, so an id is never reused
    while an entry for it exists.
    """

    __slots__ = ("library",)

    def __init__(self, library: Library) -> None:
        self.library = library

    def __hash__(self) -> int:
        return id(self.library)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Ref) and other.library is self.library


ByPattern = Mapping[MovementPattern, tuple[Exercise, ...]]


@lru_cache(maxsize=256)
def _by_pattern(ref: _Ref, rules: Rules, safe: bool) -> ByPattern:
    grouped: dict[MovementPattern, list[Exercise]] = {}
    for exercise in ref.library.exercises:
        if not qualifies(exercise, rules):
            continue
        if safe and loads_any(exercise, rules.avoid):
            continue
        grouped.setdefault(exercise.movement_pattern, []).append(exercise)
    return {pattern: tuple(group) for pattern, group in grouped.items()}


def candidates(library: Library, rules: Rules, *, safe: bool = True) -> ByPattern:
    """Return the exercises that qualify for ``rules``, grouped by pattern.

    Args:
        safe: leave out exercises loading an area in ``rules.avoid``.
    """
    return _by_pattern(_Ref(library), rules, safe)


def client_seed(intake: Intake) -> bytes:
    """Return the seed of a client's variety: a digest of the full name."""
    return hashlib.sha256(intake.full_name.encode("utf-8")).digest()


@lru_cache(maxsize=64)
def _noise(ref: _Ref, seed: bytes) -> Mapping[str, int]:
    return {
        exercise.id: int.from_bytes(
            hashlib.sha256(seed + exercise.id.encode()).digest()[:8], "big"
        )
        for exercise in ref.library.exercises
    }


# --- choosing exercises -------------------------------------------------------


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
        self._noise = _noise(_Ref(self.library), self.seed)

    @property
    def swaps(self) -> list[Swap]:
        """The swaps made in the sessions committed so far, each once."""
        return list(self._swaps.values())

    def pick(self, slot: Slot, taken: set[str]) -> Choice | None:
        """Choose an exercise for ``slot`` that is not already in ``taken``.

        Returns ``None`` when nothing safe fits the slot or a nearby pattern.
        """
        intended = self._best(self._allowed.get(slot.pattern, ()), slot.muscle, taken)
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
                swap = choice.swap
                self._swaps.setdefault((swap.original_id, swap.replacement_id), swap)

    def record_unplaced(self, slot: Slot, taken: set[str]) -> None:
        """Report an exercise left out because no safe alternative exists."""
        intended = self._best(self._allowed.get(slot.pattern, ()), slot.muscle, taken)
        if intended is not None and loads_any(intended, self.rules.avoid):
            swap = self._swap(intended, None)
            self._swaps.setdefault((swap.original_id, None), swap)

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


# --- injuries -----------------------------------------------------------------


def _side_words(injury: Injury) -> str:
    area = label(injury.area).lower()
    if injury.side is None or injury.side is Side.BOTH:
        return f"both sides of the {area}" if injury.side else f"the {area}"
    return f"the {injury.side.value} {area}"


def injured_words(intake: Intake) -> dict[BodyArea, str]:
    """Return plain words for each area to avoid, for swap reasons."""
    words: dict[BodyArea, str] = {}
    for injury in intake.injuries:
        if injury.limits_training:
            status = injury.status.value if injury.status else "status not given"
            words.setdefault(injury.area, f"{_side_words(injury)} ({status})")
    if intake.recovery is not None:
        area = label(intake.recovery.area).lower()
        words.setdefault(intake.recovery.area, f"the {area} you are recovering")
    return words


_STATUS_NOTES: dict[InjuryStatus | None, str] = {
    InjuryStatus.ACUTE: (
        "Acute: every exercise that loads it is left out or swapped. Have it "
        "assessed, and keep the area comfortable while it settles."
    ),
    InjuryStatus.RECOVERING: (
        "Recovering: exercises that load it are swapped. Bring them back only "
        "with your coach or physiotherapist, and stop anything that hurts there."
    ),
    InjuryStatus.CHRONIC: (
        "Chronic: exercises that load it are swapped. Warm the area up well "
        "and stop if symptoms flare during or after a session."
    ),
    InjuryStatus.HEALED: (
        "Healed: trained normally. Build up the load gradually and tell your "
        "coach if pain returns."
    ),
    None: (
        "Status not given, so it is treated as not yet healed: exercises that "
        "load it are swapped. Tell your coach how it is now."
    ),
}


def injury_notes(intake: Intake) -> list[InjuryNote]:
    """Return a safety note for each injury on the intake."""
    return [
        InjuryNote(
            area=injury.area,
            side=injury.side,
            status=injury.status,
            note=f"{label(injury.area)} ({_side_label(injury)}). "
            + _STATUS_NOTES[injury.status],
        )
        for injury in intake.injuries
    ]


def _side_label(injury: Injury) -> str:
    return "side not given" if injury.side is None else f"{injury.side.value} side"


def medical_reasons(intake: Intake) -> list[str]:
    """Return the clearance reason a listed medical condition gives, if any.

    PAR-Q+ treats any chronic condition as a reason to ask a physician or a
    qualified exercise professional first. The conditions themselves are not
    repeated: the reason is printed on page 1.
    """
    if not intake.medical_conditions:
        return []
    return [
        "The intake lists a medical condition: check with a physician or a "
        "qualified exercise professional before starting (PAR-Q+)."
    ]


PAIN_REFERRAL = 7


def recovery_reasons(intake: Intake) -> list[str]:
    """Return why a recovery client must be cleared first, if they must.

    Red flags, pain of 7/10 or more right now, and no medical clearance each
    give a reason.
    """
    details = intake.recovery
    if details is None:
        return []
    reasons: list[str] = []
    if details.red_flags:
        reasons.append(
            "Warning signs (red flags) were reported: stop and see a physician "
            "before exercising."
        )
    if details.pain_now >= PAIN_REFERRAL:
        reasons.append(
            f"Pain right now is {details.pain_now}/10 ({PAIN_REFERRAL} or more): "
            "have it assessed by a physician or physiotherapist first."
        )
    if not details.medical_clearance:
        reasons.append(
            "No medical clearance yet: get a physician's or physiotherapist's "
            "go-ahead before starting."
        )
    return reasons


def clearance_reasons(intake: Intake) -> list[str]:
    """Return every reason to see a physician before starting, in order."""
    return recovery_reasons(intake) + medical_reasons(intake)


# --- sets, reps and rest --------------------------------------------------------


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


# --- fitting sessions into the client's minutes ---------------------------------


def warm_up_cool_down(session_minutes: int) -> tuple[int, int]:
    """Return warm-up and cool-down minutes, together 5-10 min.

    Short sessions get the shorter pair so that three exercises still fit.
    """
    return (3, 2) if session_minutes < 30 else (5, 5)


def exercise_seconds(exercise: PrescribedExercise) -> int:
    """Estimate one exercise's time: sets x (about 40 s of work + rest)."""
    return exercise.sets * (WORK_SECONDS + exercise.rest_seconds)


def session_minutes(exercises: Iterable[PrescribedExercise], extra: int) -> int:
    """Return the whole session's estimated minutes, rounded up.

    Args:
        extra: minutes outside the exercises (warm-up, cool-down).
    """
    seconds = sum(exercise_seconds(e) for e in exercises)
    return extra + math.ceil(seconds / 60)


def order_key(exercise: PrescribedExercise) -> int:
    """Sort key: fast work first, large before small, multi-joint first."""
    return _ORDER_INDEX[exercise.movement_pattern]


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


def _total(exercises: Iterable[PrescribedExercise]) -> int:
    return sum(exercise_seconds(e) for e in exercises)


def _fewer_sets(exercises: list[PrescribedExercise]) -> list[PrescribedExercise]:
    return [e.model_copy(update={"sets": max(1, e.sets - 1)}) for e in exercises]


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


DoseFor = Callable[[Exercise], Dose]


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
    main_choices = choose(selector, main, taken)
    while len(main_choices) < MIN_MAIN_EXERCISES:
        choice = selector.pick_any(taken)
        if choice is None:
            break
        taken.add(choice.exercise.id)
        main_choices.append(choice)
    extra_choices = choose(selector, extras, taken)
    required = main_choices[:MIN_MAIN_EXERCISES]
    optional = extra_choices + main_choices[MIN_MAIN_EXERCISES:]
    by_id = {c.exercise.id: c for c in required + optional}
    chosen, reduced = fit(
        [prescribe(c.exercise, dose_for(c.exercise)) for c in required],
        [prescribe(c.exercise, dose_for(c.exercise)) for c in optional],
        budget_seconds,
    )
    if maximum is not None:
        chosen = chosen[: max(maximum, len(required))]
    selector.commit(by_id[e.exercise_id] for e in chosen)
    return SessionPlan(
        exercises=tuple(sorted(chosen, key=order_key)),
        sets_reduced=reduced,
        short=len(required) < MIN_MAIN_EXERCISES,
    )


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
