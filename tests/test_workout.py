"""The workout packet, generated from the real exercise library."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from packetstudio.generators import NotApplicable, generate
from packetstudio.generators.workout import WorkoutPacket
from packetstudio.intake import Intake, parse_intake
from packetstudio.library import Exercise, Library, load_library
from packetstudio.library.models import MovementPattern
from packetstudio.vocabulary import BodyArea, Equipment, Experience, PacketType

AS_OF = date(2026, 12, 3)
LIBRARY = load_library()
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MULTI_JOINT = {
    MovementPattern.SQUAT,
    MovementPattern.HINGE,
    MovementPattern.LUNGE,
    MovementPattern.HORIZONTAL_PUSH,
    MovementPattern.HORIZONTAL_PULL,
    MovementPattern.VERTICAL_PUSH,
    MovementPattern.VERTICAL_PULL,
}
SINGLE_JOINT = {MovementPattern.ISOLATION_UPPER, MovementPattern.ISOLATION_LOWER}
LEVELS = ["beginner", "intermediate", "advanced"]


def make_intake(**changes: Any) -> Intake:
    data: dict[str, Any] = {
        "full_name": "Maria Lopez",
        "sex": "female",
        "age": 35,
        "height_cm": 165,
        "weight_kg": 68,
        "client_type": "general",
        "goal": "muscle_gain",
        "activity_level": "moderately_active",
        "training_experience": "intermediate",
        "days_per_week": 3,
        "session_minutes": 60,
        "equipment": ["dumbbells", "barbell", "bench", "pull_up_bar", "cables"],
    }
    data.update(changes)
    return parse_intake(data)


def workout(**changes: Any) -> WorkoutPacket:
    packet = generate(
        PacketType.WORKOUT, make_intake(**changes), library=LIBRARY, as_of=AS_OF
    )
    assert isinstance(packet, WorkoutPacket)
    return packet


def chosen(packet: WorkoutPacket) -> list[Exercise]:
    return [
        LIBRARY.exercise(e.exercise_id)
        for day in packet.weekly_schedule
        for e in day.exercises
    ]


def longest_run(training: list[bool]) -> int:
    """Longest run of consecutive training days, across the week's end too."""
    doubled = training + training
    best = run = 0
    for day in doubled:
        run = run + 1 if day else 0
        best = max(best, run)
    return min(best, 7)


def rep_bounds(reps: str) -> tuple[int, int]:
    low, high = reps.split("-")
    return int(low), int(high)


@pytest.mark.parametrize(
    ("days", "split"),
    [
        (1, "full_body"),
        (2, "full_body"),
        (3, "push_pull_legs"),
        (4, "upper_lower"),
        (5, "body_part"),
        (6, "body_part"),
        (7, "body_part"),
    ],
)
def test_split_follows_days_per_week(days: int, split: str) -> None:
    assert workout(days_per_week=days).split == split


@pytest.mark.parametrize(
    ("days", "longest"), [(1, 1), (2, 1), (3, 1), (4, 2), (5, 3), (6, 6)]
)
def test_training_days_are_spread_through_the_week(days: int, longest: int) -> None:
    schedule = workout(days_per_week=days).weekly_schedule
    training = [d.training for d in schedule]

    assert [d.day for d in schedule] == DAYS
    assert sum(training) == days
    assert longest_run(training) == longest


def test_seven_days_keep_sunday_for_active_recovery() -> None:
    packet = workout(days_per_week=7)
    sunday = packet.weekly_schedule[6]

    assert sum(d.training for d in packet.weekly_schedule) == 6
    assert not sunday.training and "recovery" in sunday.focus.lower()
    assert any("7 days" in note for note in packet.notes)


def test_every_training_day_has_a_focus_and_prescribed_exercises() -> None:
    for day in workout(days_per_week=4).weekly_schedule:
        if not day.training:
            assert day.exercises == []
            continue
        assert day.focus
        for exercise in day.exercises:
            low, high = rep_bounds(exercise.reps)
            assert exercise.sets >= 1 and 0 < low <= high
            assert exercise.rest_seconds > 0
            assert "% 1RM" in exercise.load or "RPE" in exercise.load


def test_exercises_carry_the_library_cues_regression_and_progression() -> None:
    for day in workout().weekly_schedule:
        for exercise in day.exercises:
            entry = LIBRARY.exercise(exercise.exercise_id)
            assert exercise.cues == entry.cues
            assert exercise.regression == entry.regression
            assert exercise.progression == entry.progression


@pytest.mark.parametrize(
    "equipment",
    [["bodyweight"], ["dumbbells"], ["dumbbells", "bench"], ["bands", "pull_up_bar"]],
)
def test_only_the_clients_equipment_is_used(equipment: list[str]) -> None:
    have = {Equipment(e) for e in equipment}
    for entry in chosen(workout(equipment=equipment, days_per_week=5)):
        assert entry.equipment == [Equipment.BODYWEIGHT] or set(entry.equipment) <= have


