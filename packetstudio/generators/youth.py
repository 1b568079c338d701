"""The youth packet: supervised strength training for ages 7 to 17.

Follows the NSCA position statement (Faigenbaum et al., 2009), the 2014
international consensus (Lloyd et al.), the American Academy of Pediatrics and
WHO 2020: technique before load, bodyweight first, 2-3 non-consecutive days a
week, 1-3 sets of 6-15 repetitions with about a minute's rest, and no maximal
or Olympic lifting. Ages 7-11 get simpler wording than ages 12-17.
"""

from __future__ import annotations

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
from packetstudio.vocabulary import Equipment, Experience, PacketType

AgeGroup = Literal["7-11", "12-17"]

OLDER_FROM = 12
MIN_DAYS, MAX_DAYS = 2, 3
MIN_SESSION, MAX_SESSION = 20, 30
REST_SECONDS = 60
MAX_EXERCISES = 8

_SESSION_A = (
    Slot(P.SQUAT),
    Slot(P.HORIZONTAL_PUSH),
    Slot(P.HORIZONTAL_PULL),
    Slot(P.LUNGE),
    Slot(P.CORE),
    Slot(P.PLYOMETRIC),
    Slot(P.HINGE),
    Slot(P.CARRY),
)
_SESSION_B = (
    Slot(P.HINGE),
    Slot(P.VERTICAL_PULL),
    Slot(P.LUNGE),
    Slot(P.VERTICAL_PUSH),
    Slot(P.ROTATION),
    Slot(P.SPEED_AGILITY),
    Slot(P.SQUAT),
    Slot(P.CORE),
)


class SafetyRules(ContentModel):
    """What to check before, during and after every session."""

    before: list[str]
    during: list[str]
    after: list[str]


class ParentGuide(ContentModel):
    """Guidance for parents and guardians."""

    supervision: list[str]
    encouragement: list[str]
    warning_signs: list[str]


class FunElements(ContentModel):
    """Challenges, games and rewards that keep training fun."""

    challenges: list[str]
    games: list[str]
    rewards: list[str]


class YouthPacket(PacketContent):
    """A young client's training plan, written for their age group.

    Attributes:
        age_group: "7-11" gets the simpler wording.
        training_days: the weekdays trained, never two in a row.
        session_minutes: the main part of a session, after the warm-up.
        plan: at least 8 weeks in blocks, technique before load.
    """

    age: int
    age_group: AgeGroup
    training_days: list[str]
    session_minutes: int
    warm_up_minutes: int
    warm_up: list[str]
    dose: list[str]
    weekly_schedule: list[ScheduleDay]
    plan: list[ProgressionBlock]
    safety: SafetyRules
    parents: ParentGuide
    fun: FunElements
    daily_activity: list[str]
    swaps: list[Swap]
    safety_notes: list[InjuryNote]
    notes: list[str]


@dataclass(frozen=True)
class _Session:
    """Warm-up and main minutes of a youth session."""

    warm_up: int
    main: int


def _session(minutes: int) -> _Session:
    """Return a 5-10 min warm-up and a 20-30 min main part.

    The main part follows the AAP's 20-30 minutes whatever the intake says;
    the packet notes when that is longer than the client's session.
    """
    warm_up = 5 if minutes < 35 else 10
    main = max(MIN_SESSION, min(MAX_SESSION, minutes - warm_up))
    return _Session(warm_up, main)


def age_group(age: int) -> AgeGroup:
    """Return the wording group for an age."""
    return "7-11" if age < OLDER_FROM else "12-17"


def generate(intake: Intake, library: Library, as_of: date) -> YouthPacket:
    """Return the youth packet for a client aged 7 to 17.

    Args:
        intake: the client's intake; the age range is checked by the caller.
        library: the exercise library (only youth-suitable exercises are used).
        as_of: the day the packet is made for; the age is taken on it.
    """
    age = intake.age_on(as_of)
    group = age_group(age)
    session = _session(intake.session_minutes)
    rules = tr.rules_for(intake, youth=True)
    selector = tr.selector_for(intake, library, rules, prefer_simple=True)
    notes = _notes(intake, session)
    schedule = _schedule(intake, selector, session, notes)
    clearance = tr.recovery_reasons(intake) + _medical_reasons(intake)
    days = [d.day for d in schedule if d.training]
    return YouthPacket(
        packet_type=PacketType.YOUTH,
        generator_version=GENERATOR_VERSION,
        library_version=library.version,
        client_name=intake.full_name,
        as_of=as_of,
        title=f"Strong and active: {intake.first_name}'s training plan",
        summary=_summary(intake.first_name, group, len(days), session),
        at_a_glance=_glance(days, session),
        needs_clearance=bool(clearance),
        clearance_reasons=clearance,
        sources=sources(
            "nsca_youth_2009", "lloyd_2014", "aap_youth", "who_activity_2020"
        ),
        conventions=_conventions(),
        age=age,
        age_group=group,
        training_days=days,
        session_minutes=session.main,
        warm_up_minutes=session.warm_up,
        warm_up=_warm_up(group, session.warm_up),
        dose=_dose_rules(group),
        weekly_schedule=schedule,
        plan=_plan(group),
        safety=_safety(group),
        parents=_parents(),
        fun=_fun(group),
        daily_activity=_daily_activity(group),
        swaps=selector.swaps,
        safety_notes=tr.injury_notes(intake),
        notes=notes,
    )


