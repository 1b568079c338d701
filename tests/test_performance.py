"""The performance packet, generated from the real exercise and sport libraries."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from packetstudio.generators import NotApplicable, generate
from packetstudio.generators.performance import PerformancePacket
from packetstudio.intake import Intake, parse_intake
from packetstudio.library import Exercise, load_library
from packetstudio.library.models import MovementPattern
from packetstudio.vocabulary import BodyArea, Equipment, PacketType

AS_OF = date(2026, 12, 3)
LIBRARY = load_library()
LEVELS = ["beginner", "intermediate", "advanced"]
GYM = ["barbell", "dumbbells", "bench", "pull_up_bar", "kettlebells", "bands"]


def make_intake(**changes: Any) -> Intake:
    data: dict[str, Any] = {
        "full_name": "Tom Becker",
        "sex": "male",
        "age": 24,
        "height_cm": 182,
        "weight_kg": 80,
        "client_type": "athlete",
        "goal": "performance",
        "activity_level": "very_active",
        "training_experience": "intermediate",
        "days_per_week": 5,
        "session_minutes": 75,
        "equipment": GYM,
        "sport": "soccer",
        "season_phase": "off_season",
    }
    data.update(changes)
    return parse_intake(data)


def performance(**changes: Any) -> PerformancePacket:
    packet = generate(
        PacketType.PERFORMANCE, make_intake(**changes), library=LIBRARY, as_of=AS_OF
    )
    assert isinstance(packet, PerformancePacket)
    return packet


def chosen(packet: PerformancePacket) -> list[Exercise]:
    return [
        LIBRARY.exercise(e.exercise_id)
        for day in packet.weekly_schedule
        for e in day.exercises
    ]


# NSCA, Essentials of Strength Training and Conditioning, 4th ed. (2016).
@pytest.mark.parametrize(
    ("phase", "volume", "intensity", "percent", "sets_reps", "sessions"),
    [
        (
            "off_season",
            "high",
            "moderate",
            "50-75 % rising to 80-95 %",
            "3-6 x 10-20, then 2-6 x 2-6",
            "4-6",
        ),
        ("pre_season", "moderate", "high", "75-95 %", "2-5 x 2-5", "3-4"),
        ("in_season", "low", "high", "85-93 %", "2-5 x 3-6", "1-3"),
        ("transition", "low", "low", "low, recreational", "low", "0-3"),
    ],
)
def test_phase_parameters_follow_the_nsca_season_table(
    phase: str,
    volume: str,
    intensity: str,
    percent: str,
    sets_reps: str,
    sessions: str,
) -> None:
    row = performance(season_phase=phase).phase_parameters

    assert (row.volume, row.intensity) == (volume, intensity)
    assert row.percent_1rm == percent
    assert row.sets_reps == sets_reps
    assert row.sessions_per_week == sessions


def test_pre_season_gives_power_lifts_their_own_range() -> None:
    row = performance(season_phase="pre_season").phase_parameters

    assert row.power_percent_1rm == "30-85 %"


@pytest.mark.parametrize(
    ("phase", "low", "high"),
    [
        ("off_season", 4, 6),
        ("pre_season", 3, 4),
        ("in_season", 1, 3),
        ("transition", 0, 3),
    ],
)
def test_strength_sessions_stay_in_the_phase_range(
    phase: str, low: int, high: int
) -> None:
    packet = performance(season_phase=phase, days_per_week=6)
    strength_days = [
        d
        for d in packet.weekly_schedule
        if d.training and d.exercises and not d.conditioning
    ]

    assert low <= packet.strength_sessions <= high
    assert len(strength_days) == packet.strength_sessions


@pytest.mark.parametrize(
    ("phase", "reps", "percent"),
    [
        ("off_season", "10-20", "50-75 %"),
        ("pre_season", "2-5", "75-95 %"),
        ("in_season", "3-6", "85-93 %"),
    ],
)
def test_main_lifts_are_dosed_from_the_phase_row(
    phase: str, reps: str, percent: str
) -> None:
    packet = performance(season_phase=phase)
    main = [
        e
        for e in packet.strength.exercises
        if e.movement_pattern
        in {MovementPattern.SQUAT, MovementPattern.HINGE, MovementPattern.LUNGE}
    ]

    assert main
    for e in main:
        assert e.reps == reps
        assert 2 <= e.sets <= 6
        if "% 1RM" in e.load:
            assert percent in e.load


@pytest.mark.parametrize(
    ("level", "equipment", "olympic"),
    [
        ("advanced", GYM, True),
        ("advanced", ["dumbbells", "kettlebells", "bench"], False),
        ("intermediate", GYM, False),
        ("beginner", GYM, False),
    ],
)
def test_olympic_lifts_only_for_advanced_athletes_with_a_barbell(
    level: str, equipment: list[str], olympic: bool
) -> None:
    packet = performance(
        training_experience=level, equipment=equipment, season_phase="pre_season"
    )
    lifts = [e for e in chosen(packet) if e.movement_pattern is MovementPattern.OLYMPIC]

    assert packet.power.olympic_lifts is olympic
    assert bool(lifts) is olympic


def test_pre_season_olympic_lifts_use_the_power_lift_range() -> None:
    packet = performance(training_experience="advanced", season_phase="pre_season")
    lifts = [
        e
        for e in packet.power.exercises
        if e.movement_pattern is MovementPattern.OLYMPIC
    ]

    assert lifts
    assert all(e.load.startswith("30-85 % 1RM") for e in lifts)


def test_athletes_without_olympic_lifts_get_jumps_or_throws() -> None:
    packet = performance(training_experience="intermediate", season_phase="pre_season")

    assert not packet.power.olympic_lifts
    assert packet.power.exercises
    assert all(
        e.movement_pattern is MovementPattern.PLYOMETRIC for e in packet.power.exercises
    )


def test_landings_progress_from_snap_down_to_drop_landing_to_jumps() -> None:
    steps = performance().power.landing_progression

    assert [s.split(":")[0] for s in steps] == ["Snap-down", "Drop landing", "Jumps"]


def test_a_leg_injury_holds_back_jumps_and_landings() -> None:
    packet = performance(injuries=[{"area": "ankle", "status": "recovering"}])

    assert packet.power.landing_progression == []
    assert all(BodyArea.ANKLE not in e.loads for e in chosen(packet))
    assert packet.swaps


@pytest.mark.parametrize(
    ("sport", "sport_id"),
    [
        ("soccer", "soccer"),
        ("Distance running", "distance_running"),
        ("Rugby", "rugby"),
    ],
)
def test_sport_is_matched_by_normalised_id_or_name(sport: str, sport_id: str) -> None:
    conditioning = performance(sport=sport).conditioning
    library_sport = LIBRARY.sport(sport_id)

    assert conditioning.in_library and conditioning.sport_id == sport_id
    assert conditioning.sessions == library_sport.conditioning
    assert {s.system: s.percent for s in conditioning.energy_systems} == dict(
        library_sport.energy_systems
    )


def test_an_unknown_sport_gets_general_field_sport_conditioning() -> None:
    packet = performance(sport="Underwater hockey")
    conditioning = packet.conditioning

    assert not conditioning.in_library and conditioning.sport_id is None
    assert conditioning.sessions
    assert sum(s.percent for s in conditioning.energy_systems) == 100
    assert (
        "not in" in conditioning.notes[0]
        and "Underwater hockey" in conditioning.notes[0]
    )
    assert any("field-sport" in c for c in packet.conventions)


def test_conditioning_days_carry_the_sports_sessions() -> None:
    packet = performance(season_phase="in_season", days_per_week=5)
    sessions = [s for d in packet.weekly_schedule for s in d.conditioning]

    assert sessions
    assert set(sessions) <= set(LIBRARY.sport("soccer").conditioning)


@pytest.mark.parametrize("equipment", [["bodyweight"], ["dumbbells", "bench"], GYM])
def test_only_the_athletes_equipment_is_used(equipment: list[str]) -> None:
    have = {Equipment(e) for e in equipment}
    for entry in chosen(
        performance(equipment=equipment, training_experience="advanced")
    ):
        assert entry.equipment == [Equipment.BODYWEIGHT] or set(entry.equipment) <= have


@pytest.mark.parametrize("level", LEVELS)
def test_no_exercise_is_above_the_athletes_level(level: str) -> None:
    entries = chosen(performance(training_experience=level, season_phase="pre_season"))

    assert all(LEVELS.index(e.level.value) <= LEVELS.index(level) for e in entries)


def test_an_injured_shoulder_is_never_loaded() -> None:
    packet = performance(injuries=[{"area": "shoulder", "side": "right"}])

    assert all(BodyArea.SHOULDER not in e.loads for e in chosen(packet))
    assert any("right shoulder" in s.reason for s in packet.swaps)
    assert [n.area for n in packet.safety_notes] == [BodyArea.SHOULDER]


@pytest.mark.parametrize("minutes", [15, 30, 45, 75, 120])
@pytest.mark.parametrize("phase", ["off_season", "pre_season", "in_season"])
def test_sessions_fit_the_athletes_minutes(minutes: int, phase: str) -> None:
    packet = performance(session_minutes=minutes, season_phase=phase, days_per_week=6)
    for day in packet.weekly_schedule:
        if not day.training:
            continue
        work = sum(e.sets * (40 + e.rest_seconds) for e in day.exercises)
        extra = day.warm_up_minutes + day.cool_down_minutes + day.conditioning_minutes
        assert extra + math.ceil(work / 60) == day.estimated_minutes <= minutes


def test_strength_days_open_with_speed_and_power() -> None:
    packet = performance(session_minutes=120, season_phase="pre_season")
    fast = {MovementPattern.SPEED_AGILITY, MovementPattern.PLYOMETRIC}
    for day in packet.weekly_schedule:
        patterns = [e.movement_pattern for e in day.exercises]
        firsts = [i for i, p in enumerate(patterns) if p in fast]
        others = [i for i, p in enumerate(patterns) if p not in fast]
        if firsts and others:
            assert max(firsts) < min(others)


def test_recovery_strategies_cover_day_week_and_month() -> None:
    strategies = performance().recovery_strategies

    assert "7-9 hours" in " ".join(strategies.daily)
    assert (
        "hydrat" in " ".join(strategies.daily).lower()
        or "drink" in " ".join(strategies.daily).lower()
    )
    assert "rest day" in " ".join(strategies.weekly)
    assert "deload" in " ".join(strategies.monthly).lower()


def test_sources_cite_the_nsca_fourth_edition() -> None:
    keys = [s.key for s in performance().sources]

    assert "nsca_essentials_4" in keys and "nsf_sleep_2015" in keys


def test_performance_is_refused_for_non_athletes() -> None:
    with pytest.raises(NotApplicable, match="athletes"):
        generate(
            PacketType.PERFORMANCE,
            make_intake(client_type="general", sport=None, season_phase=None),
            library=LIBRARY,
            as_of=AS_OF,
        )


def test_same_intake_gives_the_same_packet() -> None:
    first = performance(injuries=[{"area": "knee"}], sport="tennis")
    second = performance(injuries=[{"area": "knee"}], sport="tennis")

    assert first == second
    assert first.model_dump() == second.model_dump()
