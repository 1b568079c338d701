"""The recovery packet: a criteria-based return to activity after an injury.

Four phases over about twelve weeks, each entered and left by criteria rather
than the calendar (Ardern et al., 2016), with the pain-monitoring traffic light
(Silbernagel et al., 2007), a log to fill in by hand, the red flags that mean
stop and refer, and PAR-Q+ style screening questions.

The rehabilitation exercises for the injured area come from the library's
``rehab_areas`` and load that area gently on purpose; every other exercise in
the packet avoids it, and none loads another injured area.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Literal

from packetstudio.generators import training as tr
from packetstudio.generators.base import (
    GENERATOR_VERSION,
    ContentModel,
    GlanceItem,
    PacketContent,
)
from packetstudio.generators.eligibility import ADULT_AGE
from packetstudio.generators.sources import sources
from packetstudio.generators.training import InjuryNote, PrescribedExercise, Slot
from packetstudio.intake import Intake, RecoveryDetails
from packetstudio.library import Exercise, Library
from packetstudio.library.models import MovementPattern as P
from packetstudio.vocabulary import (
    BodyArea,
    Equipment,
    Experience,
    PacketType,
    label,
)

LOG_DAYS = 14
_LOWER_LIMB = frozenset({BodyArea.HIP, BodyArea.KNEE, BodyArea.ANKLE})
_UPPER_LIMB = frozenset({BodyArea.SHOULDER, BodyArea.ELBOW, BodyArea.WRIST})

Zone = Literal["green", "amber", "red"]


class ConditionAssessment(ContentModel):
    """The problem as the client described it, with what it means now.

    Attributes:
        pain_zone: where today's pain sits on the traffic light.
        red_flags_reported: warning signs from the intake, in their words.
    """

    condition: str
    area: BodyArea
    weeks_since_onset: int
    pain_now: int
    pain_zone: Zone
    medical_clearance: bool
    aggravating_movements: list[str]
    red_flags_reported: list[str]
    notes: list[str]


class RecoveryPhase(ContentModel):
    """One phase of the return to activity.

    Attributes:
        weeks: a guide ("1-2"); criteria decide when to move on.
        rehab_exercises: gentle exercises for the injured area itself.
        general_exercises: fitness exercises that do not load it.
    """

    number: int
    name: str
    weeks: str
    goals: list[str]
    entry_criteria: list[str]
    exit_criteria: list[str]
    rehab_exercises: list[PrescribedExercise]
    general_exercises: list[PrescribedExercise]


class PainZone(ContentModel):
    """One band of the 0-10 pain traffic light."""

    pain: str
    zone: Zone
    rule: str


class LogRow(ContentModel):
    """A blank row of the daily monitoring log, filled in by hand."""

    day: int
    date: str = ""
    pain_at_rest: str = ""
    pain_during: str = ""
    next_morning_pain: str = ""
    stiffness: str = ""
    notes: str = ""


class AvoidItem(ContentModel):
    """Something to avoid for now, and why.

    Attributes:
        library_id: the library exercise, or ``None`` for a movement the
            client named.
    """

    name: str
    library_id: str | None
    reason: str


class RecoveryPacket(PacketContent):
    """A return-to-activity plan for one injured area.

    Attributes:
        phases: four phases, weeks 1-2, 3-4, 5-8 and 9-12.
        pain_rule: the traffic light used in every phase.
        monitoring_log: blank rows for 14 days.
        red_flags: stop and refer when any appears.
        screening_questions: PAR-Q+ style, paraphrased.
    """

    assessment: ConditionAssessment
    phases: list[RecoveryPhase]
    pain_rule: list[PainZone]
    log_columns: list[str]
    monitoring_log: list[LogRow]
    avoid: list[AvoidItem]
    red_flags: list[str]
    screening_questions: list[str]
    safety_notes: list[InjuryNote]


PAIN_RULE = [
    PainZone(pain="0-2", zone="green", rule="Go: safe to continue and progress."),
    PainZone(
        pain="3-5",
        zone="amber",
        rule="Acceptable during activity if the pain settles by the next "
        "morning and morning stiffness is not rising week to week.",
    ),
    PainZone(
        pain="6-10",
        zone="red",
        rule="Stop and reduce the load: above 5 is high risk.",
    ),
]

RED_FLAGS = [
    "Chest pain or pressure",
    "Fainting",
    "Palpitations, or breathlessness out of proportion to the effort",
    "One calf swollen and warm",
    "Fever, or a hot, swollen joint",
    "Unexplained weight loss, a history of cancer, or night pain",
    "Numbness in the saddle area, new bladder or bowel problems, or leg "
    "weakness that is getting worse: an emergency, get help at once",
    "Unable to bear weight, or tender over a bone, after a fall or blow",
    "Symptoms after a head injury",
    "No improvement after 4-6 weeks",
]

SCREENING_QUESTIONS = [
    "Has a doctor told you that you have a heart problem or high blood pressure?",
    "Do you get chest pain when resting, in everyday life or when active?",
    "In the past year, have you passed out, or lost your balance through dizziness?",
    "Has a doctor found any other long-term (chronic) medical condition?",
    "Do you take prescribed medicine for a long-term condition?",
    "Do you have a bone, joint, muscle, tendon or ligament problem that being "
    "more active could make worse?",
    "Has a doctor told you to exercise only under medical supervision?",
]
SCREENING_RULE = (
    "If you answer yes to any question, see a physician or a qualified exercise "
    "professional before becoming more active."
)

LOG_COLUMNS = [
    "Date",
    "Pain at rest (0-10)",
    "Pain during activity (0-10)",
    "Next-morning pain (0-10)",
    "Stiffness",
    "Notes",
]

_GENERAL_SLOTS = (
    Slot(P.SQUAT),
    Slot(P.HORIZONTAL_PUSH),
    Slot(P.HINGE),
    Slot(P.HORIZONTAL_PULL),
    Slot(P.CORE),
    Slot(P.LUNGE),
    Slot(P.VERTICAL_PULL),
    Slot(P.CARRY),
)


def pain_zone(pain: int) -> Zone:
    """Return the traffic-light zone of a 0-10 pain score."""
    if pain <= 2:
        return "green"
    return "amber" if pain <= 5 else "red"


def generate(intake: Intake, library: Library, as_of: date) -> RecoveryPacket:
    """Return the recovery packet for a client with recovery details.

    Args:
        intake: an intake with ``recovery`` filled in (checked by the caller).
        library: the exercise library.
        as_of: the day the packet is made for.
    """
    details = intake.recovery
    assert details is not None  # eligibility.check refuses intakes without it
    # Children and teens get only youth-suitable exercises here too.
    rules = tr.rules_for(intake, youth=intake.age_on(as_of) < ADULT_AGE)
    area = label(details.area).lower()
    clearance = tr.clearance_reasons(intake)
    return RecoveryPacket(
        packet_type=PacketType.RECOVERY,
        generator_version=GENERATOR_VERSION,
        library_version=library.version,
        client_name=intake.full_name,
        as_of=as_of,
        title=f"Return to activity: {details.condition}",
        summary=(
            f"A four-phase return to activity for your {area}, moving on by "
            "criteria and the pain traffic light rather than the calendar."
        ),
        at_a_glance=_glance(details),
        needs_clearance=bool(clearance),
        clearance_reasons=clearance,
        sources=sources(
            "pain_monitoring", "ardern_2016", "parq_2023", "acsm_resistance_2009"
        ),
        conventions=_conventions(),
        assessment=_assessment(details),
        phases=_phases(intake, library, rules),
        pain_rule=list(PAIN_RULE),
        log_columns=list(LOG_COLUMNS),
        monitoring_log=[LogRow(day=n) for n in range(1, LOG_DAYS + 1)],
        avoid=_avoid(details, library, rules),
        red_flags=list(RED_FLAGS),
        screening_questions=[*SCREENING_QUESTIONS, SCREENING_RULE],
        safety_notes=tr.injury_notes(intake),
    )


def _assessment(details: RecoveryDetails) -> ConditionAssessment:
    zone = pain_zone(details.pain_now)
    notes = [
        f"Pain now is {details.pain_now}/10: the {zone} zone of the traffic light."
    ]
    if details.weeks_since_onset >= 4:
        notes.append(
            f"It began {details.weeks_since_onset} weeks ago: if it has not "
            "improved after 4-6 weeks, see a physician or physiotherapist."
        )
    notes.append(
        "Everyone starts with phase 1's entry check; the weeks are a guide and "
        "the exit criteria decide when to move on."
    )
    return ConditionAssessment(
        condition=details.condition,
        area=details.area,
        weeks_since_onset=details.weeks_since_onset,
        pain_now=details.pain_now,
        pain_zone=zone,
        medical_clearance=details.medical_clearance,
        aggravating_movements=list(details.aggravating_movements),
        red_flags_reported=list(details.red_flags),
        notes=notes,
    )


# --- exercises ------------------------------------------------------------------


def rehab_exercises(
    library: Library, rules: tr.Rules, area: BodyArea
) -> list[Exercise]:
    """Return the library's rehabilitation exercises for ``area`` that suit.

    They may load ``area`` itself (gently, by design) but never another area
    the client must avoid. Mobility and bodyweight come first.
    """
    others = rules.avoid - {area}
    found = [
        exercise
        for group in tr.candidates(library, rules, safe=False).values()
        for exercise in group
        if area in exercise.rehab_areas and not tr.loads_any(exercise, others)
    ]
    return sorted(found, key=_gentle_first)


def _gentle_first(exercise: Exercise) -> tuple[int, int, int, str]:
    return (
        int(exercise.movement_pattern is not P.MOBILITY),
        int(exercise.equipment != [Equipment.BODYWEIGHT]),
        tr.LEVEL_RANK[exercise.level],
        exercise.id,
    )


@dataclass(frozen=True)
class _PhaseDose:
    """A phase's share of the rehabilitation list and its fitness work.

    Attributes:
        rehab: which of the gentle-first rehabilitation exercises to use.
        general: how many fitness exercises, at most at ``level``.
    """

    rehab: slice
    rehab_dose: tr.Dose
    general: int = 0
    level: Experience = Experience.BEGINNER
    scheme: tr.Scheme = tr.Scheme.ENDURANCE_HYPERTROPHY


_GENTLE = tr.Dose(2, "8-10", 60, "no added load", "Pain-free range only: pain 0-2/10")
_LIGHT = tr.Dose(
    2,
    "10-15",
    60,
    "light",
    "Light effort: pain may reach 5/10 if it settles by the next morning",
)
# Gentle exercises first, then the harder end of the list as strength returns.
_PHASE_DOSES = (
    _PhaseDose(slice(None, 3), _GENTLE),
    _PhaseDose(slice(None, 5), _LIGHT, 2),
    _PhaseDose(slice(-3, None), _LIGHT, 4, Experience.INTERMEDIATE),
    _PhaseDose(slice(-2, None), _LIGHT, 5, Experience.ADVANCED, tr.Scheme.HYPERTROPHY),
)


def _lower(a: Experience, b: Experience) -> Experience:
    return min(a, b, key=tr.LEVEL_RANK.__getitem__)


def _general(
    intake: Intake, library: Library, rules: tr.Rules, phase: _PhaseDose
) -> list[PrescribedExercise]:
    """Return a phase's fitness exercises; none loads an injured area.

    Doses come from ACSM's novice column whatever the experience: the client
    is coming back from an injury.
    """
    if phase.general == 0:
        return []
    level = _lower(rules.level, phase.level)
    selector = tr.selector_for(intake, library, dataclasses.replace(rules, level=level))
    choices = tr.choose(selector, _GENERAL_SLOTS, set())[: phase.general]
    column = _lower(level, Experience.INTERMEDIATE)
    prescribed = [
        tr.prescribe(
            c.exercise, tr.dose(phase.scheme, column, c.exercise.movement_pattern)
        )
        for c in choices
    ]
    return sorted(prescribed, key=tr.order_key)


def _phases(intake: Intake, library: Library, rules: tr.Rules) -> list[RecoveryPhase]:
    assert intake.recovery is not None
    area = intake.recovery.area
    rehab = rehab_exercises(library, rules, area)
    texts = _phase_texts(area)
    phases: list[RecoveryPhase] = []
    for number, (text, amount) in enumerate(zip(texts, _PHASE_DOSES, strict=True), 1):
        chosen = rehab[amount.rehab]
        phases.append(
            RecoveryPhase(
                number=number,
                name=text.name,
                weeks=text.weeks,
                goals=text.goals,
                entry_criteria=text.entry,
                exit_criteria=text.exit,
                rehab_exercises=[tr.prescribe(e, amount.rehab_dose) for e in chosen],
                general_exercises=_general(intake, library, rules, amount),
            )
        )
    return phases


# --- phase texts ----------------------------------------------------------------


@dataclass(frozen=True)
class _PhaseText:
    name: str
    weeks: str
    goals: list[str]
    entry: list[str]
    exit: list[str]


def _final_gate(area: BodyArea) -> str:
    """Return the strength gate of the last phase, worded for the area."""
    if area in _LOWER_LIMB:
        return "Strength and hop tests at least 90 % of the other side."
    if area in _UPPER_LIMB:
        return "Strength tests at least 90 % of the other side."
    return (
        "Strength tests at least 90 % of the other side (left-right tests such "
        "as side planks), checked by your physiotherapist."
    )


def _phase_texts(area: BodyArea) -> list[_PhaseText]:
    calm = ["Pain at rest at most 2/10.", "Normal walking."]
    range_ = ["Near-full, pain-free range of movement.", "No swelling."]
    loaded = [
        "The pain rules respected for 1-2 weeks under load: at most 5/10 "
        "during, settled by the next morning, stiffness not rising."
    ]
    return [
        _PhaseText(
            "Pain-free movement",
            "1-2",
            ["Calm the pain", "Keep the area moving within a pain-free range"],
            ["No red flags, or a physician has cleared them."],
            calm,
        ),
        _PhaseText(
            "Light strengthening",
            "3-4",
            ["Restore range of movement", "Start light strengthening"],
            calm,
            range_,
        ),
        _PhaseText(
            "Moderate activity",
            "5-8",
            ["Build strength and everyday capacity under the pain rules"],
            range_,
            loaded,
        ),
        _PhaseText(
            "Return to activity",
            "9-12",
            ["Return to sport or full activity step by step"],
            loaded,
            [_final_gate(area), "Cleared by your physician or physiotherapist."],
        ),
    ]


def _avoid(
    details: RecoveryDetails, library: Library, rules: tr.Rules
) -> list[AvoidItem]:
    """Return exercises loading the area (other than its rehab) and the
    movements the client said aggravate it."""
    area = details.area
    words = label(area).lower()
    loading = sorted(
        (
            exercise
            for group in tr.candidates(library, rules, safe=False).values()
            for exercise in group
            if area in exercise.loads and area not in exercise.rehab_areas
        ),
        key=lambda e: e.name,
    )
    items = [
        AvoidItem(
            name=e.name,
            library_id=e.id,
            reason=f"Loads the {words}; bring it back in phase 4 under the pain rule.",
        )
        for e in loading
    ]
    items.extend(
        AvoidItem(
            name=movement,
            library_id=None,
            reason="You said this aggravates it; reintroduce it last, gradually.",
        )
        for movement in details.aggravating_movements
    )
    return items


def _glance(details: RecoveryDetails) -> list[GlanceItem]:
    return [
        GlanceItem(label="Area", value=label(details.area)),
        GlanceItem(label="Pain now", value=f"{details.pain_now}/10"),
        GlanceItem(label="Pain rule", value="0-2 go, 3-5 caution, above 5 stop"),
        GlanceItem(label="Phases", value="weeks 1-2, 3-4, 5-8, 9-12, by criteria"),
    ]


def _conventions() -> list[str]:
    return [
        "Phase lengths (weeks 1-2, 3-4, 5-8, 9-12) are a PacketStudio guide: "
        "the criteria decide when to move on.",
        "Sets and repetitions for rehabilitation exercises are PacketStudio "
        "conventions; fitness exercises follow ACSM 2009 novice ranges.",
        "Pain of 7/10 or more on the intake means seeing a clinician first: a "
        "PacketStudio threshold.",
        "Rehabilitation exercises for the injured area load it gently on "
        "purpose; every other exercise avoids it.",
    ]
