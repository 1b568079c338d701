"""The performance packet: season-phased training for an adult athlete.

Volume, intensity, sets x reps and sessions per week follow the season table of
the NSCA's Essentials of Strength Training and Conditioning (4th ed., 2016).
Each strength day opens with speed and power work while the athlete is fresh;
other training days hold speed, agility and sport-specific conditioning from
the sports library. Equipment, level and injuries are handled as in the
workout packet, through :mod:`packetstudio.generators.training`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import Field

from packetstudio.generators import training as tr
from packetstudio.generators.base import (
    GENERATOR_VERSION,
    ContentModel,
    GlanceItem,
    PacketContent,
)
from packetstudio.generators.sources import sources
from packetstudio.generators.training import (
    InjuryNote,
    PrescribedExercise,
    ProgressionBlock,
    ScheduleDay,
    Slot,
    Swap,
)
from packetstudio.intake import Intake
from packetstudio.library import Exercise, Library, Sport
from packetstudio.library.models import EnergySystem
from packetstudio.library.models import MovementPattern as P
from packetstudio.library.models import Muscle as M
from packetstudio.vocabulary import (
    BodyArea,
    Equipment,
    Experience,
    PacketType,
    SeasonPhase,
    label,
)

Level = Literal["low", "moderate", "high"]

# A typical field sport's energy-system mix (PacketStudio convention), used
# when the athlete's sport is not in the library.
FIELD_SPORT_MIX = {
    EnergySystem.PHOSPHAGEN: 30,
    EnergySystem.GLYCOLYTIC: 30,
    EnergySystem.OXIDATIVE: 40,
}
GENERAL_CONDITIONING = (
    "Aerobic base: 20-30 min of steady running, cycling or rowing at a pace "
    "you can still talk at.",
    "Repeated sprints: 6-10 sprints of about 5 s with a walk back between, "
    "2 sets with 3 min rest.",
    "Intervals: 4-6 x 1 min hard with 1-2 min easy between.",
)
_LOWER_LIMB = frozenset({BodyArea.HIP, BodyArea.KNEE, BodyArea.ANKLE})


class PhaseParameters(ContentModel):
    """One row of the NSCA season table.

    Attributes:
        percent_1rm: intensity as % of one-repetition maximum.
        power_percent_1rm: the range for power lifts, where the table has one.
        sets_reps: "sets x repetitions" as the table gives them.
        sessions_per_week: resistance sessions a week, as a range.
    """

    emphasis: str
    volume: Level
    intensity: Level
    percent_1rm: str
    power_percent_1rm: str | None = None
    sets_reps: str
    sessions_per_week: str
    duration: str | None = None


class PerformanceDay(ScheduleDay):
    """A day of the athlete's week; conditioning days add sport work.

    Attributes:
        exercises: speed and agility, then power, then strength, in order.
        conditioning: sport-specific conditioning sessions, in plain words.
        conditioning_minutes: time left for them within the session.
    """

    conditioning: list[str] = Field(default_factory=list)
    conditioning_minutes: int = 0


class PowerPlan(ContentModel):
    """Power work: Olympic lifts for advanced athletes, otherwise jumps and throws.

    Attributes:
        olympic_lifts: whether Olympic lifts are prescribed.
        landing_progression: snap-down, drop landing, then jumps; empty while
            a leg injury keeps jumps out.
    """

    olympic_lifts: bool
    reason: str
    exercises: list[PrescribedExercise]
    landing_progression: list[str]
    notes: list[str]


class SpeedAgility(ContentModel):
    """Speed and agility drills and how to run them."""

    drills: list[PrescribedExercise]
    guidance: list[str]


class StrengthPlan(ContentModel):
    """The strength exercises of the phase and how to dose them."""

    exercises: list[PrescribedExercise]
    guidance: list[str]


class EnergyShare(ContentModel):
    """One energy system's share of the sport's demands, in percent."""

    system: EnergySystem
    percent: int


class ConditioningPlan(ContentModel):
    """Sport-specific conditioning from the sports library.

    Attributes:
        sport_id: the library sport matched, or ``None`` when none was.
        in_library: ``False`` when general field-sport conditioning is given.
    """

    sport: str
    sport_id: str | None
    in_library: bool
    energy_systems: list[EnergyShare]
    sessions: list[str]
    key_qualities: list[str]
    injury_risk_areas: list[BodyArea]
    notes: list[str]


class RecoveryStrategies(ContentModel):
    """Recovery habits by time scale."""

    daily: list[str]
    weekly: list[str]
    monthly: list[str]


class PerformancePacket(PacketContent):
    """An athlete's season-phased plan.

    Attributes:
        season_phase: the phase the plan is for.
        phase_parameters: the NSCA table row for the phase.
        strength_sessions: resistance sessions a week in this plan.
        phase_plan: the weeks of the phase and what changes in them.
    """

    sport: str
    season_phase: SeasonPhase
    phase_parameters: PhaseParameters
    strength_sessions: int
    weekly_schedule: list[PerformanceDay]
    power: PowerPlan
    speed_agility: SpeedAgility
    strength: StrengthPlan
    conditioning: ConditioningPlan
    recovery_strategies: RecoveryStrategies
    phase_plan: list[ProgressionBlock]
    swaps: list[Swap]
    safety_notes: list[InjuryNote]
    notes: list[str]


_PHASES: dict[SeasonPhase, PhaseParameters] = {
    SeasonPhase.OFF_SEASON: PhaseParameters(
        emphasis="hypertrophy and strength endurance, then basic strength",
        volume="high",
        intensity="moderate",
        percent_1rm="50-75 % rising to 80-95 %",
        sets_reps="3-6 x 10-20, then 2-6 x 2-6",
        sessions_per_week="4-6",
    ),
    SeasonPhase.PRE_SEASON: PhaseParameters(
        emphasis="strength and power",
        volume="moderate",
        intensity="high",
        percent_1rm="75-95 %",
        power_percent_1rm="30-85 %",
        sets_reps="2-5 x 2-5",
        sessions_per_week="3-4",
    ),
    SeasonPhase.IN_SEASON: PhaseParameters(
        emphasis="maintenance (or a 1-2 week peak)",
        volume="low",
        intensity="high",
        percent_1rm="85-93 %",
        sets_reps="2-5 x 3-6",
        sessions_per_week="1-3",
    ),
    SeasonPhase.TRANSITION: PhaseParameters(
        emphasis="active rest",
        volume="low",
        intensity="low",
        percent_1rm="low, recreational",
        sets_reps="low",
        sessions_per_week="0-3",
        duration="1-4 weeks",
    ),
}
_SESSIONS: dict[SeasonPhase, tuple[int, int]] = {
    SeasonPhase.OFF_SEASON: (4, 6),
    SeasonPhase.PRE_SEASON: (3, 4),
    SeasonPhase.IN_SEASON: (1, 3),
    SeasonPhase.TRANSITION: (0, 3),
}

_STRENGTH_A = (
    Slot(P.SQUAT),
    Slot(P.HORIZONTAL_PUSH),
    Slot(P.HORIZONTAL_PULL),
    Slot(P.HINGE),
    Slot(P.LUNGE),
    Slot(P.CORE),
    Slot(P.CARRY),
)
_STRENGTH_B = (
    Slot(P.HINGE),
    Slot(P.VERTICAL_PULL),
    Slot(P.VERTICAL_PUSH),
    Slot(P.LUNGE),
    Slot(P.SQUAT),
    Slot(P.ROTATION),
    Slot(P.ISOLATION_LOWER, M.HAMSTRINGS),
)
_SPEED = (Slot(P.SPEED_AGILITY),)
_JUMPS = (Slot(P.PLYOMETRIC, M.QUADRICEPS), Slot(P.PLYOMETRIC, M.CHEST))
_OLYMPIC = (Slot(P.OLYMPIC), Slot(P.PLYOMETRIC))
_DRILLS = (Slot(P.SPEED_AGILITY),) * 3

_CONDITIONING_FOCUS = "Speed, agility and conditioning"
_RECREATION = (
    "Another sport, a hike, a swim or a bike ride, at an easy, enjoyable effort."
)

_LANDINGS = [
    "Snap-down: rise onto the toes, then drop fast into a quiet, balanced "
    "athletic stance and hold it.",
    "Drop landing: step off a low box and land softly on both feet, knees "
    "over toes, and stick the landing.",
    "Jumps: when every landing is quiet and controlled, jump in place, then "
    "for height and distance, then on one leg.",
]


def olympic_allowed(intake: Intake) -> bool:
    """Whether Olympic lifts are prescribed: advanced athletes with a barbell."""
    return (
        intake.training_experience is Experience.ADVANCED
        and Equipment.BARBELL in intake.equipment
    )


def normalize(name: str) -> str:
    """Return the id form of a sport's name: lower case, spaces to underscores."""
    return name.strip().lower().replace(" ", "_")