def test_bodyweight_exercises_qualify_without_listing_bodyweight() -> None:
    entries = chosen(workout(equipment=["cardio_machines"]))

    assert entries
    assert all(e.equipment == [Equipment.BODYWEIGHT] for e in entries)


@pytest.mark.parametrize("level", LEVELS)
def test_no_exercise_is_above_the_clients_level(level: str) -> None:
    entries = chosen(workout(training_experience=level, days_per_week=5))

    assert all(LEVELS.index(e.level.value) <= LEVELS.index(level) for e in entries)


def test_an_injured_area_is_never_loaded_and_the_swaps_are_reported() -> None:
    packet = workout(
        injuries=[{"area": "knee", "side": "left", "status": "recovering"}],
        days_per_week=4,
    )

    assert all(BodyArea.KNEE not in e.loads for e in chosen(packet))
    assert packet.swaps
    for swap in packet.swaps:
        assert BodyArea.KNEE in LIBRARY.exercise(swap.original_id).loads
        assert "left knee" in swap.reason
        if swap.replacement_id is not None:
            assert BodyArea.KNEE not in LIBRARY.exercise(swap.replacement_id).loads


def test_a_replacement_keeps_the_movement_pattern_when_a_safe_one_exists() -> None:
    packet = workout(injuries=[{"area": "wrist", "status": "acute"}], days_per_week=4)
    same = [
        s
        for s in packet.swaps
        if s.replacement_id is not None
        and LIBRARY.exercise(s.replacement_id).movement_pattern
        == LIBRARY.exercise(s.original_id).movement_pattern
    ]

    assert same
    assert all(BodyArea.WRIST not in e.loads for e in chosen(packet))


def test_a_healed_injury_does_not_limit_the_workout() -> None:
    packet = workout(injuries=[{"area": "knee", "status": "healed"}])

    assert packet.swaps == []
    assert any(BodyArea.KNEE in e.loads for e in chosen(packet))


def test_each_injury_gets_a_safety_note_with_area_side_and_status() -> None:
    injuries = [
        {"area": "shoulder", "side": "right", "status": "chronic"},
        {"area": "ankle", "status": "acute"},
    ]
    notes = workout(injuries=injuries).safety_notes

    assert [(n.area.value, n.side, n.status) for n in notes] == [
        ("shoulder", "right", "chronic"),
        ("ankle", None, "acute"),
    ]
    assert "right side" in notes[0].note and "Chronic" in notes[0].note


# ACSM 2009 (Ratamess et al.): novice/intermediate hypertrophy 8-12 reps, 1-3
# sets, 1-2 min rest; advanced 1-12 reps (mostly 6-12), 3-6 sets.
def test_novice_muscle_gain_uses_acsm_hypertrophy_ranges() -> None:
    for day in workout(training_experience="beginner").weekly_schedule:
        for e in day.exercises:
            assert e.reps == "8-12"
            assert 1 <= e.sets <= 3
            assert 60 <= e.rest_seconds <= 120


def test_advanced_muscle_gain_uses_more_sets_and_reps_down_to_six() -> None:
    for day in workout(training_experience="advanced").weekly_schedule:
        for e in day.exercises:
            low, high = rep_bounds(e.reps)
            assert 1 <= low <= high <= 12
            assert 3 <= e.sets <= 6
            assert 60 <= e.rest_seconds <= 120


# ACSM strength: novice 60-70 % 1RM, 8-12 reps, 1-3 sets; advanced 80-100 %,
# 1-6 reps; rest 2-3 min for core lifts, 1-2 min for assistance.
@pytest.mark.parametrize(
    ("level", "reps", "load"),
    [("beginner", (8, 12), "60-70 %"), ("advanced", (1, 6), "80-100 %")],
)
def test_performance_goal_uses_acsm_strength_ranges(
    level: str, reps: tuple[int, int], load: str
) -> None:
    packet = workout(goal="performance", training_experience=level)
    for day in packet.weekly_schedule:
        for e in day.exercises:
            low, high = rep_bounds(e.reps)
            assert reps[0] <= low and high <= reps[1]
            if e.movement_pattern in MULTI_JOINT:
                assert 120 <= e.rest_seconds <= 180
            else:
                assert 60 <= e.rest_seconds <= 120
            if "% 1RM" in e.load:
                assert load in e.load
    assert packet.scheme == "strength"


