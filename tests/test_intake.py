"""The intake model: what it accepts, converts and refuses, in plain words."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from packetstudio.intake import Intake, IntakeError, completed_years, parse_intake
from packetstudio.vocabulary import BodyArea, ClientType, Equipment
from tests.conftest import EXAMPLES, example


def minimal(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": "Maria Lopez",
        "sex": "female",
        "age": 35,
        "height_cm": 165,
        "weight_kg": 70,
        "client_type": "general",
        "goal": "fat_loss",
        "activity_level": "lightly_active",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def problems(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(IntakeError) as caught:
        parse_intake(data)
    return {p.field: p.message for p in caught.value.problems}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_bundled_example_is_valid(path: Any) -> None:
    intake = parse_intake(example(path.stem))
    assert intake.client_type.value == path.stem


def test_examples_cover_every_client_type() -> None:
    assert {p.stem for p in EXAMPLES} >= {t.value for t in ClientType}


def test_defaults_fill_optional_training_fields() -> None:
    intake = parse_intake(minimal())
    assert intake.equipment == [Equipment.BODYWEIGHT]
    assert intake.days_per_week == 3
    assert intake.injuries == []


# -- units -------------------------------------------------------------------


def test_pounds_are_converted_to_kilograms() -> None:
    intake = parse_intake(minimal(weight_kg=None, weight_lb=154))
    assert intake.weight_kg == round(154 * 0.45359237, 1)


def test_feet_and_inches_are_converted_to_centimetres() -> None:
    intake = parse_intake(minimal(height_cm=None, height_ft=5, height_in=10))
    assert intake.height_cm == round((5 * 12 + 10) * 2.54, 1)


def test_inches_alone_are_converted_to_centimetres() -> None:
    intake = parse_intake(minimal(height_cm=None, height_in=70))
    assert intake.height_cm == round(70 * 2.54, 1)


def test_both_metric_and_imperial_weight_is_refused() -> None:
    found = problems(minimal(weight_lb=150))
    assert "weight_lb" in found
    assert "not both" in found["weight_lb"]


def test_imperial_weight_out_of_range_names_the_field_given() -> None:
    found = problems(minimal(weight_kg=None, weight_lb=2000))
    assert found["weight_lb"].startswith("Weight must be between 20 and 350 kg")
    assert "lb" in found["weight_lb"]


# -- age ---------------------------------------------------------------------


def test_age_counts_completed_years_from_the_birthday() -> None:
    born = date(1990, 6, 15)
    assert completed_years(born, date(2026, 6, 14)) == 35
    assert completed_years(born, date(2026, 6, 15)) == 36


def test_age_is_taken_from_the_date_of_birth() -> None:
    today = date.today()
    born = today.replace(year=today.year - 40) + timedelta(days=1)
    intake = parse_intake(minimal(age=None, date_of_birth=born.isoformat()))
    assert intake.age_on(today) == 39


def test_age_disagreeing_with_date_of_birth_is_refused() -> None:
    found = problems(minimal(age=20, date_of_birth="1980-01-01"))
    assert "does not match" in found["age"]


def test_age_or_date_of_birth_is_required() -> None:
    assert problems(minimal(age=None))["age"] == "Age or date of birth is required"


def test_stored_intake_of_a_youth_who_turned_eighteen_still_loads() -> None:
    today = date.today()
    born = today.replace(year=today.year - 19)
    data = parse_intake(
        minimal(age=None, date_of_birth=born.isoformat())
    ).to_json_dict()
    data["client_type"] = "youth"
    with pytest.raises(IntakeError):
        parse_intake(data)
    assert Intake.from_stored(data).client_type is ClientType.YOUTH


def test_a_saved_intake_with_a_birthday_does_not_keep_the_age() -> None:
    born = date.today().replace(year=date.today().year - 30) - timedelta(days=3)
    intake = parse_intake(minimal(age=30, date_of_birth=born.isoformat()))
    assert "age" not in intake.to_json_dict()


# -- every invalid field, in words ------------------------------------------

INVALID = [
    ("full_name", "", "Full name cannot be blank"),
    ("email", "maria-at-example", "Email must be an address like name@example.com"),
    (
        "phone",
        "call me",
        "Phone must be digits, spaces and + ( ) - only, 6 to 24 characters",
    ),
    ("sex", "other", "Sex must be one of: female, male"),
    ("age", 3, "Age must be a whole number of years between 5 and 110"),
    ("age", "forty", "Age must be a whole number of years between 5 and 110"),
    ("date_of_birth", "21/04/1990", "Date of birth must be a date like 1990-04-21"),
    ("height_cm", 20, "Height must be between 100 and 250 cm (3 ft 3 in to 8 ft 2 in)"),
    ("weight_kg", 900, "Weight must be between 20 and 350 kg (45-771 lb)"),
    ("weight_kg", "heavy", "Weight must be between 20 and 350 kg"),
    ("body_fat_percent", 90, "Body fat must be between 3 and 70 percent"),
    (
        "client_type",
        "vip",
        "Client type must be one of: general, athlete, youth, recovery",
    ),
    ("goal", "bulk", "Goal must be one of: fat_loss, maintenance, muscle_gain"),
    ("activity_level", "active", "Activity level must be one of: sedentary"),
    ("training_experience", "pro", "Training experience must be one of: beginner"),
    ("days_per_week", 9, "Training days per week must be a whole number from 1 to 7"),
    ("session_minutes", 5, "Session length must be between 15 and 180 minutes"),
    ("preferred_workout_time", "25:00", "Preferred workout time must be morning"),
    ("meals_per_day", 1, "Meals per day must be a whole number from 2 to 6"),
    ("diet_type", "paleo", "Diet must be one of: omnivore, vegetarian, vegan"),
    ("season_phase", "playoffs", "Season phase must be one of: off_season"),
]


@pytest.mark.parametrize(("field", "value", "expected"), INVALID)
def test_each_invalid_field_is_named_with_what_it_allows(
    field: str, value: Any, expected: str
) -> None:
    found = problems(minimal(**{field: value}))
    assert field in found, found
    assert found[field].startswith(expected)


def test_invalid_list_items_are_named_by_position() -> None:
    found = problems(minimal(equipment=["dumbbells", "rope"], allergies=["cats"]))
    assert found["equipment[1]"].startswith("Equipment must be one of: bodyweight")
    assert "'rope'" in found["equipment[1]"]
    assert found["allergies[0]"].startswith("Allergies must be one of: peanuts")


def test_invalid_injury_area_is_named() -> None:
    found = problems(minimal(injuries=[{"area": "knee"}, {"area": "toe"}]))
    assert list(found) == ["injuries[1].area"]
    assert found["injuries[1].area"].startswith("Injury area must be one of: neck")


def test_recovery_pain_is_checked_inside_the_recovery_details() -> None:
    recovery = example("recovery")["recovery"] | {"pain_now": 11}
    found = problems(minimal(client_type="recovery", recovery=recovery))
    assert (
        found["recovery.pain_now"]
        == "Pain right now must be a whole number from 0 to 10"
    )


def test_unknown_keys_are_errors_not_dropped() -> None:
    found = problems(minimal(favourite_colour="blue"))
    assert found["favourite_colour"] == (
        "Unknown field 'favourite_colour': it is not part of an intake"
    )


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        minimal(weight_kg=900, date_of_birth="1990-02-31", age=None, shoe=42)
    )
    assert set(found) == {"weight_kg", "date_of_birth", "shoe"}


def test_missing_required_fields_are_each_named() -> None:
    found = problems({"full_name": "Tom"})
    for field in (
        "sex",
        "height_cm",
        "weight_kg",
        "client_type",
        "goal",
        "activity_level",
    ):
        assert found[field].endswith("is required")


def test_an_athlete_needs_sport_and_season_phase() -> None:
    found = problems(minimal(client_type="athlete"))
    assert found == {
        "sport": "Sport is required for an athlete",
        "season_phase": "Season phase is required for an athlete",
    }


def test_a_recovery_client_needs_recovery_details() -> None:
    assert "recovery" in problems(minimal(client_type="recovery"))


@pytest.mark.parametrize("age", [6, 18, 40])
def test_youth_client_type_outside_seven_to_seventeen_is_refused(age: int) -> None:
    found = problems(minimal(client_type="youth", age=age))
    assert found["client_type"] == "Client type youth is for ages 7 to 17"


def test_an_intake_must_be_an_object() -> None:
    with pytest.raises(IntakeError) as caught:
        parse_intake(["not", "an", "object"])  # type: ignore[arg-type]
    assert caught.value.fields() == ["intake"]


# -- tidying -----------------------------------------------------------------


def test_workout_time_accepts_words_and_clock_times() -> None:
    assert parse_intake(
        minimal(preferred_workout_time="Evening")
    ).preferred_workout_time == ("evening")
    assert parse_intake(
        minimal(preferred_workout_time="06:30")
    ).preferred_workout_time == ("06:30")


def test_repeated_choices_are_kept_once() -> None:
    intake = parse_intake(
        minimal(equipment=["bands", "bands", "bench"], struggles=[" time ", "time", ""])
    )
    assert intake.equipment == [Equipment.BANDS, Equipment.BENCH]
    assert intake.struggles == ["time"]


def test_healed_injuries_do_not_limit_training() -> None:
    intake = parse_intake(
        minimal(injuries=[{"area": "knee", "status": "healed"}, {"area": "wrist"}])
    )
    assert intake.limiting_injury_areas() == {BodyArea.WRIST}


def test_blank_optional_text_becomes_absent() -> None:
    intake = parse_intake(minimal(email="  ", notes=""))
    assert intake.email is None
    assert intake.notes is None