def find_sport(library: Library, name: str) -> Sport | None:
    """Return the library sport whose id or name matches ``name`` exactly."""
    wanted = normalize(name)
    for sport in library.sports:
        if wanted in {sport.id, normalize(sport.name)}:
            return sport
    return None


def generate(intake: Intake, library: Library, as_of: date) -> PerformancePacket:
    """Return the performance packet for an athlete's ``intake``.

    Args:
        intake: an adult athlete's intake, with sport and season phase.
        library: the exercise and sport libraries.
        as_of: the day the packet is made for.
    """
    assert intake.sport is not None and intake.season_phase is not None
    phase = intake.season_phase
    olympic = olympic_allowed(intake)
    rules = tr.rules_for(intake, olympic=olympic)
    selector = tr.selector_for(intake, library, rules)
    notes: list[str] = []
    week = _Week.build(intake, selector, notes)
    sport = find_sport(library, intake.sport)
    conditioning = _conditioning(intake.sport, sport)
    days = _schedule(intake, week, conditioning.sessions)
    if phase is not SeasonPhase.TRANSITION and not any(d.conditioning for d in days):
        notes.append(
            "All your training days hold strength sessions: fit the "
            "conditioning sessions into team practice or an extra day."
        )
    exercises = _distinct(days)
    clearance = tr.clearance_reasons(intake)
    keys = ["nsca_essentials_4", "acsm_resistance_2009"]
    keys += ["nsf_sleep_2015", "acsm_fluid"]
    keys += ["parq_2023"] if clearance else []
    return PerformancePacket(
        packet_type=PacketType.PERFORMANCE,
        generator_version=GENERATOR_VERSION,
        library_version=library.version,
        client_name=intake.full_name,
        as_of=as_of,
        title=f"Performance plan for {intake.full_name}",
        summary=_summary(intake, phase, week.strength_days),
        at_a_glance=_glance(intake, phase, week.strength_days),
        needs_clearance=bool(clearance),
        clearance_reasons=clearance,
        sources=sources(*keys),
        conventions=_conventions(sport is None),
        sport=intake.sport,
        season_phase=phase,
        phase_parameters=_PHASES[phase],
        strength_sessions=week.strength_days,
        weekly_schedule=days,
        power=_power(intake, olympic, rules.avoid, exercises),
        speed_agility=_speed(exercises),
        strength=_strength(phase, exercises),
        conditioning=conditioning,
        recovery_strategies=_recovery_strategies(),
        phase_plan=_phase_plan(phase),
        swaps=selector.swaps,
        safety_notes=tr.injury_notes(intake),
        notes=notes,
    )


