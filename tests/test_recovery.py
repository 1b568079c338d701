"""The recovery packet, generated from the real exercise library."""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any

import pytest

from packetstudio.generators import NotApplicable, generate
from packetstudio.generators.recovery import RecoveryPacket
from packetstudio.intake import Intake, parse_intake
from packetstudio.library import load_library
from packetstudio.vocabulary import BodyArea, Equipment, PacketType

AS_OF = date(2026, 12, 3)
LIBRARY = load_library()
LEVELS = ["beginner", "intermediate", "advanced"]
EQUIPMENT = ["bodyweight", "dumbbells", "bands", "bench"]


def make_intake(recovery: dict[str, Any] | None = None, **changes: Any) -> Intake:
    details: dict[str, Any] = {
        "condition": "ankle sprain",
        "area": "ankle",
        "weeks_since_onset": 2,
        "pain_now": 3,
        "medical_clearance": True,
        "aggravating_movements": ["walking down stairs", "running on grass"],
        "red_flags": [],
    }
    details.update(recovery or {})
    data: dict[str, Any] = {
        "full_name": "Sam Okafor",
        "sex": "male",
        "age": 41,
        "height_cm": 178,
        "weight_kg": 84,
        "client_type": "recovery",
        "goal": "general_health",
        "activity_level": "lightly_active",
        "training_experience": "intermediate",
        "equipment": EQUIPMENT,
        "recovery": details,
    }
    data.update(changes)
    return parse_intake(data)


def recovery(recovery: dict[str, Any] | None = None, **changes: Any) -> RecoveryPacket:
    intake = make_intake(recovery, **changes)
    packet = generate(PacketType.RECOVERY, intake, library=LIBRARY, as_of=AS_OF)
    assert isinstance(packet, RecoveryPacket)
    return packet


def test_four_phases_with_exact_names_and_weeks() -> None:
    phases = recovery().phases

    assert [(p.name, p.weeks) for p in phases] == [
        ("Pain-free movement", "1-2"),
        ("Light strengthening", "3-4"),
        ("Moderate activity", "5-8"),
        ("Return to activity", "9-12"),
    ]


def test_each_phase_enters_where_the_previous_one_exits() -> None:
    phases = recovery().phases

    assert all(p.entry_criteria and p.exit_criteria for p in phases)
    for before, after in pairwise(phases):
        assert after.entry_criteria == before.exit_criteria


# Ardern et al. 2016 gates.
def test_phase_gates_follow_the_return_to_sport_consensus() -> None:
    exits = [" ".join(p.exit_criteria) for p in recovery().phases]

    assert "at most 2/10" in exits[0] and "walking" in exits[0]
    assert "range" in exits[1] and "swelling" in exits[1]
    assert "1-2 weeks" in exits[2]
    assert "90 % of the other side" in exits[3] and "hop" in exits[3]


def test_an_upper_limb_is_not_asked_to_hop() -> None:
    last = recovery({"area": "shoulder"}).phases[-1]

    assert "hop" not in " ".join(last.exit_criteria)


@pytest.mark.parametrize("area", [a.value for a in BodyArea])
def test_rehab_exercises_are_for_the_area_and_others_do_not_load_it(
    area: str,
) -> None:
    packet = recovery({"area": area})
    rehab = [e for p in packet.phases for e in p.rehab_exercises]
    general = [e for p in packet.phases for e in p.general_exercises]

    assert rehab, f"no rehabilitation exercise for {area}"
    for e in rehab:
        assert BodyArea(area) in LIBRARY.exercise(e.exercise_id).rehab_areas
    for e in general:
        assert BodyArea(area) not in LIBRARY.exercise(e.exercise_id).loads


def test_rehab_exercises_do_not_load_another_injured_area() -> None:
    packet = recovery({"area": "lower_back"}, injuries=[{"area": "knee"}])
    for phase in packet.phases:
        for e in phase.rehab_exercises + phase.general_exercises:
            assert BodyArea.KNEE not in LIBRARY.exercise(e.exercise_id).loads


def test_only_the_clients_equipment_and_level_are_used() -> None:
    packet = recovery({"area": "shoulder"}, equipment=["bands"])
    for phase in packet.phases:
        for e in phase.rehab_exercises + phase.general_exercises:
            entry = LIBRARY.exercise(e.exercise_id)
            assert entry.equipment in ([Equipment.BODYWEIGHT], [Equipment.BANDS])
            assert LEVELS.index(entry.level.value) <= LEVELS.index("intermediate")


def test_a_child_in_recovery_gets_only_youth_suitable_exercises() -> None:
    packet = recovery({"area": "knee"}, age=12, equipment=[e.value for e in Equipment])
    for phase in packet.phases:
        for e in phase.rehab_exercises + phase.general_exercises:
            assert LIBRARY.exercise(e.exercise_id).youth_suitable


