"""The workout packet: a weekly resistance-training plan for an adult client.

Sets, repetitions, rest and load follow the ACSM position stand (Ratamess et
al., 2009) by experience and goal; the split follows the days per week; the
sessions are sized to the client's minutes; and exercises that load an injured
area are swapped, with the swaps listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from packetstudio.generators import training as tr
from packetstudio.generators.base import GENERATOR_VERSION, GlanceItem, PacketContent
from packetstudio.generators.sources import sources
from packetstudio.generators.training import (
    InjuryNote,
    ProgressionBlock,
    ScheduleDay,
    Slot,
    Swap,
)
from packetstudio.intake import Intake
from packetstudio.library import Exercise, Library
from packetstudio.library.models import MovementPattern as P
from packetstudio.library.models import Muscle as M
from packetstudio.vocabulary import Experience, Goal, PacketType

Split = Literal["full_body", "push_pull_legs", "upper_lower", "body_part"]

MAX_TRAINING_DAYS = 6


class WorkoutPacket(PacketContent):
    """A weekly resistance-training plan with a 12-week progression.

    Attributes:
        split: how the week is divided, from the days per week.
        scheme: the ACSM 2009 row the sets and reps follow.
        weekly_schedule: Monday to Sunday, training and rest days.
        swaps: exercises replaced because they load an injured area.
        safety_notes: one per injury on the intake.
        progression: weeks 1-12 in blocks, with the load rule and deloads.
        notes: anything the generator had to adjust (shortened sets, ...).
    """

    split: Split
    scheme: str
    scheme_explanation: str
    warm_up: list[str]
    cool_down: list[str]
    weekly_schedule: list[ScheduleDay]
    swaps: list[Swap]
    safety_notes: list[InjuryNote]
    progression: list[ProgressionBlock]
    notes: list[str]


@dataclass(frozen=True)
class DayPlan:
    """A session's focus and its slots, most important first."""

    focus: str
    slots: tuple[Slot, ...]


def _plan(focus: str, *slots: P | tuple[P, M]) -> DayPlan:
    parsed = tuple(Slot(*s) if isinstance(s, tuple) else Slot(s) for s in slots)
    return DayPlan(focus, parsed)


