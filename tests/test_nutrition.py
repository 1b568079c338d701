"""Nutrition packets: restrictions, meal timing, the plan, shopping and tips."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from packetstudio.generators import NotApplicable, generate
from packetstudio.generators.nutrition import (
    NutritionPacket,
    food_index,
    is_low_carb,
    normalize_struggle,
    term_words,
)
from packetstudio.generators.nutrition import generate as generate_nutrition
from packetstudio.generators.sources import known_keys
from packetstudio.intake import Intake, parse_intake
from packetstudio.library import Food, Library, load_library
from packetstudio.library.models import FoodTag
from packetstudio.vocabulary import Allergen, PacketType

LIBRARY = load_library()
AS_OF = date(2026, 12, 3)


def client(**changes: Any) -> Intake:
    raw: dict[str, Any] = {
        "full_name": "Maria Lopez",
        "sex": "female",
        "age": 35,
        "height_cm": 165,
        "weight_kg": 65,
        "client_type": "general",
        "goal": "fat_loss",
        "activity_level": "moderately_active",
        "meals_per_day": 4,
    }
    raw.update(changes)
    if raw.get("client_type") == "youth":
        raw.setdefault("guardian_name", "Pat Guardian")
    return parse_intake(raw)


def packet(intake: Intake, library: Library = LIBRARY) -> NutritionPacket:
    return generate_nutrition(intake, library, AS_OF)


def plan_foods(made: NutritionPacket) -> list[Food]:
    return [
        LIBRARY.food(p.food_id)
        for day in made.meal_plan
        for meal in day.meals
        for p in meal.portions
    ]


def tags_in_plan(made: NutritionPacket) -> set[FoodTag]:
    return {tag for food in plan_foods(made) for tag in food.tags}


# --- restrictions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("diet", "tag"),
    [
        ("vegan", FoodTag.VEGAN),
        ("vegetarian", FoodTag.VEGETARIAN),
        ("pescatarian", FoodTag.PESCATARIAN),
    ],
)
def test_diet_plans_use_only_foods_tagged_for_the_diet(diet: str, tag: FoodTag) -> None:
    made = packet(client(diet_type=diet))
    assert all(tag in food.tags for food in plan_foods(made))


def test_halal_plan_has_no_pork() -> None:
    assert FoodTag.PORK not in tags_in_plan(packet(client(diet_type="halal")))


def test_kosher_plan_has_no_pork_or_shellfish() -> None:
    tags = tags_in_plan(packet(client(diet_type="kosher")))
    assert FoodTag.PORK not in tags
    assert FoodTag.SHELLFISH not in tags


def butter_or_oil_library() -> Library:
    """Real library foods where butter is the only alternative to olive oil."""
    ids = {
        "chicken_breast_roasted",
        "beef_top_round_grilled",
        "white_rice_cooked",
        "potato_boiled",
        "broccoli_boiled",
        "apple",
        "butter",
        "olive_oil",
    }
    foods = tuple(f for f in LIBRARY.foods if f.id in ids)
    return Library(LIBRARY.version, LIBRARY.exercises, foods, LIBRARY.sports)


def meals_with_meat_and_dairy(made: NutritionPacket, library: Library) -> int:
    count = 0
    for day in made.meal_plan:
        for meal in day.meals:
            tags = [set(library.food(p.food_id).tags) for p in meal.portions]
            meat = any(FoodTag.PESCATARIAN not in t for t in tags)
            count += meat and any(FoodTag.DAIRY in t for t in tags)
    return count


def test_kosher_meals_keep_meat_and_dairy_apart() -> None:
    library = butter_or_oil_library()
    omnivore = packet(client(meals_per_day=3), library)
    kosher = packet(client(meals_per_day=3, diet_type="kosher"), library)
    assert meals_with_meat_and_dairy(omnivore, library) > 0
    assert meals_with_meat_and_dairy(kosher, library) == 0


def test_keto_plan_uses_only_low_carbohydrate_foods() -> None:
    made = packet(client(diet_type="keto"))
    index = food_index(LIBRARY)
    assert all(is_low_carb(index.by_id[f.id]) for f in plan_foods(made))
    assert not any(f.role.value == "starch" for f in plan_foods(made))


@pytest.mark.parametrize("allergen", list(Allergen))
def test_each_allergy_excludes_foods_with_its_tag(allergen: Allergen) -> None:
    for diet in ("omnivore", "vegan"):
        made = packet(client(diet_type=diet, allergies=[allergen.value]))
        assert FoodTag(allergen.value) not in tags_in_plan(made)


def test_many_restrictions_at_once_still_give_a_plan() -> None:
    made = packet(client(diet_type="vegan", allergies=[a.value for a in Allergen]))
    assert not {FoodTag(a.value) for a in Allergen} & tags_in_plan(made)
    assert all(FoodTag.VEGAN in f.tags for f in plan_foods(made))


@pytest.mark.parametrize(
    ("term", "food_id"),
    [
        ("oats", "oats_dry"),
        ("banana", "banana"),
        ("bananas", "banana"),
        ("strawberry", "strawberries"),
        ("Broccoli", "broccoli_raw"),
        ("broccoli", "broccoli_boiled"),
        ("peanut butter", "peanut_butter"),
        ("salmon", "salmon_atlantic_wild"),
    ],
)
def test_foods_to_avoid_match_whole_words_singular_or_plural(
    term: str, food_id: str
) -> None:
    assert term_words(term) <= food_index(LIBRARY).by_id[food_id].words


@pytest.mark.parametrize(
    ("term", "food_id"),
    [
        ("egg", "eggplant_raw"),
        ("pea", "peanuts"),
        ("oat", "coconut_oil"),
        ("peanut butter", "peanuts"),
    ],
)
def test_foods_to_avoid_never_match_part_of_a_word(term: str, food_id: str) -> None:
    assert not term_words(term) <= food_index(LIBRARY).by_id[food_id].words


def test_foods_to_avoid_are_left_out_of_the_plan() -> None:
    avoid = ["oats", "bananas", "broccoli", "salmon", "egg"]
    for name in ("Maria Lopez", "Tom Becker", "Aiko Tanaka"):
        made = packet(client(full_name=name, foods_to_avoid=avoid, meals_per_day=5))
        ids = {f.id for f in plan_foods(made)}
        assert not ids & {
            "oats_dry",
            "banana",
            "broccoli_raw",
            "broccoli_boiled",
            "salmon_atlantic_farmed",
            "salmon_atlantic_wild",
            "egg_whole",
            "egg_white",
            "egg_hard_boiled",
            "egg_noodles_cooked",
        }


def test_restrictions_are_listed_in_words() -> None:
    made = packet(client(diet_type="halal", allergies=["soy"], foods_to_avoid=["oats"]))
    text = " ".join(made.restrictions)
    assert "pork" in text.lower()
    assert "soy" in text
    assert "Oats, rolled, dry" in text


def test_a_diet_the_library_cannot_feed_is_refused_with_the_reason() -> None:
    meat_only = tuple(f for f in LIBRARY.foods if FoodTag.PESCATARIAN not in f.tags)
    library = Library(LIBRARY.version, LIBRARY.exercises, meat_only, LIBRARY.sports)
    with pytest.raises(NotApplicable, match="vegan"):
        packet(client(diet_type="vegan"), library)


def test_protein_is_lowered_and_explained_when_the_diet_cannot_reach_it() -> None:
    made = packet(client(diet_type="vegan", allergies=["soy"]))
    c = made.calculations
    assert any("protein-dense" in note for note in c.notes)
    assert "soy" in c.protein_g.explanation
    for day in made.meal_plan:
        assert abs(day.protein_g - c.protein_g.value) <= 0.10 * c.protein_g.value


# --- meal timing ------------------------------------------------------------------


def test_meals_around_a_0630_workout() -> None:
    made = packet(client(preferred_workout_time="06:30", session_minutes=45))
    slots = {s.workout_role: s for s in made.meal_times}
    assert slots["pre-workout"].time == "05:30"  # 1 h before: 90 min is before 05:30
    assert slots["post-workout"].time == "07:45"  # 30 min after 07:15
    assert made.workout_time == "06:30"


def test_meals_around_an_evening_workout() -> None:
    made = packet(client(preferred_workout_time="evening", session_minutes=60))
    slots = {s.workout_role: s for s in made.meal_times}
    assert made.workout_time == "18:00"
    assert slots["pre-workout"].time == "16:30"
    assert slots["post-workout"].time == "19:30"
    assert "Dinner" in slots["post-workout"].name


def test_a_clock_workout_time_is_used_as_given() -> None:
    made = packet(client(preferred_workout_time="19:45", session_minutes=45))
    slots = {s.workout_role: s for s in made.meal_times}
    assert slots["pre-workout"].time == "18:15"
    assert slots["post-workout"].time == "21:00"


def test_without_a_workout_meals_spread_from_7_to_20() -> None:
    made = packet(client(meals_per_day=3))
    assert [s.time for s in made.meal_times] == ["07:00", "13:30", "20:00"]
    assert all(s.workout_role is None for s in made.meal_times)


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
def test_meal_count_and_shares(count: int) -> None:
    made = packet(client(meals_per_day=count, preferred_workout_time="midday"))
    assert len(made.meal_times) == count
    assert sum(s.share_percent for s in made.meal_times) == 100
    times = [s.time for s in made.meal_times]
    assert times == sorted(times)
    assert len(set(times)) == count
    assert all(len(day.meals) == count for day in made.meal_plan)


# --- the plan -------------------------------------------------------------------------


def test_plan_days_are_within_10_percent_using_library_values() -> None:
    made = packet(client(meals_per_day=5))
    target, protein = (
        made.calculations.target_kcal.value,
        made.calculations.protein_g.value,
    )
    assert len(made.meal_plan) == 7
    for day in made.meal_plan:
        portions = [p for meal in day.meals for p in meal.portions]
        kcal = sum(LIBRARY.food(p.food_id).kcal * p.grams / 100 for p in portions)
        grams = sum(LIBRARY.food(p.food_id).protein_g * p.grams / 100 for p in portions)
        assert abs(kcal - target) <= 0.10 * target
        assert abs(grams - protein) <= 0.10 * protein


def test_plan_varies_across_days() -> None:
    made = packet(client())
    days = [
        tuple(p.food_id for m in d.meals for p in m.portions) for d in made.meal_plan
    ]
    assert len(set(days)) == 7


def test_same_intake_gives_the_same_packet() -> None:
    assert packet(client()) == packet(client())


def test_different_clients_may_get_different_plans() -> None:
    names = ["Maria Lopez", "Zoë Ångström", "Nguyễn Thị Minh", "Дмитрий Соколов"]
    plans = {packet(client(full_name=n)).meal_plan[0].model_dump_json() for n in names}
    assert len(plans) > 1


# --- shopping list ------------------------------------------------------------------


def test_shopping_list_totals_equal_the_plans_grams() -> None:
    made = packet(client(meals_per_day=5))
    planned: Counter[str] = Counter()
    for day in made.meal_plan:
        for meal in day.meals:
            for p in meal.portions:
                planned[p.food_id] += p.grams
    listed = {i.food_id: i.grams for g in made.shopping_list for i in g.items}
    assert listed == dict(planned)


def test_shopping_list_groups_foods_by_their_category() -> None:
    made = packet(client())
    for group in made.shopping_list:
        assert group.items
        for item in group.items:
            assert LIBRARY.food(item.food_id).category is group.category
            assert item.quantity


# --- tips --------------------------------------------------------------------------


def test_tips_for_known_struggles_in_any_spelling() -> None:
    made = packet(client(struggles=["Late night snacking", "eating-out", "BUDGET"]))
    assert [t.struggle for t in made.tips] == [
        "late_night_snacking",
        "eating_out",
        "budget",
    ]
    assert made.struggles_to_discuss == []


def test_unknown_struggles_are_listed_for_the_coach_not_substring_matched() -> None:
    made = packet(client(struggles=["time management", "something unusual", "time"]))
    assert [t.struggle for t in made.tips] == ["time"]
    assert made.struggles_to_discuss == ["time management", "something unusual"]


@pytest.mark.parametrize(
    "struggle",
    [
        "cravings",
        "time",
        "eating_out",
        "late_night_snacking",
        "motivation",
        "budget",
        "cooking_skills",
        "travel",
        "stress_eating",
        "alcohol",
        "hunger",
        "social_events",
    ],
)
def test_every_named_struggle_has_a_tip(struggle: str) -> None:
    made = packet(client(struggles=[struggle.replace("_", " ")]))
    assert [t.struggle for t in made.tips] == [struggle]


def test_struggle_keys_are_normalized() -> None:
    assert normalize_struggle("  Stress - Eating ") == "stress_eating"


# --- clearance, glance, sources ------------------------------------------------------


def test_no_clearance_for_a_healthy_adult() -> None:
    made = packet(client())
    assert not made.needs_clearance
    assert made.clearance_reasons == []


def test_medical_conditions_need_clearance() -> None:
    made = packet(client(medical_conditions=["type 2 diabetes"]))
    assert made.needs_clearance


def test_bmi_40_needs_clearance() -> None:
    made = packet(client(weight_kg=120, height_cm=170))
    assert made.calculations.bmi.value >= 40
    assert made.needs_clearance


def test_a_calorie_floor_needs_clearance() -> None:
    small = client(age=70, weight_kg=45, height_cm=150, activity_level="sedentary")
    made = packet(small)
    assert made.calculations.floor_applied
    assert made.needs_clearance
    assert made.calculations.floor_reason in made.clearance_reasons


def test_a_teen_wanting_fat_loss_is_referred_to_a_paediatric_clinician() -> None:
    teen = client(age=14, weight_kg=70, height_cm=160, client_type="youth")
    made = packet(teen)
    assert made.needs_clearance
    assert any("paediatric clinician" in r for r in made.clearance_reasons)
    assert made.calculations.goal_adjustment_kcal.value == 0


def test_at_a_glance_shows_the_days_numbers() -> None:
    made = packet(client())
    glance = {g.label: g.value for g in made.at_a_glance}
    c = made.calculations
    assert glance["Daily calories"] == f"{c.target_kcal.value:,} kcal"
    assert glance["Protein"] == f"{c.protein_g.value} g"
    assert glance["Carbohydrate"] == f"{c.carbs_g.value} g"
    assert glance["Fat"] == f"{c.fat_g.value} g"
    assert "L" in glance["Water"]
    assert glance["Meals per day"].startswith("4")


def test_sources_cover_every_number_shown() -> None:
    made = packet(client(body_fat_percent=25))
    keys = {s.key for s in made.sources}
    assert keys <= known_keys()
    for _, value in made.calculations:
        source = getattr(value, "source", None)
        if source is not None:
            assert source in keys
    assert "usda_fdc" in keys


def test_conventions_are_named() -> None:
    text = " ".join(packet(client(diet_type="keto")).conventions)
    assert "Activity factors" in text
    assert "0.8-1.2 g per lb" in text
    assert "50 g" in text


def test_the_dispatcher_makes_nutrition_packets_and_refuses_under_10() -> None:
    made = generate(PacketType.NUTRITION, client(), library=LIBRARY, as_of=AS_OF)
    assert isinstance(made, NutritionPacket)
    child = client(age=8, weight_kg=28, height_cm=128, client_type="youth")
    with pytest.raises(NotApplicable):
        generate(PacketType.NUTRITION, child, library=LIBRARY, as_of=AS_OF)
