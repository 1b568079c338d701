"""The 7-day sample plan: each day within 10 % of the energy and protein.

Each meal takes produce first, then a protein food, a starch and a fat from
the week's palette, solved for the meal's share of what is still to eat
that day. Food values come from the library per 100 g, never recomputed
with 4/4/9.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import TypeAdapter

from packetstudio.generators.base import ContentModel, NotApplicable
from packetstudio.generators.foods import FoodFacts, Foods
from packetstudio.generators.formulas import Calculations
from packetstudio.generators.mealtimes import MealSlot
from packetstudio.generators.palette import Palette, Rotation, palette
from packetstudio.generators.portions import (
    Amounts,
    Portions,
    Rounded,
    amounts,
    rounded,
    solve,
)
from packetstudio.library.models import FoodTag
from packetstudio.vocabulary import DietType

DAYS = 7
PLAN_TOLERANCE = 0.10

# Within a meal, the protein food should be denser, and the starch and fat
# leaner, than the protein share the meal needs, by these factors.
_DENSER, _LEANER = 1.2, 0.8
# Produce takes at most this share of a meal's energy.
_PRODUCE_SHARE = 0.2


class Portion(ContentModel):
    """A food in a planned meal, with its values from the library."""

    food_id: str
    name: str
    grams: int
    state: str
    kcal: float
    protein_g: float
    carbs_g: float
    fat_g: float


class PlannedMeal(ContentModel):
    """One meal of the sample plan and its totals."""

    name: str
    time: str
    portions: list[Portion]
    kcal: float
    protein_g: float
    carbs_g: float
    fat_g: float


class PlanDay(ContentModel):
    """One day of the sample plan and its totals."""

    day: int
    meals: list[PlannedMeal]
    kcal: float
    protein_g: float
    carbs_g: float
    fat_g: float


# --- choosing a meal's foods -------------------------------------------------


def _is_meat(facts: FoodFacts | None) -> bool:
    return facts is not None and FoodTag.PESCATARIAN not in facts.tags


def _is_morning(slot: MealSlot) -> bool:
    return slot.name.startswith(("Breakfast", "Early", "Mid-morning"))


def _is_snack(slot: MealSlot) -> bool:
    return "snack" in slot.name.lower()


def _produce(foods: Palette, slot: MealSlot) -> FoodFacts | None:
    """Pick fruit for breakfast and snacks, else (and on keto) vegetables."""
    light = _is_morning(slot) or _is_snack(slot)
    wanted = foods.vegetable if foods.keto or not light else foods.fruit
    return wanted.next() or foods.vegetable.next() or foods.fruit.next()


def _produce_grams(produce: FoodFacts, goal: Amounts) -> int:
    """Return a typical portion of produce, at most a fifth of the energy."""
    if goal.kcal <= 0:
        return 0
    grams = min(produce.food.portion_g, _PRODUCE_SHARE * goal.kcal / produce.kcal)
    return int(grams / 5 + 0.5) * 5


def _leanest(
    rotation: Rotation, accept: Callable[[FoodFacts], bool]
) -> FoodFacts | None:
    """Return the food with the least protein per kcal that ``accept`` takes."""
    foods = [f for f in rotation.foods if accept(f)]
    return min(foods, key=lambda f: f.protein_share) if foods else None


def _main_foods(
    foods: Palette, slot: MealSlot, share: float
) -> tuple[FoodFacts | None, FoodFacts | None, FoodFacts | None]:
    """Pick the protein food, starch and fat for a meal needing ``share``.

    ``share`` is the protein share of energy left to reach once produce is
    counted. No mix can reach it unless the protein food is denser and the
    starch or fat leaner, so those are preferred, with a margin. Snacks have
    no starch.
    """
    light = _is_morning(slot) or _is_snack(slot)
    proteins = foods.morning_protein if light else foods.main_protein
    dense = proteins.next(lambda f: f.protein_share > _DENSER * share)
    densest = max(proteins.foods, key=lambda f: f.protein_share, default=None)
    protein = dense or densest
    starch = None if _is_snack(slot) else _starch(foods, slot, share)
    return protein, starch, _fat(foods, protein, share)


def _starch(foods: Palette, slot: MealSlot, share: float) -> FoodFacts | None:
    """Pick a starch leaner in protein than ``share``, or the leanest one."""
    starches = foods.morning_starch if _is_morning(slot) else foods.main_starch
    lean = starches.next(lambda f: f.protein_share < _LEANER * share)
    return lean or _leanest(starches, lambda _: True)


def _fat(foods: Palette, protein: FoodFacts | None, share: float) -> FoodFacts | None:
    """Pick a fat leaner in protein than ``share``, or the leanest one."""
    # Kosher practice keeps meat and dairy apart within a meal.
    no_dairy = foods.kosher and _is_meat(protein)

    def fits(facts: FoodFacts) -> bool:
        return not (no_dairy and FoodTag.DAIRY in facts.tags)

    fat = foods.fat.next(lambda f: fits(f) and f.protein_share < _LEANER * share)
    return fat or _leanest(foods.fat, fits)


def _meal(foods: Palette, slot: MealSlot, goal: Amounts) -> Rounded:
    """Choose one meal's foods; return their rounded portions for ``goal``."""
    fixed: Portions = []
    produce = _produce(foods, slot)
    if produce is not None:
        fixed.append((produce, _produce_grams(produce, goal)))
    rest = goal.minus(amounts(fixed))
    share = 4 * rest.protein / rest.kcal if rest.kcal > 0 else 1.0
    protein, starch, fat = _main_foods(foods, slot, share)
    solved: Portions = []
    if protein or starch or fat:
        solved = solve(rest, protein, starch, fat)
    return rounded([*solved, *fixed])