# --- the week -------------------------------------------------------------------


@dataclass(frozen=True)
class _Week:
    """Which weekdays hold strength and which conditioning sessions."""

    strength_days: int
    sessions: dict[int, PerformanceDay]

    @classmethod
    def build(cls, intake: Intake, selector: tr.Selector, notes: list[str]) -> _Week:
        """Plan the week's sessions; adjustments are added to ``notes``."""
        assert intake.season_phase is not None
        phase = intake.season_phase
        low, high = _SESSIONS[phase]
        training = tr.training_day_indexes(min(intake.days_per_week, 6))
        # Within the NSCA range, but one day is kept for conditioning when the
        # range allows it.
        strength = min(high, max(low, len(training) - 1), len(training))
        if len(training) < low:
            notes.append(
                f"The NSCA suggests {low}-{high} resistance sessions a week in "
                f"this phase; your {len(training)} day(s) are used for them."
            )
        chosen = _spread(training, strength)
        sessions: dict[int, PerformanceDay] = {}
        reduced = False
        for number, index in enumerate(chosen):
            day, fewer_sets = _strength_day(intake, selector, index, number)
            sessions[index] = day
            reduced |= fewer_sets
        if reduced:
            notes.append(
                f"Your {intake.session_minutes}-minute sessions are too short "
                "for the full sets: sets were reduced so that three strength "
                "exercises still fit."
            )
        for index in training:
            if index not in chosen:
                sessions[index] = _conditioning_day(intake, selector, index)
        return cls(strength, sessions)