_PLANS: dict[Split, tuple[DayPlan, ...]] = {
    "full_body": (
        _plan(
            "Full body A",
            P.SQUAT,
            P.HORIZONTAL_PUSH,
            P.HINGE,
            P.HORIZONTAL_PULL,
            P.VERTICAL_PUSH,
            P.LUNGE,
            P.VERTICAL_PULL,
            P.CORE,
            (P.ISOLATION_UPPER, M.BICEPS),
            (P.ISOLATION_LOWER, M.CALVES),
        ),
        _plan(
            "Full body B",
            P.HINGE,
            P.VERTICAL_PULL,
            P.SQUAT,
            P.VERTICAL_PUSH,
            P.HORIZONTAL_PULL,
            P.LUNGE,
            P.HORIZONTAL_PUSH,
            P.CARRY,
            (P.ISOLATION_UPPER, M.TRICEPS),
            P.ROTATION,
        ),
    ),
    "push_pull_legs": (
        _plan(
            "Push: chest, shoulders, triceps",
            (P.HORIZONTAL_PUSH, M.CHEST),
            (P.VERTICAL_PUSH, M.FRONT_DELTOIDS),
            (P.HORIZONTAL_PUSH, M.TRICEPS),
            (P.ISOLATION_UPPER, M.SIDE_DELTOIDS),
            (P.ISOLATION_UPPER, M.TRICEPS),
            (P.ISOLATION_UPPER, M.CHEST),
            P.CORE,
        ),
        _plan(
            "Pull: back, biceps",
            (P.VERTICAL_PULL, M.LATS),
            (P.HORIZONTAL_PULL, M.UPPER_BACK),
            (P.HORIZONTAL_PULL, M.REAR_DELTOIDS),
            (P.ISOLATION_UPPER, M.BICEPS),
            (P.ISOLATION_UPPER, M.REAR_DELTOIDS),
            P.ROTATION,
            P.CARRY,
        ),
        _plan(
            "Legs and core",
            P.SQUAT,
            P.HINGE,
            P.LUNGE,
            (P.ISOLATION_LOWER, M.QUADRICEPS),
            (P.ISOLATION_LOWER, M.HAMSTRINGS),
            (P.ISOLATION_LOWER, M.CALVES),
            P.CORE,
        ),
    ),
    "upper_lower": (
        _plan(
            "Upper body A",
            P.HORIZONTAL_PUSH,
            P.HORIZONTAL_PULL,
            P.VERTICAL_PUSH,
            P.VERTICAL_PULL,
            (P.ISOLATION_UPPER, M.BICEPS),
            (P.ISOLATION_UPPER, M.TRICEPS),
            P.CORE,
        ),
        _plan(
            "Lower body A",
            P.SQUAT,
            P.HINGE,
            P.LUNGE,
            (P.ISOLATION_LOWER, M.HAMSTRINGS),
            (P.ISOLATION_LOWER, M.CALVES),
            P.CORE,
        ),
        _plan(
            "Upper body B",
            P.VERTICAL_PULL,
            P.VERTICAL_PUSH,
            P.HORIZONTAL_PULL,
            P.HORIZONTAL_PUSH,
            (P.ISOLATION_UPPER, M.SIDE_DELTOIDS),
            (P.ISOLATION_UPPER, M.REAR_DELTOIDS),
            P.ROTATION,
        ),
        _plan(
            "Lower body B",
            P.HINGE,
            P.SQUAT,
            P.LUNGE,
            (P.ISOLATION_LOWER, M.QUADRICEPS),
            P.CARRY,
            P.CORE,
        ),
    ),
    "body_part": (
        _plan(
            "Chest",
            (P.HORIZONTAL_PUSH, M.CHEST),
            (P.HORIZONTAL_PUSH, M.CHEST),
            (P.VERTICAL_PUSH, M.FRONT_DELTOIDS),
            (P.ISOLATION_UPPER, M.CHEST),
            (P.ISOLATION_UPPER, M.TRICEPS),
            P.CORE,
        ),
        _plan(
            "Back",
            (P.VERTICAL_PULL, M.LATS),
            (P.HORIZONTAL_PULL, M.UPPER_BACK),
            (P.HORIZONTAL_PULL, M.LATS),
            (P.ISOLATION_UPPER, M.REAR_DELTOIDS),
            (P.ISOLATION_UPPER, M.BICEPS),
            P.ROTATION,
        ),
        _plan(
            "Legs",
            P.SQUAT,
            P.HINGE,
            P.LUNGE,
            (P.ISOLATION_LOWER, M.QUADRICEPS),
            (P.ISOLATION_LOWER, M.HAMSTRINGS),
            (P.ISOLATION_LOWER, M.CALVES),
        ),
        _plan(
            "Shoulders",
            (P.VERTICAL_PUSH, M.FRONT_DELTOIDS),
            (P.HORIZONTAL_PULL, M.REAR_DELTOIDS),
            (P.ISOLATION_UPPER, M.SIDE_DELTOIDS),
            (P.ISOLATION_UPPER, M.REAR_DELTOIDS),
            P.CARRY,
            P.CORE,
        ),
        _plan(
            "Arms",
            (P.HORIZONTAL_PUSH, M.TRICEPS),
            (P.VERTICAL_PULL, M.BICEPS),
            (P.ISOLATION_UPPER, M.BICEPS),
            (P.ISOLATION_UPPER, M.TRICEPS),
            (P.ISOLATION_UPPER, M.FOREARMS),
            P.CORE,
        ),
        _plan(
            "Posterior chain and core",
            (P.HINGE, M.HAMSTRINGS),
            (P.LUNGE, M.GLUTES),
            (P.HORIZONTAL_PULL, M.UPPER_BACK),
            P.CARRY,
            P.ROTATION,
            P.CORE,
        ),
    ),
}


