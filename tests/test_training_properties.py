"""Properties every training packet keeps, for any valid intake it applies to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from packetstudio.generators import PacketContent, generate
from packetstudio.generators.eligibility import applies
from packetstudio.generators.performance import PerformancePacket
from packetstudio.generators.recovery import RecoveryPacket
from packetstudio.intake import Intake
from packetstudio.library import Exercise, load_library
from packetstudio.library.models import MovementPattern
from packetstudio.vocabulary import ClientType, Equipment, Experience, PacketType
from tests.strategies import AS_OF, intakes

LIBRARY = load_library()
LEVELS = list(Experience)
PROPERTY = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
ADULTS = st.one_of(
    intakes(ClientType.GENERAL),
    intakes(ClientType.RECOVERY),
    intakes(ClientType.ATHLETE),
)


def exercise_ids(value: Any) -> Iterator[str]:
    """Yield every ``exercise_id`` anywhere in a dumped packet."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "exercise_id":
                yield item
            else:
                yield from exercise_ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from exercise_ids(item)


def exercises(packet: PacketContent) -> list[Exercise]:
    return [LIBRARY.exercise(i) for i in exercise_ids(packet.model_dump())]


def make(packet_type: PacketType, intake: Intake) -> PacketContent:
    assume(applies(packet_type, intake, AS_OF))
    return generate(packet_type, intake, library=LIBRARY, as_of=AS_OF)


def assert_suits_client(entries: list[Exercise], intake: Intake) -> None:
    have = set(intake.equipment)
    level = LEVELS.index(intake.training_experience)
    for entry in entries:
        assert entry.equipment == [Equipment.BODYWEIGHT] or set(entry.equipment) <= have
        assert LEVELS.index(entry.level) <= level


def assert_avoids(entries: list[Exercise], intake: Intake) -> None:
    avoid = intake.limiting_injury_areas()
    for entry in entries:
        assert avoid.isdisjoint(entry.loads), (entry.id, avoid)


def assert_sessions_fit(packet: PacketContent, minutes: int) -> None:
    for day in packet.model_dump()["weekly_schedule"]:
        if day["training"]:
            assert day["estimated_minutes"] <= minutes


@PROPERTY
@given(ADULTS)
def test_workout_suits_any_adult(intake: Intake) -> None:
    packet = make(PacketType.WORKOUT, intake)
    entries = exercises(packet)

    assert entries
    assert_suits_client(entries, intake)
    assert_avoids(entries, intake)
    assert_sessions_fit(packet, intake.session_minutes)
    assert all(e.movement_pattern is not MovementPattern.OLYMPIC for e in entries)


@PROPERTY
@given(intakes(ClientType.ATHLETE))
def test_performance_suits_any_athlete(intake: Intake) -> None:
    packet = make(PacketType.PERFORMANCE, intake)
    assert isinstance(packet, PerformancePacket)
    entries = exercises(packet)

    assert_suits_client(entries, intake)
    assert_avoids(entries, intake)
    assert_sessions_fit(packet, intake.session_minutes)
    if any(e.movement_pattern is MovementPattern.OLYMPIC for e in entries):
        assert intake.training_experience is Experience.ADVANCED
        assert Equipment.BARBELL in intake.equipment


@PROPERTY
@given(intakes(ClientType.YOUTH))
def test_youth_gets_only_youth_suitable_exercises(intake: Intake) -> None:
    packet = make(PacketType.YOUTH, intake)
    entries = exercises(packet)

    assert entries
    assert all(e.youth_suitable for e in entries)
    assert all(e.movement_pattern is not MovementPattern.OLYMPIC for e in entries)
    assert_suits_client(entries, intake)
    assert_avoids(entries, intake)


@PROPERTY
@given(intakes(ClientType.RECOVERY))
def test_recovery_loads_only_the_area_it_rehabilitates(intake: Intake) -> None:
    packet = make(PacketType.RECOVERY, intake)
    assert isinstance(packet, RecoveryPacket) and intake.recovery is not None
    area = intake.recovery.area
    others = intake.limiting_injury_areas() - {area}
    rehab = [
        LIBRARY.exercise(e.exercise_id)
        for p in packet.phases
        for e in p.rehab_exercises
    ]
    general = [
        LIBRARY.exercise(e.exercise_id)
        for p in packet.phases
        for e in p.general_exercises
    ]

    assert [p.weeks for p in packet.phases] == ["1-2", "3-4", "5-8", "9-12"]
    assert_suits_client(rehab + general, intake)
    assert_avoids(general, intake)
    for entry in rehab:
        assert area in entry.rehab_areas
        assert others.isdisjoint(entry.loads)
    details = intake.recovery
    triggered = bool(details.red_flags) or details.pain_now >= 7
    triggered |= not details.medical_clearance or bool(intake.medical_conditions)
    assert packet.needs_clearance is triggered