def test_avoid_list_has_the_exercises_loading_the_area_and_the_clients_words() -> None:
    packet = recovery()
    avoided = {a.library_id for a in packet.avoid if a.library_id is not None}
    loading = {
        e.id
        for e in LIBRARY.exercises
        if BodyArea.ANKLE in e.loads
        and BodyArea.ANKLE not in e.rehab_areas
        and (
            e.equipment == [Equipment.BODYWEIGHT] or set(e.equipment) <= set(EQUIPMENT)
        )
        and e.level.value in {"beginner", "intermediate"}
    }

    assert loading and loading <= avoided
    assert all(BodyArea.ANKLE in LIBRARY.exercise(i).loads for i in avoided)
    words = [a.name for a in packet.avoid if a.library_id is None]
    assert words == ["walking down stairs", "running on grass"]


# Silbernagel et al. 2007: 0-2 safe, up to 5 acceptable, above 5 high risk.
def test_pain_traffic_light() -> None:
    rule = recovery().pain_rule

    assert [(z.pain, z.zone) for z in rule] == [
        ("0-2", "green"),
        ("3-5", "amber"),
        ("6-10", "red"),
    ]
    assert "next morning" in rule[1].rule and "stiffness" in rule[1].rule
    assert "Stop" in rule[2].rule


@pytest.mark.parametrize(
    ("pain", "zone"),
    [(0, "green"), (2, "green"), (3, "amber"), (5, "amber"), (6, "red")],
)
def test_todays_pain_is_placed_on_the_traffic_light(pain: int, zone: str) -> None:
    assert recovery({"pain_now": pain}).assessment.pain_zone == zone


def test_monitoring_log_has_fourteen_blank_rows() -> None:
    packet = recovery()

    assert [r.day for r in packet.monitoring_log] == list(range(1, 15))
    for row in packet.monitoring_log:
        assert row.date == row.pain_at_rest == row.pain_during == ""
        assert row.next_morning_pain == row.stiffness == row.notes == ""
    assert len(packet.log_columns) == 6


def test_red_flags_from_the_domain_list() -> None:
    flags = " ".join(recovery().red_flags).lower()

    for words in (
        "chest pain",
        "fainting",
        "calf",
        "fever",
        "night pain",
        "saddle",
        "bear weight",
        "head injury",
        "4-6 weeks",
    ):
        assert words in flags


def test_screening_questions_are_paraphrased_not_the_form() -> None:
    questions = recovery().screening_questions
    text = " ".join(questions)

    assert len(questions) == 8  # seven questions and the rule for a "yes"
    assert "Has your doctor ever said that you have a heart condition" not in text
    assert "blood pressure" in text and "supervision" in text


@pytest.mark.parametrize(
    ("details", "reason"),
    [
        ({"red_flags": ["night pain"]}, "red flags"),
        ({"pain_now": 7}, "7/10"),
        ({"pain_now": 10}, "10/10"),
        ({"medical_clearance": False}, "clearance"),
    ],
)
def test_each_trigger_needs_clearance_with_a_reason(
    details: dict[str, Any], reason: str
) -> None:
    packet = recovery(details)

    assert packet.needs_clearance
    assert len(packet.clearance_reasons) == 1
    assert reason in packet.clearance_reasons[0]


def test_pain_of_six_alone_needs_no_clearance() -> None:
    packet = recovery({"pain_now": 6})

    assert not packet.needs_clearance and packet.clearance_reasons == []


def test_all_three_triggers_give_three_reasons() -> None:
    packet = recovery(
        {"red_flags": ["fever"], "pain_now": 8, "medical_clearance": False}
    )

    assert len(packet.clearance_reasons) == 3


def test_assessment_repeats_the_intake() -> None:
    assessment = recovery({"weeks_since_onset": 6}).assessment

    assert (assessment.condition, assessment.area) == ("ankle sprain", BodyArea.ANKLE)
    assert assessment.aggravating_movements == [
        "walking down stairs",
        "running on grass",
    ]
    assert any("4-6 weeks" in note for note in assessment.notes)


def test_sources_cite_pain_monitoring_ardern_and_parq() -> None:
    keys = {s.key for s in recovery().sources}

    assert {"pain_monitoring", "ardern_2016", "parq_2023"} <= keys


def test_recovery_is_refused_without_recovery_details() -> None:
    intake = make_intake(client_type="general").model_copy(update={"recovery": None})

    with pytest.raises(NotApplicable, match="recovery details"):
        generate(PacketType.RECOVERY, intake, library=LIBRARY, as_of=AS_OF)


def test_same_intake_gives_the_same_packet() -> None:
    first = recovery({"area": "knee"}, injuries=[{"area": "wrist"}])
    second = recovery({"area": "knee"}, injuries=[{"area": "wrist"}])

    assert first == second
    assert first.model_dump() == second.model_dump()