def split_for(days_per_week: int) -> Split:
    """Return PacketStudio's split for a number of training days a week."""
    if days_per_week <= 2:
        return "full_body"
    if days_per_week == 3:
        return "push_pull_legs"
    if days_per_week == 4:
        return "upper_lower"
    return "body_part"


def generate(intake: Intake, library: Library, as_of: date) -> WorkoutPacket:
    """Return the workout packet for ``intake``.

    Args:
        intake: an adult client's intake (eligibility is checked by the caller).
        library: the exercise library the sessions are drawn from.
        as_of: the day the packet is made for.
    """
    split = split_for(intake.days_per_week)
    choice = tr.scheme_for(intake.goal)
    experience = _dose_experience(intake, choice)
    selector = tr.selector_for(intake, library, tr.rules_for(intake))
    notes: list[str] = []
    schedule = _schedule(intake, split, selector, choice.scheme, experience, notes)
    conventions = _conventions(intake, choice)
    clearance = tr.clearance_reasons(intake)
    keys = ["acsm_resistance_2009"] + (["parq_2023"] if clearance else [])
    return WorkoutPacket(
        packet_type=PacketType.WORKOUT,
        generator_version=GENERATOR_VERSION,
        library_version=library.version,
        client_name=intake.full_name,
        as_of=as_of,
        title=f"Workout plan for {intake.full_name}",
        summary=_summary(intake, split, choice.scheme.value),
        at_a_glance=_glance(intake, split, schedule, choice.scheme.value),
        needs_clearance=bool(clearance),
        clearance_reasons=clearance,
        sources=sources(*keys),
        conventions=conventions,
        split=split,
        scheme=choice.scheme.value,
        scheme_explanation=choice.explanation,
        warm_up=_warm_up(intake.session_minutes),
        cool_down=_cool_down(intake.session_minutes),
        weekly_schedule=schedule,
        swaps=selector.swaps,
        safety_notes=tr.injury_notes(intake),
        progression=_progression(),
        notes=notes,
    )


def _dose_experience(intake: Intake, choice: tr.SchemeChoice) -> Experience:
    """Return the experience column of the ACSM table the doses come from."""
    if choice.novice_ranges and intake.training_experience is Experience.ADVANCED:
        return Experience.INTERMEDIATE
    return intake.training_experience


def _schedule(
    intake: Intake,
    split: Split,
    selector: tr.Selector,
    scheme: tr.Scheme,
    experience: Experience,
    notes: list[str],
) -> list[ScheduleDay]:
    """Return Monday to Sunday, with a session on each training day."""
    sessions = min(intake.days_per_week, MAX_TRAINING_DAYS)
    indexes = tr.training_day_indexes(sessions)
    plans = _PLANS[split]
    warm, cool = tr.warm_up_cool_down(intake.session_minutes)
    budget = (intake.session_minutes - warm - cool) * 60

    def dose_for(exercise: Exercise) -> tr.Dose:
        return tr.dose(scheme, experience, exercise.movement_pattern)

    days = [tr.rest_day(i) for i in range(7)]
    reduced = short = False
    for number, index in enumerate(indexes):
        plan = plans[number % len(plans)]
        session = tr.plan_session(selector, plan.slots, dose_for, budget)
        reduced |= session.sets_reduced
        short |= session.short
        days[index] = ScheduleDay(
            day=tr.DAY_NAMES[index],
            training=True,
            focus=plan.focus,
            warm_up_minutes=warm,
            cool_down_minutes=cool,
            exercises=list(session.exercises),
            estimated_minutes=tr.session_minutes(session.exercises, warm + cool),
        )
    if intake.days_per_week > MAX_TRAINING_DAYS:
        days[6] = tr.rest_day(6, "Active recovery: an easy walk or mobility work")
        notes.append(
            "You asked for 7 days: six are training days and Sunday is kept for "
            "active recovery, because muscles grow and adapt between sessions."
        )
    notes.extend(_adjustment_notes(intake.session_minutes, reduced, short))
    return days