def _medical_reasons(intake: Intake) -> list[str]:
    """Return the AAP's reason for a medical review first, if one applies."""
    if not intake.medical_conditions:
        return []
    return [
        "A medical condition is listed: the American Academy of Pediatrics "
        "advises a doctor's review before strength training, especially with "
        "high blood pressure that is not under control, seizures, heart "
        "disease, or past cancer treatment."
    ]


def _dose(experience: Experience, exercise: Exercise) -> tr.Dose:
    """Return 1-3 sets: 6-15 reps for strength, 3-6 for jumps and sprints."""
    sets = 1 if experience is Experience.BEGINNER else 2
    if exercise.movement_pattern in {P.PLYOMETRIC, P.SPEED_AGILITY}:
        return tr.Dose(
            sets, "3-6", REST_SECONDS, "bodyweight", "Quick and light, land softly"
        )
    return tr.Dose(
        sets,
        "10-15",
        REST_SECONDS,
        "light: perfect form on every rep before adding 5-10 %",
        "Easy to moderate: you could do a few more good reps",
    )


def _schedule(
    intake: Intake,
    selector: tr.Selector,
    session: _Session,
    notes: list[str],
) -> list[ScheduleDay]:
    """Return Monday to Sunday with 2-3 sessions, never on consecutive days."""
    count = max(MIN_DAYS, min(MAX_DAYS, intake.days_per_week))
    experience = intake.training_experience

    def dose_for(exercise: Exercise) -> tr.Dose:
        return _dose(experience, exercise)

    days = [tr.rest_day(i, "Rest or active play") for i in range(7)]
    short = False
    for number, index in enumerate(tr.training_day_indexes(count)):
        slots = _SESSION_A if number % 2 == 0 else _SESSION_B
        plan = tr.plan_session(
            selector, slots, dose_for, session.main * 60, maximum=MAX_EXERCISES
        )
        short |= plan.short
        days[index] = ScheduleDay(
            day=tr.DAY_NAMES[index],
            training=True,
            focus="Session " + ("A" if number % 2 == 0 else "B"),
            warm_up_minutes=session.warm_up,
            exercises=list(plan.exercises),
            estimated_minutes=tr.session_minutes(plan.exercises, session.warm_up),
        )
    if short:
        notes.append(
            "Fewer than three exercises suit the equipment and injuries "
            "together; the coach will adapt the sessions."
        )
    return days


def _notes(intake: Intake, session: _Session) -> list[str]:
    notes: list[str] = []
    if intake.days_per_week < MIN_DAYS:
        notes.append(
            "The plan has 2 training days, the fewest the NSCA recommends; the "
            "intake asked for 1."
        )
    if intake.days_per_week > MAX_DAYS:
        notes.append(
            f"Strength training stays at {MAX_DAYS} days a week; the other days "
            "are for play, sport and rest."
        )
    if session.warm_up + session.main > intake.session_minutes:
        notes.append(
            f"Sessions take about {session.warm_up + session.main} minutes: "
            f"the AAP suggests {MIN_SESSION}-{MAX_SESSION} minutes plus a "
            f"warm-up, a little more than the {intake.session_minutes} on the "
            "intake."
        )
    if Equipment.BODYWEIGHT not in intake.equipment:
        notes.append("Bodyweight exercises are always included: they need nothing.")
    return notes


def _warm_up(group: AgeGroup, minutes: int) -> list[str]:
    if group == "7-11":
        return [
            f"{minutes} minutes of moving games to get warm: skipping, hopping, "
            "animal walks and 'follow the leader'.",
        ]
    return [
        f"{minutes} minutes of dynamic warm-up: easy jogging, skips, leg swings, "
        "arm circles and lunges with a twist.",
        "Practise the first exercise slowly before the working sets.",
    ]


def _dose_rules(group: AgeGroup) -> list[str]:
    if group == "7-11":
        return [
            "Do each exercise 1 to 3 times (sets) of 6 to 15 goes (reps).",
            "Rest about 1 minute between sets.",
            "Good form first: only add weight when every rep looks great.",
        ]
    return [
        "1-3 sets of 6-15 repetitions; 3-6 for jumps and sprints.",
        "About 1 minute's rest between sets.",
        "Add 5-10 % load only when every repetition has good technique; never "
        "test a one-repetition maximum.",
    ]