# --- the days ----------------------------------------------------------------

# The plan is assembled as plain data and validated in one call at the end:
# a hundred-odd small models a packet cost twice as much built one by one.
_Data = dict[str, object]
_PLAN: TypeAdapter[list[PlanDay]] = TypeAdapter(list[PlanDay])


def _totals(eaten: Amounts) -> _Data:
    return {
        "kcal": round(eaten.kcal, 1),
        "protein_g": round(eaten.protein, 1),
        "carbs_g": round(eaten.carbs, 1),
        "fat_g": round(eaten.fat, 1),
    }


def _portion(facts: FoodFacts, grams: int) -> _Data:
    food = facts.food
    return {
        "food_id": food.id,
        "name": food.name,
        "grams": grams,
        "state": food.state,
        "kcal": round(facts.kcal * grams, 1),
        "protein_g": round(facts.protein * grams, 1),
        "carbs_g": round(facts.carbs * grams, 1),
        "fat_g": round(facts.fat * grams, 1),
    }


def _day(
    number: int, slots: Sequence[MealSlot], foods: Palette, day_goal: Amounts
) -> _Data:
    """Build one day; each meal aims at its share of what is still to eat.

    Aiming at the remainder lets later meals absorb earlier rounding.
    """
    remaining, remaining_share = day_goal, 100.0
    meals: list[_Data] = []
    for slot in slots:
        goal = remaining.times(slot.share_percent / remaining_share)
        portions = _meal(foods, slot, goal)
        eaten = amounts(portions)
        remaining = remaining.minus(eaten)
        remaining_share -= slot.share_percent
        meals.append(
            {
                "name": slot.name,
                "time": slot.time,
                "portions": [_portion(f, g) for f, g in portions],
                **_totals(eaten),
            }
        )
    return {"day": number, "meals": meals, **_totals(day_goal.minus(remaining))}


def _within(value: float, target: float) -> bool:
    return abs(value - target) <= PLAN_TOLERANCE * target


def meal_plan(
    calculations: Calculations,
    slots: Sequence[MealSlot],
    allowed: Foods,
    seed: int,
    diet: DietType,
) -> list[PlanDay]:
    """Return seven days whose energy and protein are within 10 % of target.

    Raises:
        NotApplicable: if the allowed foods cannot reach the targets.
    """
    c = calculations
    target, protein = c.target_kcal.value, c.protein_g.value
    day_goal = Amounts(target, protein, c.carbs_g.value, c.fat_g.value)
    foods = palette(allowed, 4 * protein / target, seed, diet)
    days = _PLAN.validate_python(
        [_day(n, slots, foods, day_goal) for n in range(1, DAYS + 1)]
    )
    if all(_within(d.kcal, target) and _within(d.protein_g, protein) for d in days):
        return days
    raise NotApplicable(
        f"The food restrictions leave too few foods to plan {target:,} kcal and "
        f"{protein:,} g of protein a day within 10 %."
    )
