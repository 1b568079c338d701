"""The week's shopping list: every food of the plan, by aisle, in grams."""

from __future__ import annotations

from collections.abc import Sequence

from packetstudio.generators import formulas
from packetstudio.generators.base import ContentModel
from packetstudio.generators.foods import food_index
from packetstudio.generators.mealplan import PlanDay
from packetstudio.library import Food, Library
from packetstudio.library.models import ShoppingCategory
from packetstudio.vocabulary import label

_AISLES = {
    ShoppingCategory.PRODUCE: "Fruit and vegetables",
    ShoppingCategory.MEAT_FISH: "Meat and fish",
    ShoppingCategory.DAIRY_EGGS: "Dairy and eggs",
    ShoppingCategory.GRAINS_BREAD: "Grains and bread",
    ShoppingCategory.LEGUMES_SOY: "Beans, lentils and soy",
    ShoppingCategory.NUTS_SEEDS: "Nuts and seeds",
    ShoppingCategory.OILS_CONDIMENTS: "Oils and condiments",
    ShoppingCategory.FROZEN: "Frozen",
    ShoppingCategory.PANTRY: "Pantry",
}


class ShoppingItem(ContentModel):
    """One food for the week, in grams and in words.

    Attributes:
        grams: the week's amount, weighed as ``state`` says.
        state: cooked, raw, dry or as sold.
        portions: about how many of ``portion`` that is; None for less than
            one.
        portion: a typical portion in words ("1 cup"), of ``portion_g`` grams.
        quantity: all of it in words, in metric units.
    """

    food_id: str
    name: str
    grams: int
    state: str
    portions: int | None
    portion: str
    portion_g: float
    quantity: str


class ShoppingGroup(ContentModel):
    """The shopping list's foods from one aisle."""

    category: ShoppingCategory
    label: str
    items: list[ShoppingItem]


def _portions(grams: int, food: Food) -> int | None:
    """Return about how many portions ``grams`` is; None for under one."""
    portions = grams / food.portion_g
    return None if portions < 0.75 else max(1, formulas.whole(portions))


def _quantity(grams: int, food: Food) -> str:
    """Return a quantity in words: "1.2 kg cooked, about 8 x 1 cup (158 g)"."""
    amount = f"{grams / 1000:.1f} kg" if grams >= 1000 else f"{grams} g"
    if food.state != "as sold":
        amount += f" {food.state}"
    portions = _portions(grams, food)
    if portions is None:
        return f"{amount}, less than {food.portion}"
    return f"{amount}, about {portions} x {food.portion}"


def _week_grams(plan: Sequence[PlanDay]) -> dict[str, int]:
    """Return the grams of each food over the plan, by food id."""
    grams: dict[str, int] = {}
    for day in plan:
        for meal in day.meals:
            for portion in meal.portions:
                grams[portion.food_id] = grams.get(portion.food_id, 0) + portion.grams
    return grams


def shopping_list(plan: Sequence[PlanDay], library: Library) -> list[ShoppingGroup]:
    """Return the week's foods grouped by aisle, with total grams of each."""
    grams = _week_grams(plan)
    by_id = food_index(library).by_id
    foods = sorted((by_id[i].food for i in grams), key=lambda f: f.name)
    groups: list[ShoppingGroup] = []
    for category in ShoppingCategory:
        items = [
            ShoppingItem(
                food_id=f.id,
                name=f.name,
                grams=grams[f.id],
                state=f.state,
                portions=_portions(grams[f.id], f),
                portion=f.portion_words,
                portion_g=f.portion_g,
                quantity=_quantity(grams[f.id], f),
            )
            for f in foods
            if f.category is category
        ]
        if items:
            aisle = _AISLES.get(category, label(category))
            groups.append(ShoppingGroup(category=category, label=aisle, items=items))
    return groups
