"""The week's palette: the few foods a client's 7-day plan is made from.

The variety across days is seeded from a SHA-256 hash of the client's name,
never from Python's ``hash()``, the clock or the global random generator,
so the same intake always gives the same foods.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from packetstudio.generators.foods import FoodFacts, Foods, protein_foods, with_role
from packetstudio.generators.stable import hash64
from packetstudio.intake import Intake
from packetstudio.library.models import MealRole, ShoppingCategory
from packetstudio.vocabulary import DietType

# Protein foods must be this much denser in protein than the day needs, so
# that a starch, a fat and produce still fit beside them.
_DENSITY_MARGIN = 1.1

# Weekly palette sizes: few enough for a practical shopping list, enough
# for a varied week.
_PALETTE = {
    "main_protein": 5,
    "morning_protein": 3,
    "main_starch": 4,
    "morning_starch": 2,
    "vegetable": 7,
    "fruit": 4,
    "fat": 4,
}

# Foods for main meals, then for the lighter morning and snack meals.
_Uses = tuple[list[FoodFacts], list[FoodFacts]]

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def client_seed(intake: Intake) -> int:
    """Return a stable 64-bit seed for the client: SHA-256 of the name."""
    return hash64(intake.full_name.encode("utf-8"))


def _seeded(foods: Iterable[FoodFacts], seed: int) -> list[FoodFacts]:
    """Return foods in a client-seeded order that is stable across runs.

    Each food's fixed rank (from SHA-256 of its id) is mixed with the seed,
    so two clients get different orders at the cost of one multiply a food.
    """
    return sorted(foods, key=lambda f: ((f.rank ^ seed) * _GOLDEN) & _MASK)


@dataclass
class Rotation:
    """A palette of foods handed out in turn."""

    foods: list[FoodFacts]
    turn: int = 0

    def next(
        self, accept: Callable[[FoodFacts], bool] = lambda _: True
    ) -> FoodFacts | None:
        """Return the next food that ``accept`` takes, or None."""
        for offset in range(len(self.foods)):
            facts = self.foods[(self.turn + offset) % len(self.foods)]
            if accept(facts):
                self.turn += offset + 1
                return facts
        return None


@dataclass
class Palette:
    """The week's foods by use, each handed out in turn."""

    main_protein: Rotation
    morning_protein: Rotation
    main_starch: Rotation
    morning_starch: Rotation
    vegetable: Rotation
    fruit: Rotation
    fat: Rotation
    keto: bool
    kosher: bool


def palette(allowed: Foods, protein_share: float, seed: int, diet: DietType) -> Palette:
    """Choose the week's foods: dense-enough proteins, starches, produce, fats.

    Dairy and eggs go to breakfast and snacks, quick starches (dry or as
    sold) to breakfast; each use falls back to the other when it is empty.
    """
    main, morning = _proteins(allowed, protein_share)
    cooked, quick = _starches(allowed)
    return Palette(
        main_protein=_rotation(main, "main_protein", seed + 1),
        morning_protein=_rotation(morning, "morning_protein", seed + 2),
        main_starch=_rotation(cooked, "main_starch", seed + 3),
        morning_starch=_rotation(quick, "morning_starch", seed + 4),
        vegetable=_rotation(
            with_role(allowed, MealRole.VEGETABLE), "vegetable", seed + 5
        ),
        fruit=_rotation(with_role(allowed, MealRole.FRUIT), "fruit", seed + 6),
        fat=_rotation(with_role(allowed, MealRole.FAT), "fat", seed + 7),
        keto=diet is DietType.KETO,
        kosher=diet is DietType.KOSHER,
    )


def _proteins(allowed: Foods, protein_share: float) -> _Uses:
    """Return the protein foods dense enough for main meals and for mornings.

    When none is dense enough, the densest one is used alone.
    """
    proteins = protein_foods(allowed)
    needed = _DENSITY_MARGIN * protein_share
    enough = [f for f in proteins if f.protein_share >= needed]
    if not enough:
        enough = [max(proteins, key=lambda f: f.protein_share)]
    morning = [f for f in enough if f.food.category is ShoppingCategory.DAIRY_EGGS]
    main = [f for f in enough if f not in morning] or morning
    return main, morning or main


def _starches(allowed: Foods) -> _Uses:
    """Return the starches for main meals (cooked) and for breakfast (quick)."""
    starches = with_role(allowed, MealRole.STARCH)
    quick = [f for f in starches if f.food.state in {"dry", "as sold"}]
    cooked = [f for f in starches if f not in quick] or quick
    return cooked, quick or cooked


def _rotation(foods: Sequence[FoodFacts], use: str, seed: int) -> Rotation:
    """Return the first foods in seeded order, as many as ``use`` takes."""
    chosen = _seeded(foods, seed)[: _PALETTE[use]]
    # The extreme food stays in reach: the densest protein food for
    # high-protein targets, the leanest starch or fat for low ones.
    pick = max if use.endswith("protein") else min
    extreme = pick(foods, key=lambda f: f.protein_share, default=None)
    if extreme is not None and extreme not in chosen:
        chosen.append(extreme)
    return Rotation(chosen)
