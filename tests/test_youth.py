"""The youth packet, generated from the real exercise library."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from packetstudio.generators import NotApplicable, generate
from packetstudio.generators.youth import YouthPacket
from packetstudio.intake import Intake, parse_intake
from packetstudio.library import Exercise, load_library
from packetstudio.library.models import MovementPattern
from packetstudio.vocabulary import BodyArea, Equipment, PacketType

AS_OF = date(2026, 12, 3)
LIBRARY = load_library()
LEVELS = ["beginner", "intermediate", "advanced"]
EVERY_TOOL = [e.value for e in Equipment]


def make_intake(**changes: Any) -> Intake:
    data: dict[str, Any] = {
        "full_name": "Aiko Tanaka",
        "sex": "female",
        "age": 13,
        "height_cm": 155,
        "weight_kg": 45,
        "client_type": "youth",
        "goal": "general_health",
        "activity_level": "moderately_active",
        "training_experience": "beginner",
        "days_per_week": 3,
        "session_minutes": 45,
        "equipment": EVERY_TOOL,
        "guardian_name": "Pat Tanaka",
    }
    data.update(changes)
    return parse_intake(data)


def youth(**changes: Any) -> YouthPacket:
    packet = generate(
        PacketType.YOUTH, make_intake(**changes), library=LIBRARY, as_of=AS_OF
    )
    assert isinstance(packet, YouthPacket)
    return packet


def chosen(packet: YouthPacket) -> list[Exercise]:
    return [
        LIBRARY.exercise(e.exercise_id)
        for day in packet.weekly_schedule
        for e in day.exercises
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_only_youth_suitable_exercises_and_never_olympic_lifts(level: str) -> None:
    entries = chosen(youth(training_experience=level, session_minutes=60))

    assert entries
    assert all(e.youth_suitable for e in entries)
    assert all(e.movement_pattern is not MovementPattern.OLYMPIC for e in entries)


def test_bodyweight_exercises_come_first() -> None:
    entries = chosen(youth())
    bodyweight = [e for e in entries if e.equipment == [Equipment.BODYWEIGHT]]

    assert len(bodyweight) > len(entries) / 2


def test_every_exercise_has_a_progression() -> None:
    for day in youth().weekly_schedule:
        for e in day.exercises:
            assert e.progression == LIBRARY.exercise(e.exercise_id).progression


@pytest.mark.parametrize("days", range(1, 8))
def test_training_days_are_two_or_three_and_never_back_to_back(days: int) -> None:
    schedule = youth(days_per_week=days).weekly_schedule
    training = [d.training for d in schedule]

    assert 2 <= sum(training) <= 3
    # Sunday to Monday counts as back to back too.
    assert not any(training[i] and training[(i + 1) % 7] for i in range(7))


def test_training_days_are_listed_by_name() -> None:
    packet = youth(days_per_week=3)

    assert packet.training_days == ["Monday", "Wednesday", "Friday"]


# NSCA 2009 and Lloyd 2014: 1-3 sets of 6-15 reps (3-6 for power), about
# 1 min rest.
@pytest.mark.parametrize("level", LEVELS)
def test_sets_reps_and_rest_follow_the_youth_guidelines(level: str) -> None:
    for day in youth(training_experience=level).weekly_schedule:
        for e in day.exercises:
            low, high = (int(n) for n in e.reps.split("-"))
            power = e.movement_pattern in {
                MovementPattern.PLYOMETRIC,
                MovementPattern.SPEED_AGILITY,
            }
            if power:
                assert (low, high) == (3, 6)
            else:
                assert 6 <= low <= high <= 15
            assert 1 <= e.sets <= 3
            assert e.rest_seconds == 60


@pytest.mark.parametrize("minutes", [15, 25, 45, 90])
def test_sessions_are_20_to_30_minutes_after_a_5_to_10_minute_warm_up(
    minutes: int,
) -> None:
    packet = youth(session_minutes=minutes)

    assert 20 <= packet.session_minutes <= 30
    assert 5 <= packet.warm_up_minutes <= 10
    for day in packet.weekly_schedule:
        if day.training:
            assert day.estimated_minutes <= packet.warm_up_minutes + 30
            assert len(day.exercises) >= 3


def test_plan_runs_at_least_eight_weeks_in_blocks() -> None:
    plan = youth().plan
    weeks = [w for b in plan for w in range(b.first_week, b.last_week + 1)]

    assert len(plan) == 3
    assert weeks == list(range(1, len(weeks) + 1)) and len(weeks) >= 8


def test_injured_area_is_excluded() -> None:
    packet = youth(injuries=[{"area": "knee", "status": "recovering"}])

    assert all(BodyArea.KNEE not in e.loads for e in chosen(packet))
    assert packet.swaps


@pytest.mark.parametrize("age", [6, 18])
def test_ages_outside_7_to_17_are_refused(age: int) -> None:
    intake = make_intake(client_type="general", age=age, guardian_name=None)

    with pytest.raises(NotApplicable, match="7 to 17") as refusal:
        generate(PacketType.YOUTH, intake, library=LIBRARY, as_of=AS_OF)
    assert f"this client is {age}" in str(refusal.value)


@pytest.mark.parametrize("age", [7, 17])
def test_ages_7_and_17_are_accepted(age: int) -> None:
    assert youth(age=age).age == age


def test_age_is_taken_on_the_packet_day_from_the_birthday() -> None:
    # A general client, so that the intake stays valid whatever today is.
    intake = make_intake(
        client_type="general", age=None, date_of_birth="2009-12-04", guardian_name=None
    )

    packet = generate(PacketType.YOUTH, intake, library=LIBRARY, as_of=AS_OF)
    assert isinstance(packet, YouthPacket) and packet.age == 16
    with pytest.raises(NotApplicable, match="this client is 18"):
        generate(PacketType.YOUTH, intake, library=LIBRARY, as_of=date(2027, 12, 4))


def test_a_medical_condition_needs_a_doctors_review_first() -> None:
    packet = youth(medical_conditions=["epilepsy"])

    assert packet.needs_clearance
    assert "American Academy of Pediatrics" in packet.clearance_reasons[0]


def test_no_medical_condition_needs_no_clearance() -> None:
    packet = youth()

    assert not packet.needs_clearance and packet.clearance_reasons == []


def test_younger_children_get_simpler_wording() -> None:
    young = youth(age=9)
    older = youth(age=15)

    assert (young.age_group, older.age_group) == ("7-11", "12-17")
    assert young.dose != older.dose and young.safety != older.safety
    assert young.fun != older.fun
    longest = max(len(line.split()) for line in young.dose)
    assert longest <= max(len(line.split()) for line in older.dose)


def test_parents_get_supervision_encouragement_and_warning_signs() -> None:
    parents = youth().parents
    signs = " ".join(parents.warning_signs).lower()

    assert parents.supervision and parents.encouragement
    assert all(word in signs for word in ("pain", "swelling", "dizziness"))


def test_fun_elements_and_daily_activity() -> None:
    packet = youth()

    assert packet.fun.challenges and packet.fun.games and packet.fun.rewards
    assert "60 minutes" in " ".join(packet.daily_activity)


def test_safety_rules_before_during_and_after() -> None:
    safety = youth().safety

    assert safety.before and safety.during and safety.after
    assert "maximal" in " ".join(safety.during)


def test_sources_cite_nsca_lloyd_aap_and_who() -> None:
    keys = {s.key for s in youth().sources}

    assert {"nsca_youth_2009", "lloyd_2014", "aap_youth", "who_activity_2020"} <= keys


def test_same_intake_gives_the_same_packet() -> None:
    first = youth(injuries=[{"area": "wrist"}])
    second = youth(injuries=[{"area": "wrist"}])

    assert first == second
    assert first.model_dump() == second.model_dump()