def _spread(days: tuple[int, ...], count: int) -> tuple[int, ...]:
    """Choose ``count`` of ``days`` spread evenly through them."""
    if count >= len(days):
        return days
    return tuple(days[(i * len(days)) // count] for i in range(count))


def _strength_dose(phase: SeasonPhase, experience: Experience, pattern: P) -> tr.Dose:
    """Return the NSCA phase dose; assistance work uses ACSM hypertrophy ranges."""
    step = tr.LEVEL_RANK[experience]
    core = pattern in tr.MULTI_JOINT
    effort = "RPE 7-9: stop with 1-3 good reps left in you"
    if phase is SeasonPhase.TRANSITION:
        return tr.Dose(1 + min(step, 1), "10-15", 60, "light", "RPE 4-5: easy")
    if not core:
        capped = min(experience, Experience.INTERMEDIATE, key=tr.LEVEL_RANK.__getitem__)
        return tr.dose(tr.Scheme.HYPERTROPHY, capped, pattern)
    rest = 150
    if phase is SeasonPhase.OFF_SEASON:
        return tr.Dose(3 + step, "10-20", 90, "50-75 % 1RM", effort)
    if phase is SeasonPhase.PRE_SEASON:
        return tr.Dose(2 + step, "2-5", rest, "75-95 % 1RM", effort)
    return tr.Dose(2 + step, "3-6", rest, "85-93 % 1RM", effort)


def _power_dose(
    phase: SeasonPhase, experience: Experience, exercise: Exercise
) -> tr.Dose:
    """Return Olympic lifts' ACSM power dose (NSCA's range in pre-season)."""
    if exercise.movement_pattern is P.OLYMPIC:
        acsm = tr.dose(tr.Scheme.POWER, experience, exercise.movement_pattern)
        if phase is not SeasonPhase.PRE_SEASON:
            return acsm
        return dataclasses.replace(acsm, load="30-85 % 1RM, moved fast")
    sets = 2 + min(tr.LEVEL_RANK[experience], 1)
    return tr.Dose(
        sets,
        "3-6",
        150,
        "light and fast",
        "Maximal intent with quiet landings: stop when height or speed drops",
    )


def _speed_dose(experience: Experience) -> tr.Dose:
    sets = 2 + min(tr.LEVEL_RANK[experience], 1)
    return tr.Dose(
        sets,
        "3-5",
        90,
        "full speed",
        "Full speed with full recovery: walk back between repetitions",
    )


def _dose_for(intake: Intake) -> tr.DoseFor:
    assert intake.season_phase is not None
    phase = intake.season_phase
    experience = intake.training_experience

    def dose_for(exercise: Exercise) -> tr.Dose:
        pattern = exercise.movement_pattern
        if pattern is P.SPEED_AGILITY:
            return _speed_dose(experience)
        if pattern in {P.PLYOMETRIC, P.OLYMPIC}:
            return _power_dose(phase, experience, exercise)
        return _strength_dose(phase, experience, pattern)

    return dose_for


def _strength_day(
    intake: Intake,
    selector: tr.Selector,
    index: int,
    number: int,
) -> tuple[PerformanceDay, bool]:
    """Return a strength day (speed, power, then strength) fitted to time.

    Returns:
        the day, and whether sets were reduced to fit it.
    """
    phase = intake.season_phase
    warm, cool = tr.warm_up_cool_down(intake.session_minutes)
    budget = (intake.session_minutes - warm - cool) * 60
    main = _STRENGTH_A if number % 2 == 0 else _STRENGTH_B
    extras: tuple[Slot, ...] = ()
    if phase is not SeasonPhase.TRANSITION:
        power = _OLYMPIC if olympic_allowed(intake) else _JUMPS
        extras = power + _SPEED
    plan = tr.plan_session(selector, main, _dose_for(intake), budget, extras)
    focus = (
        "Active rest: light strength"
        if phase is SeasonPhase.TRANSITION
        else ("Strength and power " + ("A" if number % 2 == 0 else "B"))
    )
    day = PerformanceDay(
        day=tr.DAY_NAMES[index],
        training=True,
        focus=focus,
        warm_up_minutes=warm,
        cool_down_minutes=cool,
        exercises=list(plan.exercises),
        estimated_minutes=tr.session_minutes(plan.exercises, warm + cool),
    )
    return day, plan.sets_reduced


def _conditioning_day(
    intake: Intake, selector: tr.Selector, index: int
) -> PerformanceDay:
    """Return a speed, agility and conditioning day fitted to the time."""
    warm, cool = tr.warm_up_cool_down(intake.session_minutes)
    budget = (intake.session_minutes - warm - cool) * 60
    taken: set[str] = set()
    choices: list[tr.Choice] = []
    if intake.season_phase is not SeasonPhase.TRANSITION:
        for slot in _DRILLS:
            choice = selector.pick(slot, taken)
            if choice is not None:
                taken.add(choice.exercise.id)
                choices.append(choice)
    dose = _speed_dose(intake.training_experience)
    drills = [tr.prescribe(c.exercise, dose) for c in choices]
    # Half the time for drills at most: the rest is the sport's conditioning.
    drills, _ = tr.fit([], drills, budget // 2)
    kept = {d.exercise_id for d in drills}
    selector.commit(c for c in choices if c.exercise.id in kept)
    drill_minutes = tr.session_minutes(drills, 0)
    conditioning_minutes = max(0, budget // 60 - drill_minutes)
    return PerformanceDay(
        day=tr.DAY_NAMES[index],
        training=True,
        focus=_CONDITIONING_FOCUS,
        warm_up_minutes=warm,
        cool_down_minutes=cool,
        exercises=sorted(drills, key=tr.order_key),
        conditioning_minutes=conditioning_minutes,
        estimated_minutes=warm + cool + drill_minutes + conditioning_minutes,
    )


def _schedule(intake: Intake, week: _Week, sessions: list[str]) -> list[PerformanceDay]:
    """Return Monday to Sunday; conditioning days get the sport's sessions."""
    days: list[PerformanceDay] = []
    rotation = 0
    for index in range(7):
        day = week.sessions.get(index)
        if day is None:
            days.append(
                PerformanceDay(day=tr.DAY_NAMES[index], training=False, focus="Rest")
            )
            continue
        if day.focus == _CONDITIONING_FOCUS:
            day = _with_conditioning(day, intake, sessions, rotation)
            rotation += 1
        days.append(day)
    if intake.days_per_week > 6:
        days[6] = days[6].model_copy(
            update={"focus": "Active recovery: an easy walk or mobility work"}
        )
    return days


def _with_conditioning(
    day: PerformanceDay, intake: Intake, sessions: list[str], rotation: int
) -> PerformanceDay:
    """Return a conditioning day with its session (or active rest) filled in."""
    if intake.season_phase is SeasonPhase.TRANSITION:
        return day.model_copy(
            update={
                "focus": "Active rest: recreational activity",
                "conditioning": [_RECREATION],
            }
        )
    pick = sessions[rotation % len(sessions)]
    return day.model_copy(update={"conditioning": [pick]})


def _distinct(days: list[PerformanceDay]) -> list[PrescribedExercise]:
    """Return each exercise of the week once, in training order."""
    seen: dict[str, PrescribedExercise] = {}
    for day in days:
        for exercise in day.exercises:
            seen.setdefault(exercise.exercise_id, exercise)
    return sorted(seen.values(), key=tr.order_key)


# --- sections -------------------------------------------------------------------


def _power(
    intake: Intake,
    olympic: bool,
    avoid: frozenset[BodyArea],
    exercises: list[PrescribedExercise],
) -> PowerPlan:
    chosen = [e for e in exercises if e.movement_pattern in {P.PLYOMETRIC, P.OLYMPIC}]
    if olympic:
        reason = "Olympic lifts are included: you are advanced and have a barbell."
    else:
        reason = (
            "Olympic lifts are kept for advanced athletes with a barbell; jumps "
            "and throws develop power instead."
        )
    notes: list[str] = []
    landings = list(_LANDINGS)
    legs = sorted(avoid & _LOWER_LIMB)
    if legs:
        areas = " and ".join(label(a).lower() for a in legs)
        notes.append(
            f"Jumps and landings wait until your {areas} is cleared: they load it."
        )
        landings = []
    if intake.season_phase is SeasonPhase.TRANSITION:
        notes.append("No power work in the transition phase: it is active rest.")
    else:
        notes.append(
            "Move to the next landing step only when every landing is quiet, "
            "balanced and the knees stay over the toes."
        )
    return PowerPlan(
        olympic_lifts=olympic,
        reason=reason,
        exercises=chosen,
        landing_progression=landings,
        notes=notes,
    )


def _speed(exercises: list[PrescribedExercise]) -> SpeedAgility:
    drills = [e for e in exercises if e.movement_pattern is P.SPEED_AGILITY]
    return SpeedAgility(
        drills=drills,
        guidance=[
            "Do speed and agility first in a session, right after the warm-up, "
            "while you are fresh.",
            "Every repetition at full speed; stop the drill when you slow down.",
            "Learn each change of direction slowly before doing it fast.",
        ],
    )


def _strength(phase: SeasonPhase, exercises: list[PrescribedExercise]) -> StrengthPlan:
    lifts = [
        e
        for e in exercises
        if e.movement_pattern not in {P.SPEED_AGILITY, P.PLYOMETRIC, P.OLYMPIC}
    ]
    row = _PHASES[phase]
    return StrengthPlan(
        exercises=lifts,
        guidance=[
            f"Main lifts: {row.sets_reps} at {row.percent_1rm} 1RM (NSCA, "
            "Essentials 4th ed.).",
            "Assistance and core exercises use ACSM's hypertrophy ranges.",
            "Change weekly volume by at most 5-10 % (NSCA).",
        ],
    )


def _conditioning(name: str, sport: Sport | None) -> ConditioningPlan:
    if sport is None:
        return ConditioningPlan(
            sport=name,
            sport_id=None,
            in_library=False,
            energy_systems=[
                EnergyShare(system=s, percent=p) for s, p in FIELD_SPORT_MIX.items()
            ],
            sessions=list(GENERAL_CONDITIONING),
            key_qualities=[],
            injury_risk_areas=[],
            notes=[
                f"{name} is not in PacketStudio's sports library, so this is "
                "general conditioning for a typical field sport. Ask your coach "
                "to adapt it to your sport."
            ],
        )
    shares = [EnergyShare(system=s, percent=p) for s, p in sport.energy_systems.items()]
    risk = ", ".join(label(a).lower() for a in sport.injury_risk_areas)
    return ConditioningPlan(
        sport=sport.name,
        sport_id=sport.id,
        in_library=True,
        energy_systems=shares,
        sessions=list(sport.conditioning),
        key_qualities=list(sport.key_qualities),
        injury_risk_areas=list(sport.injury_risk_areas),
        notes=[
            f"Injuries in {sport.name.lower()} most often affect the {risk}: "
            "warm these areas up well and report any pain early."
        ],
    )


def _recovery_strategies() -> RecoveryStrategies:
    return RecoveryStrategies(
        daily=[
            "Sleep 7-9 hours a night (National Sleep Foundation).",
            "Drink through the day; in training keep fluid losses under 2 % of "
            "body mass and replace about 1.25-1.5 L per kg lost (ACSM).",
            "Cool down after every session: easy movement, then gentle mobility.",
        ],
        weekly=[
            "At least one full rest day.",
            "One mobility session for the areas your sport stresses.",
            "Deload cues: if sleep, mood or performance drop or soreness lingers, "
            "cut the next sessions' volume.",
        ],
        monthly=[
            "A deload week every fourth week: about half the sets, same exercises.",
            "Review progress, soreness and the season calendar with your coach.",
        ],
    )


def _phase_plan(phase: SeasonPhase) -> list[ProgressionBlock]:
    volume = "Change weekly volume by at most 5-10 %."
    if phase is SeasonPhase.OFF_SEASON:
        return [
            tr.block(
                1,
                6,
                "Hypertrophy and strength endurance",
                "3-6 x 10-20 at 50-75 % 1RM",
                volume,
            ),
            tr.block(7, 12, "Basic strength", "2-6 x 2-6 at 80-95 % 1RM", volume),
        ]
    if phase is SeasonPhase.PRE_SEASON:
        return [
            tr.block(
                1,
                8,
                "Strength and power",
                "2-5 x 2-5 at 75-95 % 1RM; power lifts at 30-85 %",
                volume,
            )
        ]
    if phase is SeasonPhase.IN_SEASON:
        return [
            tr.block(
                1,
                12,
                "Maintenance",
                "2-5 x 3-6 at 85-93 % 1RM",
                "Keep sessions short and away from match days.",
                "A 1-2 week peak before key competitions.",
            )
        ]
    return [
        tr.block(
            1,
            4,
            "Active rest",
            "Recreational activity at low intensity",
            "Other sports and play; no hard training.",
        )
    ]


def _conventions(unknown_sport: bool) -> list[str]:
    conventions = [
        "Assistance and core exercises follow ACSM's hypertrophy ranges; the "
        "season table sets only the main lifts.",
        "Speed, agility and plyometric doses (sets, repetitions, rest), the "
        "monthly deload week, and session times estimated as sets x (about "
        "40 s of work + rest) are PacketStudio conventions.",
    ]
    if unknown_sport:
        conventions.append(
            "General conditioning for a sport not in the library uses a typical "
            "field-sport energy mix (30 % phosphagen, 30 % glycolytic, 40 % "
            "oxidative)."
        )
    return conventions


def _summary(intake: Intake, phase: SeasonPhase, strength_days: int) -> str:
    row = _PHASES[phase]
    sessions = "session" if strength_days == 1 else "sessions"
    return (
        f"Your {label(phase).lower()} plan for {intake.sport}: {row.emphasis}, "
        f"{strength_days} strength {sessions} a week at {row.intensity} "
        f"intensity and {row.volume} volume."
    )


def _glance(intake: Intake, phase: SeasonPhase, strength_days: int) -> list[GlanceItem]:
    row = _PHASES[phase]
    lifts = f"{row.sets_reps} at {row.percent_1rm}"
    if phase is SeasonPhase.TRANSITION:
        lifts = "light and recreational"
    return [
        GlanceItem(label="Season phase", value=label(phase)),
        GlanceItem(label="Strength sessions a week", value=str(strength_days)),
        GlanceItem(label="Main lifts", value=lifts),
        GlanceItem(label="Volume / intensity", value=f"{row.volume} / {row.intensity}"),
        GlanceItem(label="Sleep", value="7-9 hours a night"),
    ]