def _adjustment_notes(minutes: int, reduced: bool, short: bool) -> list[str]:
    notes: list[str] = []
    if reduced:
        notes.append(
            f"Your {minutes}-minute sessions are too short for the full sets: "
            "sets were reduced so that three main exercises still fit. Add the "
            "sets back when you have more time."
        )
    if short:
        notes.append(
            "Fewer than three main exercises suit your equipment, level and "
            "injuries together; ask your coach to adapt the session."
        )
    return notes


def _warm_up(minutes: int) -> list[str]:
    warm, _ = tr.warm_up_cool_down(minutes)
    return [
        f"{warm} min: easy cardio you can talk through, then dynamic movements "
        "for the joints you will train, in a pain-free range.",
        "Do one or two lighter sets of the first exercise before its working sets.",
    ]


def _cool_down(minutes: int) -> list[str]:
    _, cool = tr.warm_up_cool_down(minutes)
    return [
        f"{cool} min: easy walking until your breathing settles, then gentle "
        "stretches for the muscles you trained."
    ]


def _progression() -> list[ProgressionBlock]:
    """Return the 12-week plan: three four-week blocks with deloads."""
    load_rule = (
        "When you can do 1-2 reps more than the top of the range, raise the "
        "load by 2-10 % (ACSM 2009); with bodyweight, move to the progression."
    )
    return [
        tr.block(
            1,
            4,
            "Foundation",
            "Technique and routine",
            "Use the lower end of each load range and learn the cues.",
            "Use the regression whenever form breaks down.",
        ),
        tr.block(
            5,
            8,
            "Build",
            "Progressive overload",
            load_rule,
            "Week 8 is a deload: same exercises, about half the sets and "
            "about 10 % less load.",
        ),
        tr.block(
            9,
            12,
            "Consolidate",
            "Keep progressing, then review",
            load_rule,
            "Week 12 is a deload; then review progress and goals with your coach.",
        ),
    ]


def _conventions(intake: Intake, choice: tr.SchemeChoice) -> list[str]:
    conventions = [
        "Splits by days per week (1-2 full body, 3 push/pull/legs, 4 "
        "upper/lower, 5 or more body-part split) are PacketStudio's choice.",
        "Session times are estimated as sets x (about 40 s of work + rest), "
        "plus 5-10 min of warm-up and cool-down.",
        "Effort (RPE) guidance for bodyweight and band exercises, and the "
        "deload weeks (8 and 12), are PacketStudio conventions.",
    ]
    if intake.goal in {Goal.FAT_LOSS, Goal.GENERAL_HEALTH, Goal.MAINTENANCE}:
        conventions.append(choice.explanation)
    if intake.days_per_week > MAX_TRAINING_DAYS:
        conventions.append(
            "At most six training days a week, with one for active recovery "
            "(ACSM gives 4-6 days for advanced lifters)."
        )
    return conventions


def _summary(intake: Intake, split: Split, scheme: str) -> str:
    words = split.replace("_", " ")
    return (
        f"A {words} plan for {intake.days_per_week} day(s) a week of about "
        f"{intake.session_minutes} minutes, with {scheme} sets and reps for "
        f"your goal ({intake.goal.value.replace('_', ' ')}) and experience "
        f"({intake.training_experience.value}), using only your equipment."
    )


def _glance(
    intake: Intake, split: Split, schedule: list[ScheduleDay], scheme: str
) -> list[GlanceItem]:
    training = [d for d in schedule if d.training]
    first = training[0].exercises[0] if training and training[0].exercises else None
    days = ", ".join(d.day[:3] for d in training)
    items = [
        GlanceItem(label="Split", value=split.replace("_", " ")),
        GlanceItem(label="Training days", value=days),
        GlanceItem(label="Sets and reps", value=scheme),
    ]
    if first is not None:
        value = f"{first.sets} x {first.reps}, rest {first.rest_seconds} s"
        items.append(GlanceItem(label="First exercise", value=value))
    items.append(
        GlanceItem(label="Progress", value="+2-10 % load when 1-2 reps above target")
    )
    return items
