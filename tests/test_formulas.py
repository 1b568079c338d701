"""The nutrition formulas, checked against arithmetic done by hand.

Each expected value is written out as the formula with the person's numbers
in it, never copied from the code's output. Rounding is half up.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest

from packetstudio.generators import formulas
from packetstudio.generators.base import Calculation
from packetstudio.generators.formulas import calculate
from packetstudio.generators.sources import known_keys
from packetstudio.intake import Intake, parse_intake
from packetstudio.vocabulary import ActivityLevel, DietType, Goal, Sex

AS_OF = date(2026, 12, 3)
LB = 0.45359237


def half_up(value: float) -> int:
    """Round half up, done independently of the code under test."""
    return math.floor(value + 0.5)


def person(**changes: Any) -> Intake:
    raw: dict[str, Any] = {
        "full_name": "Test Client",
        "sex": "male",
        "age": 30,
        "height_cm": 180,
        "weight_kg": 80,
        "client_type": "general",
        "goal": "maintenance",
        "activity_level": "moderately_active",
    }
    raw.update(changes)
    if raw.get("client_type") == "youth":
        raw.setdefault("guardian_name", "Pat Guardian")
    return parse_intake(raw)


# --- resting energy ---------------------------------------------------------


def test_mifflin_for_a_man() -> None:
    c = calculate(person(), AS_OF)
    assert c.bmr_kcal.value == half_up(10 * 80 + 6.25 * 180 - 5 * 30 + 5)
    assert c.bmr_kcal.source == "mifflin"
    assert "10 x 80 + 6.25 x 180 - 5 x 30 + 5" in c.bmr_kcal.explanation


def test_mifflin_for_a_woman() -> None:
    c = calculate(person(sex="female", age=45, weight_kg=62, height_cm=165), AS_OF)
    assert c.bmr_kcal.value == half_up(10 * 62 + 6.25 * 165 - 5 * 45 - 161)


def test_mifflin_for_a_70_year_old_woman() -> None:
    c = calculate(person(sex="female", age=70, weight_kg=60, height_cm=160), AS_OF)
    assert c.bmr_kcal.value == half_up(10 * 60 + 6.25 * 160 - 5 * 70 - 161)


def test_schofield_for_a_15_year_old_boy() -> None:
    boy = person(age=15, weight_kg=60, height_cm=170, client_type="youth")
    c = calculate(boy, AS_OF)
    assert c.bmr_kcal.value == half_up(17.686 * 60 + 658.2)
    assert c.bmr_kcal.source == "schofield"
    assert "10-18" in c.bmr_kcal.explanation


def test_schofield_for_a_12_year_old_girl() -> None:
    girl = person(
        sex="female", age=12, weight_kg=40, height_cm=150, client_type="youth"
    )
    assert calculate(girl, AS_OF).bmr_kcal.value == half_up(13.384 * 40 + 692.6)


def test_age_10_uses_the_10_to_18_band() -> None:
    assert formulas.schofield(Sex.MALE, 30, 10).value == half_up(17.686 * 30 + 658.2)


def test_age_9_uses_the_3_to_10_band_if_ever_called() -> None:
    assert formulas.schofield(Sex.FEMALE, 30, 9).value == half_up(20.315 * 30 + 485.9)


def test_mifflin_from_18() -> None:
    c = calculate(person(age=18), AS_OF)
    assert c.bmr_kcal.value == half_up(10 * 80 + 6.25 * 180 - 5 * 18 + 5)


def test_imperial_intake_is_converted_before_the_formula() -> None:
    raw = {
        "full_name": "Test Client",
        "sex": "male",
        "age": 35,
        "weight_lb": 180,
        "height_ft": 5,
        "height_in": 10,
        "client_type": "general",
        "goal": "maintenance",
        "activity_level": "sedentary",
    }
    weight = round(180 * LB, 1)  # the intake keeps one decimal: 81.6 kg
    height = round((5 * 12 + 10) * 2.54, 1)  # 177.8 cm
    c = calculate(parse_intake(raw), AS_OF)
    assert c.bmr_kcal.value == half_up(10 * weight + 6.25 * height - 5 * 35 + 5)


# --- age from the birthday -------------------------------------------------------


def test_age_counts_from_the_birthday_not_the_year() -> None:
    client = person(age=None, date_of_birth="1990-06-15")
    day_before = calculate(client, date(2026, 6, 14))
    birthday = calculate(client, date(2026, 6, 15))
    assert day_before.age == 35
    assert birthday.age == 36
    assert day_before.bmr_kcal.value == half_up(10 * 80 + 6.25 * 180 - 5 * 35 + 5)
    assert birthday.bmr_kcal.value == half_up(10 * 80 + 6.25 * 180 - 5 * 36 + 5)


def test_turning_18_switches_from_schofield_to_mifflin() -> None:
    client = person(age=None, date_of_birth="2008-12-03")
    assert calculate(client, date(2026, 12, 2)).bmr_kcal.source == "schofield"
    assert calculate(client, date(2026, 12, 3)).bmr_kcal.source == "mifflin"


# --- lean mass, activity, goal, floors -----------------------------------------------


def test_katch_mcardle_is_shown_beside_mifflin_but_not_used() -> None:
    c = calculate(person(body_fat_percent=15, goal="fat_loss"), AS_OF)
    assert c.katch_mcardle_kcal is not None
    assert c.katch_mcardle_kcal.value == half_up(370 + 21.6 * (80 * (1 - 15 / 100)))
    bmr = half_up(10 * 80 + 6.25 * 180 - 5 * 30 + 5)
    assert c.target_kcal.value == half_up(bmr * 1.55) - 500


def test_no_katch_mcardle_without_body_fat() -> None:
    assert calculate(person(), AS_OF).katch_mcardle_kcal is None


@pytest.mark.parametrize(
    ("level", "factor"),
    [
        ("sedentary", 1.2),
        ("lightly_active", 1.375),
        ("moderately_active", 1.55),
        ("very_active", 1.725),
        ("extra_active", 1.9),
    ],
)
def test_activity_factors(level: str, factor: float) -> None:
    c = calculate(person(activity_level=level), AS_OF)
    bmr = half_up(10 * 80 + 6.25 * 180 - 5 * 30 + 5)
    assert c.tdee_kcal.value == half_up(bmr * factor)
    assert "convention" in c.tdee_kcal.explanation


@pytest.mark.parametrize(
    ("goal", "change"),
    [
        ("fat_loss", -500),
        ("muscle_gain", 300),
        ("maintenance", 0),
        ("performance", 0),
        ("general_health", 0),
    ],
)
def test_goal_adjustment_for_adults(goal: str, change: int) -> None:
    c = calculate(person(goal=goal), AS_OF)
    assert c.goal_adjustment_kcal.value == change
    assert c.target_kcal.value == c.tdee_kcal.value + change


@pytest.mark.parametrize("goal", ["fat_loss", "muscle_gain"])
def test_no_deficit_or_surplus_under_18(goal: str) -> None:
    teen = person(age=15, weight_kg=60, height_cm=170, client_type="youth", goal=goal)
    c = calculate(teen, AS_OF)
    assert c.goal_adjustment_kcal.value == 0
    assert c.target_kcal.value == half_up(half_up(17.686 * 60 + 658.2) * 1.55)
    assert not c.floor_applied


def test_womens_floor_is_applied_last_and_reported() -> None:
    woman = person(
        sex="female",
        age=70,
        weight_kg=60,
        height_cm=160,
        activity_level="sedentary",
        goal="fat_loss",
    )
    c = calculate(woman, AS_OF)
    computed = half_up(half_up(10 * 60 + 6.25 * 160 - 5 * 70 - 161) * 1.2) - 500
    assert computed < 1200
    assert c.target_kcal.value == 1200
    assert c.floor_applied
    assert c.floor_reason is not None and f"{computed:,}" in c.floor_reason


def test_mens_floor_is_1500() -> None:
    man = person(
        age=70, weight_kg=55, height_cm=160, activity_level="sedentary", goal="fat_loss"
    )
    c = calculate(man, AS_OF)
    assert half_up(half_up(10 * 55 + 6.25 * 160 - 5 * 70 + 5) * 1.2) - 500 < 1500
    assert c.target_kcal.value == 1500
    assert c.floor_applied


def test_no_floor_when_the_target_is_above_it() -> None:
    c = calculate(person(goal="fat_loss"), AS_OF)
    assert not c.floor_applied
    assert c.floor_reason is None


# --- BMI and reference weight -------------------------------------------------------


def test_bmi_has_one_decimal_and_a_who_class() -> None:
    c = calculate(person(), AS_OF)
    assert c.bmi.value == 24.7  # 80 / 1.8^2 = 24.69...
    assert "normal weight" in c.bmi.explanation
    assert "athletes" in c.bmi.explanation


@pytest.mark.parametrize(
    ("bmi", "name"),
    [
        (18.4, "underweight"),
        (18.5, "normal weight"),
        (24.9, "normal weight"),
        (25.0, "overweight"),
        (29.9, "overweight"),
        (30.0, "obesity class I"),
        (35.0, "obesity class II"),
        (40.0, "obesity class III"),
    ],
)
def test_who_adult_classes(bmi: float, name: str) -> None:
    assert formulas.bmi_class(bmi, 30) == name


def test_no_adult_bmi_class_under_18() -> None:
    teen = person(age=15, weight_kg=90, height_cm=160, client_type="youth")
    c = calculate(teen, AS_OF)
    assert formulas.bmi_class(c.bmi.value, 15) is None
    assert "percentile" in c.bmi.explanation
    for word in ("obesity", "overweight", "normal weight", "underweight"):
        assert word not in c.bmi.explanation


def test_reference_weight_is_body_weight_below_bmi_30() -> None:
    assert calculate(person(), AS_OF).reference_weight_kg.value == 80


def test_reference_weight_is_the_bmi_25_weight_from_bmi_30() -> None:
    c = calculate(person(age=40, weight_kg=120, height_cm=175), AS_OF)
    assert c.bmi.value == round(120 / 1.75**2, 1)
    assert c.reference_weight_kg.value == round(25 * 1.75**2, 1)
    assert "convention" in c.reference_weight_kg.explanation


# --- macronutrients ---------------------------------------------------------------


def test_fat_loss_beginner_protein_fat_and_carbohydrate() -> None:
    c = calculate(person(goal="fat_loss"), AS_OF)
    target = half_up(half_up(10 * 80 + 6.25 * 180 - 5 * 30 + 5) * 1.55) - 500
    protein = half_up(1.0 * round(80 / LB, 1))
    fat = half_up(0.25 * target / 9)
    assert c.target_kcal.value == target
    assert c.protein_g.value == protein
    assert c.fat_g.value == fat
    assert c.carbs_g.value == half_up((target - 4 * protein - 9 * fat) / 4)


def test_advanced_muscle_gain_protein_is_at_the_top_of_the_range() -> None:
    c = calculate(person(goal="muscle_gain", training_experience="advanced"), AS_OF)
    assert c.protein_g.value == half_up(1.2 * round(80 / LB, 1))


def test_maintenance_beginner_protein_is_at_the_bottom_and_fat_at_30() -> None:
    c = calculate(person(), AS_OF)
    target = half_up(half_up(10 * 80 + 6.25 * 180 - 5 * 30 + 5) * 1.55)
    assert c.protein_g.value == half_up(0.8 * round(80 / LB, 1))
    assert c.fat_g.value == half_up(0.30 * target / 9)


def test_protein_at_bmi_30_uses_the_reference_weight() -> None:
    c = calculate(person(age=40, weight_kg=120, height_cm=175), AS_OF)
    reference = round(25 * 1.75**2, 1)
    assert c.protein_g.value == half_up(0.8 * round(reference / LB, 1))


def test_older_adult_protein_meets_espen() -> None:
    c = calculate(person(sex="female", age=70, weight_kg=60, height_cm=160), AS_OF)
    assert c.protein_g.value == half_up(0.8 * round(60 / LB, 1))
    assert c.protein_g.value >= 1.2 * 60
    assert c.protein_g.source == "espen_older"
    assert "ESPEN" in c.protein_g.explanation


def test_teen_protein_is_a_share_of_energy_not_grams_per_lb() -> None:
    boy = person(age=15, weight_kg=60, height_cm=170, client_type="youth")
    c = calculate(boy, AS_OF)
    target = half_up(half_up(17.686 * 60 + 658.2) * 1.55)
    assert c.protein_g.value == half_up(0.15 * target / 4)
    assert c.fat_g.value == half_up(0.30 * target / 9)
    assert "10-30 %" in c.protein_g.explanation


def test_keto_caps_carbohydrate_at_50_g_and_fat_fills_the_rest() -> None:
    c = calculate(person(goal="fat_loss", diet_type="keto"), AS_OF)
    target = half_up(half_up(10 * 80 + 6.25 * 180 - 5 * 30 + 5) * 1.55) - 500
    protein = half_up(1.0 * round(80 / LB, 1))
    assert c.carbs_g.value == 50
    assert c.fat_g.value == half_up((target - 4 * protein - 4 * 50) / 9)
    assert "convention" in c.carbs_g.explanation


def test_fat_gives_way_to_its_25_percent_floor_before_carbohydrate() -> None:
    protein = formulas.WholeCalculation(
        value=280, unit="g/day", formula="", explanation="", source="issn_protein"
    )
    split = formulas.macro_split(1500, protein, Goal.MAINTENANCE, DietType.OMNIVORE, 40)
    # 30 % fat would be round(1500 * 0.30 / 9) = 50 g; 4 x 280 + 9 x 50 > 1500.
    assert split.fat_g.value == half_up(0.25 * 1500 / 9)
    assert split.carbs_g.value == half_up((1500 - 4 * 280 - 9 * 42) / 4)
    assert any("Fat lowered" in n for n in split.notes)


def test_carbohydrate_is_never_negative_and_protein_is_trimmed_to_fit() -> None:
    protein = formulas.WholeCalculation(
        value=250, unit="g/day", formula="", explanation="", source="issn_protein"
    )
    split = formulas.macro_split(1200, protein, Goal.FAT_LOSS, DietType.OMNIVORE, 40)
    fat = half_up(0.25 * 1200 / 9)
    assert split.fat_g.value == fat
    assert split.protein_g.value == (1200 - 9 * fat) // 4
    assert split.carbs_g.value >= 0
    assert any("trimmed" in n for n in split.notes)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"goal": "fat_loss"},
        {"sex": "female", "age": 70, "weight_kg": 60, "height_cm": 160},
        {
            "sex": "female",
            "age": 95,
            "weight_kg": 102,
            "height_cm": 185,
            "goal": "fat_loss",
            "training_experience": "advanced",
            "activity_level": "sedentary",
        },
        {"age": 15, "weight_kg": 60, "height_cm": 170, "client_type": "youth"},
        {"goal": "muscle_gain", "diet_type": "keto"},
        {
            "age": 40,
            "weight_kg": 200,
            "height_cm": 215,
            "activity_level": "extra_active",
        },
    ],
)
def test_macro_calories_add_up_to_the_target_within_3_percent(
    changes: dict[str, Any],
) -> None:
    c = calculate(person(**changes), AS_OF)
    target = c.target_kcal.value
    assert abs(
        4 * c.protein_g.value + 4 * c.carbs_g.value + 9 * c.fat_g.value - target
    ) <= (0.03 * target)
    assert c.carbs_g.value >= 0 and c.fat_g.value >= 0


def test_whole_numbers_are_ints_and_bmi_has_one_decimal() -> None:
    c = calculate(person(goal="fat_loss"), AS_OF)
    for calc in (
        c.bmr_kcal,
        c.tdee_kcal,
        c.target_kcal,
        c.protein_g,
        c.fat_g,
        c.carbs_g,
    ):
        assert type(calc.value) is int
    assert c.bmi.value == round(c.bmi.value, 1)


def test_rounding_is_half_up() -> None:
    assert formulas.whole(2.5) == 3
    assert formulas.whole(1780.5) == 1781
    assert formulas.round_half_up(24.95, 1) == 25.0


# --- water, fluid and athletes ------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "total", "drinks"),
    [
        ({}, 3.7, 3.0),
        ({"sex": "female"}, 2.7, 2.2),
        (
            {"age": 15, "weight_kg": 60, "height_cm": 170, "client_type": "youth"},
            3.3,
            2.6,
        ),
        (
            {
                "sex": "female",
                "age": 16,
                "weight_kg": 55,
                "height_cm": 160,
                "client_type": "youth",
            },
            2.3,
            1.8,
        ),
        (
            {
                "sex": "female",
                "age": 12,
                "weight_kg": 40,
                "height_cm": 150,
                "client_type": "youth",
            },
            2.1,
            1.6,
        ),
    ],
)
def test_water_follows_iom_2004(
    changes: dict[str, Any], total: float, drinks: float
) -> None:
    c = calculate(person(**changes), AS_OF)
    assert c.water.value == total
    assert c.drinks.value == drinks
    assert c.water.source == "iom_water"


def test_fluid_loss_limit_is_2_percent_of_body_mass() -> None:
    c = calculate(person(), AS_OF)
    assert c.fluid_loss_limit_kg.value == round(0.02 * 80, 1)
    assert "1.25-1.5 L" in c.fluid_loss_limit_kg.explanation


def test_athletes_get_the_carbohydrate_range_for_their_training_load() -> None:
    athlete = person(
        client_type="athlete",
        sport="soccer",
        season_phase="in_season",
        session_minutes=60,
    )
    c = calculate(athlete, AS_OF)
    assert c.athlete_carbs is not None
    assert f"{5 * 80}-{7 * 80} g" in c.athlete_carbs.explanation
    assert calculate(person(), AS_OF).athlete_carbs is None


def test_every_calculation_names_a_catalogued_source() -> None:
    c = calculate(person(body_fat_percent=20, goal="muscle_gain"), AS_OF)
    for name, value in c:
        if isinstance(value, Calculation):
            assert value.source in known_keys(), name


def test_activity_level_names_map_to_their_own_factor() -> None:
    assert formulas.ACTIVITY_FACTORS == {
        ActivityLevel.SEDENTARY: 1.2,
        ActivityLevel.LIGHTLY_ACTIVE: 1.375,
        ActivityLevel.MODERATELY_ACTIVE: 1.55,
        ActivityLevel.VERY_ACTIVE: 1.725,
        ActivityLevel.EXTRA_ACTIVE: 1.9,
    }
