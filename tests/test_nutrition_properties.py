"""Properties every nutrition packet keeps, for any valid intake it applies to.

Each property runs on its own examples (about 1,800 intakes in all per run);
generating an intake costs more than the packet, so the counts keep the
file near half a minute.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from packetstudio.generators.eligibility import applies
from packetstudio.generators.nutrition import NutritionPacket, generate
from packetstudio.intake import Intake
from packetstudio.library import Food, load_library
from packetstudio.library.models import FoodTag
from packetstudio.vocabulary import DietType, PacketType
from tests.strategies import AS_OF, intakes

LIBRARY = load_library()
PROPERTY = settings(
    max_examples=450,
    deadline=None,
)
ELIGIBLE: st.SearchStrategy[Intake] = intakes().filter(
    lambda intake: applies(PacketType.NUTRITION, intake, AS_OF)
)
_DIET_TAG = {
    DietType.VEGAN: FoodTag.VEGAN,
    DietType.VEGETARIAN: FoodTag.VEGETARIAN,
    DietType.PESCATARIAN: FoodTag.PESCATARIAN,
}
_AVOIDED_IDS = {
    "banana": {"banana"},
    "broccoli": {"broccoli_raw", "broccoli_boiled"},
    "salmon": {"salmon_atlantic_farmed", "salmon_atlantic_wild"},
    "oats": {"oats_dry"},
}


def plan_foods(made: NutritionPacket) -> list[Food]:
    return [
        LIBRARY.food(p.food_id)
        for day in made.meal_plan
        for meal in day.meals
        for p in meal.portions
    ]


def forbidden_tags(intake: Intake) -> set[FoodTag]:
    tags = {FoodTag(a.value) for a in intake.allergies}
    if intake.diet_type in {DietType.HALAL, DietType.KOSHER}:
        tags.add(FoodTag.PORK)
    if intake.diet_type is DietType.KOSHER:
        tags.add(FoodTag.SHELLFISH)
    return tags


@PROPERTY
@given(ELIGIBLE)
def test_every_eligible_intake_gets_a_complete_packet(intake: Intake) -> None:
    made = generate(intake, LIBRARY, AS_OF)
    assert len(made.meal_plan) == 7
    assert len(made.meal_times) == intake.meals_per_day
    assert made.shopping_list
    assert made.sources


@PROPERTY
@given(ELIGIBLE)
def test_every_restriction_holds(intake: Intake) -> None:
    foods = plan_foods(generate(intake, LIBRARY, AS_OF))
    required = _DIET_TAG.get(intake.diet_type)
    forbidden = forbidden_tags(intake)
    avoided = set().union(*(_AVOIDED_IDS[t] for t in intake.foods_to_avoid))
    for food in foods:
        assert required is None or required in food.tags, food.id
        assert not forbidden & set(food.tags), food.id
        assert food.id not in avoided
        if intake.diet_type is DietType.KETO:
            assert food.carbs_g <= 10 or 4 * food.carbs_g <= 0.2 * food.kcal, food.id


@PROPERTY
@given(ELIGIBLE)
def test_macro_calories_add_up_to_the_target(intake: Intake) -> None:
    c = generate(intake, LIBRARY, AS_OF).calculations
    target = c.target_kcal.value
    macros = 4 * c.protein_g.value + 4 * c.carbs_g.value + 9 * c.fat_g.value
    assert abs(macros - target) <= 0.03 * target
    assert min(c.protein_g.value, c.carbs_g.value, c.fat_g.value) >= 0


@PROPERTY
@given(ELIGIBLE)
def test_each_plan_day_is_within_10_percent_of_the_targets(intake: Intake) -> None:
    made = generate(intake, LIBRARY, AS_OF)
    target = made.calculations.target_kcal.value
    protein = made.calculations.protein_g.value
    for day in made.meal_plan:
        portions = [p for meal in day.meals for p in meal.portions]
        kcal = sum(LIBRARY.food(p.food_id).kcal * p.grams / 100 for p in portions)
        grams = sum(LIBRARY.food(p.food_id).protein_g * p.grams / 100 for p in portions)
        assert abs(kcal - target) <= 0.10 * target, day.day
        assert abs(grams - protein) <= 0.10 * protein, day.day