@pytest.mark.parametrize("goal", ["fat_loss", "general_health"])
def test_fat_loss_and_health_lean_towards_endurance(goal: str) -> None:
    packet = workout(goal=goal, training_experience="beginner")

    assert packet.scheme == "endurance-leaning hypertrophy"
    for day in packet.weekly_schedule:
        for e in day.exercises:
            assert rep_bounds(e.reps) == (10, 15)
            assert e.rest_seconds <= 120


def test_maintenance_uses_novice_hypertrophy_ranges_even_when_advanced() -> None:
    packet = workout(goal="maintenance", training_experience="advanced")

    assert packet.scheme == "hypertrophy"
    for day in packet.weekly_schedule:
        for e in day.exercises:
            assert e.reps == "8-12" and e.sets <= 3


@pytest.mark.parametrize("minutes", [15, 20, 25, 30, 45, 60, 90, 180])
@pytest.mark.parametrize("level", LEVELS)
def test_sessions_fit_the_clients_minutes(minutes: int, level: str) -> None:
    packet = workout(
        session_minutes=minutes,
        training_experience=level,
        goal="performance",
        days_per_week=4,
    )
    for day in packet.weekly_schedule:
        if not day.training:
            continue
        work = sum(e.sets * (40 + e.rest_seconds) for e in day.exercises)
        total = day.warm_up_minutes + day.cool_down_minutes + math.ceil(work / 60)
        assert 5 <= day.warm_up_minutes + day.cool_down_minutes <= 10
        assert total == day.estimated_minutes <= minutes
        assert len(day.exercises) >= 3


def test_long_sessions_get_more_exercises_than_short_ones() -> None:
    short = workout(session_minutes=30).weekly_schedule[0]
    long = workout(session_minutes=90).weekly_schedule[0]

    assert len(long.exercises) > len(short.exercises)


def test_too_short_sessions_reduce_sets_and_say_so() -> None:
    packet = workout(session_minutes=15, training_experience="advanced")
    first = next(d for d in packet.weekly_schedule if d.training)

    assert len(first.exercises) == 3
    assert all(e.sets < 4 for e in first.exercises)
    assert any("reduced" in note for note in packet.notes)


def test_multi_joint_exercises_come_before_single_joint_ones() -> None:
    for day in workout(days_per_week=5, session_minutes=90).weekly_schedule:
        patterns = [e.movement_pattern for e in day.exercises]
        singles = [i for i, p in enumerate(patterns) if p in SINGLE_JOINT]
        multis = [i for i, p in enumerate(patterns) if p in MULTI_JOINT]
        if singles and multis:
            assert max(multis) < min(singles)


def test_progression_covers_twelve_weeks_with_load_rule_and_deload() -> None:
    blocks = workout().progression
    weeks = [w for b in blocks for w in range(b.first_week, b.last_week + 1)]
    text = " ".join(line for b in blocks for line in b.guidance)

    assert weeks == list(range(1, 13))
    assert "2-10 %" in text and "1-2 reps" in text
    assert "deload" in text


def test_packet_records_versions_sources_and_client() -> None:
    packet = workout()

    assert packet.packet_type is PacketType.WORKOUT
    assert packet.library_version == LIBRARY.version
    assert packet.client_name == "Maria Lopez" and packet.as_of == AS_OF
    assert "acsm_resistance_2009" in [s.key for s in packet.sources]
    assert packet.conventions and packet.at_a_glance
    assert not packet.needs_clearance


def test_a_medical_condition_needs_clearance() -> None:
    packet = workout(medical_conditions=["type 2 diabetes"])

    assert packet.needs_clearance and packet.clearance_reasons
    assert "diabetes" not in " ".join(packet.clearance_reasons)


def test_same_intake_gives_the_same_packet() -> None:
    first = workout(injuries=[{"area": "shoulder"}], days_per_week=5)
    second = workout(injuries=[{"area": "shoulder"}], days_per_week=5)

    assert first == second
    assert first.model_dump() == second.model_dump()


def test_an_equal_library_copy_gives_the_same_packet() -> None:
    other = Library(LIBRARY.version, LIBRARY.exercises, LIBRARY.foods, LIBRARY.sports)
    intake = make_intake()

    assert generate(PacketType.WORKOUT, intake, library=other, as_of=AS_OF) == generate(
        PacketType.WORKOUT, intake, library=LIBRARY, as_of=AS_OF
    )


def test_workout_is_refused_under_eighteen() -> None:
    with pytest.raises(NotApplicable, match="adults"):
        generate(
            PacketType.WORKOUT,
            make_intake(age=16),
            library=LIBRARY,
            as_of=AS_OF,
        )


def test_beginner_gets_no_advanced_only_exercise_even_with_every_tool() -> None:
    every = [e.value for e in Equipment]
    entries = chosen(workout(equipment=every, training_experience="beginner"))

    assert {e.level for e in entries} == {Experience.BEGINNER}