def _plan(group: AgeGroup) -> list[ProgressionBlock]:
    """Return the 9-week plan: learn, build, then progress."""
    young = group == "7-11"
    return [
        tr.block(
            1,
            3,
            "Learn the moves" if young else "Technique",
            "Good form with bodyweight",
            "1 set of each exercise; learn every cue."
            if young
            else "1-2 sets; film or watch each other to check technique.",
        ),
        tr.block(
            4,
            6,
            "Get stronger" if young else "Build",
            "More sets, same good form",
            "2 sets of each exercise."
            if young
            else "2 sets; try the progression "
            "of any exercise that feels easy at 15 reps.",
        ),
        tr.block(
            7,
            9,
            "Level up" if young else "Progress",
            "Harder versions, still perfect form",
            "Try the harder version of exercises you have mastered."
            if young
            else "2-3 sets; add 5-10 % load or the progression once technique is "
            "consistent.",
        ),
    ]


def _safety(group: AgeGroup) -> SafetyRules:
    if group == "7-11":
        return SafetyRules(
            before=[
                "A grown-up coach is there the whole time.",
                "Drink some water and warm up first.",
            ],
            during=[
                "Stop and tell your coach if anything hurts.",
                "Slow and careful beats fast and wobbly.",
                "No heavy weights: your body weight is enough.",
            ],
            after=[
                "Cool down with easy walking and stretches.",
                "Drink water and have a snack.",
            ],
        )
    return SafetyRules(
        before=[
            "Train only with a qualified coach supervising.",
            "Warm up for 5-10 minutes; check the space and equipment.",
        ],
        during=[
            "Technique before load; stop any exercise that hurts.",
            "No maximal lifts, no powerlifting or bodybuilding before you are "
            "fully grown.",
            "About 1 minute's rest between sets.",
        ],
        after=[
            "Cool down and stretch gently.",
            "Rehydrate, eat well and sleep enough to recover.",
        ],
    )


def _parents() -> ParentGuide:
    return ParentGuide(
        supervision=[
            "Training should always be supervised by a qualified coach.",
            "Readiness matters more than age: your child should be able to follow "
            "instructions and focus for the whole session.",
        ],
        encouragement=[
            "Praise effort and good technique, not the weight lifted.",
            "Keep it fun and varied; let your child choose some activities.",
        ],
        warning_signs=[
            "Pain during or after exercise, especially in a joint",
            "Swelling, or a limp",
            "Dizziness, fainting or unusual breathlessness",
            "Headaches, chest pain, or unusual tiredness that lasts",
            "Losing interest or dreading sessions",
        ],
    )


def _fun(group: AgeGroup) -> FunElements:
    if group == "7-11":
        return FunElements(
            challenges=[
                "Plank challenge: can you hold it a little longer than last week?",
                "Star jumps countdown with a friend.",
            ],
            games=[
                "Animal moves: walk like a bear, hop like a frog, crawl like a crab.",
                "Relay races and tag at the end of a session.",
            ],
            rewards=[
                "A sticker for every session with great form.",
                "Pick the game at the end after a week of sessions.",
            ],
        )
    return FunElements(
        challenges=[
            "Beat your own best: more good-form reps than last month.",
            "Team challenges: add up everyone's reps towards a group target.",
        ],
        games=[
            "Circuit stations with music; switch when the song changes.",
            "Sport-style games: relays, tag or small-sided games to finish.",
        ],
        rewards=[
            "Track progress in a log and mark each personal best.",
            "Earn the next exercise progression by mastering technique.",
        ],
    )


def _daily_activity(group: AgeGroup) -> list[str]:
    if group == "7-11":
        return [
            "Be active for at least 60 minutes every day: play, run, ride, swim.",
            "On 3 days a week, play hard enough to puff and do something that "
            "makes muscles and bones strong, like climbing or jumping.",
            "Less time on screens, more time moving.",
        ]
    return [
        "Average at least 60 minutes a day of moderate-to-vigorous activity "
        "(WHO 2020).",
        "Include vigorous activity and muscle- and bone-strengthening activity "
        "on at least 3 days a week.",
        "Limit recreational screen time.",
    ]


def _conventions() -> list[str]:
    return [
        "Session times are estimated as sets x (about 40 s of work + rest), "
        "plus the warm-up.",
        "Blocks of three weeks and the choice of 10-15 repetitions to start "
        "(within the NSCA's 6-15) are PacketStudio conventions.",
    ]


def _summary(name: str, group: AgeGroup, days: int, session: _Session) -> str:
    if group == "7-11":
        return (
            f"{name}'s plan to get strong and have fun: {days} days a week, about "
            f"{session.main} minutes after a {session.warm_up}-minute warm-up."
        )
    return (
        f"{name}'s strength plan: {days} non-consecutive days a week, "
        f"{session.main}-minute sessions after a {session.warm_up}-minute "
        "dynamic warm-up, technique before load."
    )


def _glance(days: list[str], session: _Session) -> list[GlanceItem]:
    return [
        GlanceItem(label="Training days", value=", ".join(d[:3] for d in days)),
        GlanceItem(
            label="Session",
            value=f"{session.warm_up} min warm-up + {session.main} min",
        ),
        GlanceItem(label="Sets and reps", value="1-3 x 6-15, rest about 1 min"),
        GlanceItem(label="Every day", value="60 minutes of active play"),
    ]
