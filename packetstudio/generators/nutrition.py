"""Nutrition packets: daily targets, meal timing, a 7-day plan and shopping.

:func:`generate` turns an intake into a :class:`NutritionPacket`. The numbers
come from :mod:`packetstudio.generators.formulas`; the sample plan is built
from the food library with every restriction applied absolutely, and with
food values taken from the library per 100 g (never recomputed with 4/4/9).

Foods to avoid are matched by whole words: an avoided term excludes a food
when every word of the term appears as a whole word in the food's name or
its id, singular and plural alike. "oats" excludes "Oats, rolled, dry",
"banana" excludes "Bananas" and "bananas" excludes "Banana", but "egg" does
not exclude "Eggplant" and "pea" does not exclude "Peanuts".

The same intake, library and day always give the same packet: the variety
across days is seeded from a SHA-256 hash of the client's name, never from
Python's ``hash()``, the clock or the global random generator.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from pydantic import TypeAdapter

from packetstudio.generators import formulas
from packetstudio.generators.base import (
    GENERATOR_VERSION,
    ContentModel,
    GlanceItem,
    NotApplicable,
    PacketContent,
)
from packetstudio.generators.formulas import Calculations
from packetstudio.generators.sources import sources
from packetstudio.intake import Intake
from packetstudio.library import Food, Library
from packetstudio.library.models import FoodTag, MealRole, ShoppingCategory
from packetstudio.vocabulary import (
    Allergen,
    DietType,
    Goal,
    PacketType,
    WorkoutTime,
    label,
)

DAYS = 7
PLAN_TOLERANCE = 0.10
DAY_START, DAY_END = 7 * 60, 20 * 60
LATEST_MEAL = 23 * 60 + 45
WORKOUT_CLOCK = {
    WorkoutTime.MORNING: 7 * 60 + 30,
    WorkoutTime.MIDDAY: 12 * 60 + 30,
    WorkoutTime.EVENING: 18 * 60,
}
PRE_WORKOUT_MINUTES = 90
EARLIEST_PRE_WORKOUT = 5 * 60 + 30
POST_WORKOUT_MINUTES = 30

# A keto plan keeps foods with at most this much carbohydrate per 100 g, or
# at most this share of their energy from carbohydrate (nuts and seeds).
KETO_MAX_CARBS_G = 10.0
KETO_MAX_CARB_SHARE = 0.20

# Protein foods must be this much denser in protein than the day needs, so
# that a starch, a fat and produce still fit beside them.
_DENSITY_MARGIN = 1.1
# Within a meal, the protein food should be denser, and the starch and fat
# leaner, than the protein share the meal needs, by these factors.
_DENSER, _LEANER = 1.2, 0.8
# When a diet's densest protein food is below the target's protein share,
# protein is lowered to this fraction of that food's share (see notes).
_REACHABLE_SHARE = 0.9
# Produce takes at most this share of a meal's energy.
_PRODUCE_SHARE = 0.2
_LARGE_MEAL_KCAL = 1200

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

_DIET_TAG = {
    DietType.VEGAN: FoodTag.VEGAN,
    DietType.VEGETARIAN: FoodTag.VEGETARIAN,
    DietType.PESCATARIAN: FoodTag.PESCATARIAN,
}
_DIET_EXCLUDES = {
    DietType.HALAL: frozenset({FoodTag.PORK}),
    DietType.KOSHER: frozenset({FoodTag.PORK, FoodTag.SHELLFISH}),
}

_TIPS: dict[str, tuple[str, str]] = {
    "cravings": (
        "Cravings",
        "Plan one small treat a day instead of banning foods. Protein at every "
        "meal and enough sleep make cravings weaker.",
    ),
    "time": (
        "Short on time",
        "Cook in batches twice a week: a tray of protein, a pot of the plan's "
        "starch and a box of washed vegetables cover most meals.",
    ),
    "eating_out": (
        "Eating out",
        "Read the menu before you go. Pick a palm-sized grilled protein, "
        "vegetables and one starch, and ask for sauces on the side.",
    ),
    "late_night_snacking": (
        "Late-night snacking",
        "Keep the last meal of the plan in the evening, then close the "
        "kitchen: brush your teeth. If truly hungry, have a planned snack.",
    ),
    "motivation": (
        "Motivation",
        "Choose one small habit a week (protein at every meal, say), tick it "
        "off daily and review progress with your coach every two weeks.",
    ),
    "budget": (
        "Budget",
        "Frozen vegetables, canned fish or beans, eggs, rice and potatoes, "
        "where they fit your diet, cost less per meal and keep well.",
    ),
    "cooking_skills": (
        "Cooking skills",
        "Start with two or three repeatable meals: a tray-baked protein with "
        "vegetables, a pot of rice or potatoes, and a no-cook breakfast.",
    ),
    "travel": (
        "Travel",
        "Pack portable foods from your plan (fruit, nuts or canned fish where "
        "they fit), and order like the plan: protein, vegetables, one starch.",
    ),
    "stress_eating": (
        "Stress eating",
        "When the urge comes, pause for five minutes with a glass of water or "
        "a short walk, then decide. Write down what set it off.",
    ),
    "alcohol": (
        "Alcohol",
        "Alcohol adds about 7 kcal per gram outside the plan's numbers. Set a "
        "weekly limit, eat first and alternate each drink with water.",
    ),
    "hunger": (
        "Hunger",
        "Fill half the plate with vegetables, keep protein at every meal and "
        "drink water; move food into a snack if hunger comes between meals.",
    ),
    "social_events": (
        "Social events",
        "Eat a normal planned meal before you go, take protein and vegetables "
        "first, and decide on one or two extras in advance.",
    ),
}


# --- content models ----------------------------------------------------------


class MealSlot(ContentModel):
    """One meal of the day: its name, clock time and share of the energy.

    Attributes:
        time: 24-hour clock, "HH:MM".
        workout_role: "pre-workout", "post-workout" or None.
    """

    name: str
    time: str
    share_percent: int
    kcal: int
    workout_role: str | None = None


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


class ShoppingItem(ContentModel):
    """One food for the week, in grams and in words."""

    food_id: str
    name: str
    grams: int
    quantity: str


class ShoppingGroup(ContentModel):
    """The shopping list's foods from one aisle."""

    category: ShoppingCategory
    label: str
    items: list[ShoppingItem]


class Tip(ContentModel):
    """Adherence advice for one struggle the client named."""

    struggle: str
    title: str
    advice: str


class NutritionPacket(PacketContent):
    """A nutrition packet's content.

    Attributes:
        calculations: every number, each with its explanation and source.
        meal_times: when to eat, with any workout around which it is timed.
        meal_plan: seven sample days from the food library.
        restrictions: what the plan leaves out and why, in plain words.
        struggles_to_discuss: struggles with no tip, to talk over with the
            coach.
        notes: further remarks for the client (large meals, protein limits).
    """

    calculations: Calculations
    workout_time: str | None
    meal_times: list[MealSlot]
    meal_plan: list[PlanDay]
    shopping_list: list[ShoppingGroup]
    tips: list[Tip]
    struggles_to_discuss: list[str]
    restrictions: list[str]
    notes: list[str]


# --- words and matching ------------------------------------------------------


def _words(text: str) -> list[str]:
    """Return the lower-case, accent-free words of ``text``."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return [w for w in re.split(r"[^a-z0-9]+", plain) if w]


def singular(word: str) -> str:
    """Return a simple singular of an English food word ("berries" -> "berry").

    Both sides of a match go through this, so a rule that misses a plural
    still matches the same word in the same form.
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("oes", "ches", "shes", "xes", "sses")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def term_words(term: str) -> frozenset[str]:
    """Return the singular whole words of a food-to-avoid term."""
    return frozenset(singular(w) for w in _words(term))


def normalize_struggle(struggle: str) -> str:
    """Return a struggle's key: lower case, spaces and hyphens to "_"."""
    key = re.sub(r"[\s\-]+", "_", struggle.strip().lower())
    return re.sub(r"_+", "_", key).strip("_")


# --- the food index ----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class FoodFacts:
    """A library food with its values per gram and its matching words.

    Attributes:
        protein_share: share of the food's energy from protein (4 kcal/g).
        rank: a fixed number from the food's id, mixed with the client's
            seed to order foods.
    """

    food: Food
    role: MealRole
    kcal: float
    protein: float
    carbs: float
    fat: float
    protein_share: float
    tags: frozenset[FoodTag]
    words: frozenset[str]
    rank: int

    @property
    def grams_step(self) -> int:
        """Portions are weighed to the gram for dense foods, else to 5 g."""
        return 1 if self.kcal > 3 else 5


def _facts_of(food: Food) -> FoodFacts:
    words = _words(food.name) + food.id.split("_")
    share = 4 * food.protein_g / food.kcal if food.kcal else 0.0
    return FoodFacts(
        food=food,
        role=food.role,
        protein_share=share,
        kcal=food.kcal / 100,
        protein=food.protein_g / 100,
        carbs=food.carbs_g / 100,
        fat=food.fat_g / 100,
        tags=frozenset(food.tags),
        words=frozenset(singular(w) for w in words),
        rank=int.from_bytes(hashlib.sha256(food.id.encode()).digest()[:8], "big"),
    )


@dataclass(frozen=True, eq=False)
class FoodIndex:
    """Per-gram facts of a library's foods, sorted by id; hashed by identity."""

    foods: tuple[FoodFacts, ...]
    by_id: dict[str, FoodFacts]


class _SameFoods:
    """A library's food tuple, compared by identity so caches can key on it.

    Foods are unhashable pydantic models; a cache entry holding this key
    keeps the tuple alive, so its id cannot be reused meanwhile.
    """

    __slots__ = ("foods",)

    def __init__(self, foods: tuple[Food, ...]) -> None:
        self.foods = foods

    def __hash__(self) -> int:
        return id(self.foods)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SameFoods) and other.foods is self.foods


def food_index(library: Library) -> FoodIndex:
    """Return the food index of ``library``, built once per food tuple."""
    return _index(_SameFoods(library.foods))


@lru_cache(maxsize=8)
def _index(key: _SameFoods) -> FoodIndex:
    facts = tuple(_facts_of(f) for f in sorted(key.foods, key=lambda f: f.id))
    return FoodIndex(facts, {f.food.id: f for f in facts})


def is_low_carb(facts: FoodFacts) -> bool:
    """Whether a food suits a keto plan: little carbohydrate per g or kcal."""
    if facts.carbs * 100 <= KETO_MAX_CARBS_G:
        return True
    return facts.kcal > 0 and 4 * facts.carbs / facts.kcal <= KETO_MAX_CARB_SHARE


def diet_allows(facts: FoodFacts, diet: DietType) -> bool:
    """Whether the diet type allows the food, by its tags."""
    required = _DIET_TAG.get(diet)
    if required is not None:
        return required in facts.tags
    if diet is DietType.KETO:
        return is_low_carb(facts)
    return not facts.tags & _DIET_EXCLUDES.get(diet, frozenset())


def allowed_food(
    facts: FoodFacts,
    diet: DietType,
    allergies: frozenset[Allergen],
    avoid: tuple[frozenset[str], ...],
) -> bool:
    """Whether the food passes the diet, each allergy and each avoided term."""
    if not diet_allows(facts, diet):
        return False
    if any(FoodTag(a.value) in facts.tags for a in allergies):
        return False
    return not any(term <= facts.words for term in avoid)


@lru_cache(maxsize=256)
def allowed_foods(
    index: FoodIndex,
    diet: DietType,
    allergies: frozenset[Allergen],
    avoid: tuple[frozenset[str], ...],
) -> tuple[FoodFacts, ...]:
    """Return the index's foods that the restrictions allow, by id."""
    return tuple(f for f in index.foods if allowed_food(f, diet, allergies, avoid))


def avoid_terms(intake: Intake) -> tuple[frozenset[str], ...]:
    """Return the foods-to-avoid terms as word sets, without empty ones."""
    terms = (term_words(t) for t in intake.foods_to_avoid)
    return tuple(sorted((t for t in terms if t), key=sorted))


def foods_for(intake: Intake, library: Library) -> tuple[FoodFacts, ...]:
    """Return the library foods the client's restrictions allow."""
    return allowed_foods(
        food_index(library),
        intake.diet_type,
        frozenset(intake.allergies),
        avoid_terms(intake),
    )


# --- meal timing -------------------------------------------------------------


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def workout_minutes(preferred: str | None) -> int | None:
    """Return the workout's start in minutes after midnight, or None."""
    if preferred is None:
        return None
    if preferred in {t.value for t in WorkoutTime}:
        return WORKOUT_CLOCK[WorkoutTime(preferred)]
    hours, minutes = preferred.split(":")
    return int(hours) * 60 + int(minutes)


def _quarter(minutes: float) -> int:
    """Round to the nearest quarter hour, within the day."""
    return min(LATEST_MEAL, max(0, int(minutes / 15 + 0.5) * 15))


def _spread(count: int) -> list[int]:
    """Return ``count`` times spread evenly from 07:00 to 20:00."""
    if count == 1:
        return [DAY_START]
    step = (DAY_END - DAY_START) / (count - 1)
    return [_quarter(DAY_START + i * step) for i in range(count)]


def _fill(times: list[int], count: int) -> list[int]:
    """Add meals where they are farthest from the others, up to ``count``.

    A meal may go at the edge of the 07:00-20:00 day or halfway along the
    longest gap between two meals, whichever leaves the longer gap.
    """
    times = sorted(times)
    while len(times) < count:
        start, end = min(DAY_START, times[0]), max(DAY_END, times[-1])
        options: list[tuple[float, int]] = [
            (times[0] - start, start),
            (end - times[-1], end),
        ]
        options += [
            ((b - a) / 2, _quarter((a + b) / 2)) for a, b in itertools.pairwise(times)
        ]
        _, when = max(options)
        while when in times:  # only when the day is already full
            when = (when + 15) % (24 * 60)
        times = sorted([*times, when])
    return times


# Names by time of day: the first meal in a window takes the first name, a
# second one the next, and so on.
_MEAL_NAMES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (6 * 60, ("Early snack", "Snack", "Second snack")),
    (10 * 60 + 30, ("Breakfast", "Mid-morning snack", "Second breakfast")),
    (15 * 60, ("Lunch", "Afternoon snack", "Snack")),
    (17 * 60 + 30, ("Afternoon snack", "Snack", "Second snack")),
    (24 * 60, ("Dinner", "Evening snack", "Late snack")),
)


def _name_meals(times: Sequence[int]) -> list[str]:
    """Name meals by the time of day; a second meal in a window is a snack."""
    names: list[str] = []
    for minutes in times:
        choices = next(n for end, n in _MEAL_NAMES if minutes < end)
        free = [n for n in choices if n not in names]
        names.append(free[0] if free else f"Snack {len(names) + 1}")
    return names


def meal_times(intake: Intake, target_kcal: int) -> list[MealSlot]:
    """Return the day's meals: names, clock times and shares of energy.

    With a workout, a pre-workout meal comes 90 minutes before it (60 if that
    would be before 05:30) and a post-workout meal 30 minutes after it ends;
    the other meals go where they are farthest apart in a 07:00-20:00 day.
    With two meals a day only the post-workout meal is anchored.
    """
    count = intake.meals_per_day
    start = workout_minutes(intake.preferred_workout_time)
    roles: dict[int, str] = {}
    if start is None:
        times = _spread(count)
    else:
        end = start + intake.session_minutes
        post = _quarter(min(LATEST_MEAL, end + POST_WORKOUT_MINUTES))
        roles[post] = "post-workout"
        if count >= 3:
            pre = start - PRE_WORKOUT_MINUTES
            if pre < EARLIEST_PRE_WORKOUT:
                pre = start - 60
            roles[_quarter(max(0, pre))] = "pre-workout"
        times = _fill(list(roles), count)

    names = _name_meals(times)
    weights = [_meal_weight(n, roles.get(t)) for n, t in zip(names, times, strict=True)]
    shares = _percentages(weights)
    return [
        MealSlot(
            name=_with_role(name, roles.get(t)),
            time=_clock(t),
            share_percent=share,
            kcal=formulas.whole(target_kcal * share / 100),
            workout_role=roles.get(t),
        )
        for name, t, share in zip(names, times, shares, strict=True)
    ]


def _with_role(name: str, role: str | None) -> str:
    return name if role is None else f"{name} ({role})"


def _meal_weight(name: str, role: str | None) -> float:
    """Main meals weigh 1, snacks 0.5; a post-workout meal a quarter more."""
    weight = 0.5 if "snack" in name.lower() else 1.0
    return weight + 0.25 if role == "post-workout" else weight


def _percentages(weights: Sequence[float]) -> list[int]:
    """Return whole percentages proportional to ``weights`` summing to 100."""
    total = sum(weights)
    raw = [100 * w / total for w in weights]
    shares = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in by_remainder[: 100 - sum(shares)]:
        shares[i] += 1
    return shares


# --- the protein the diet can reach ------------------------------------------


def _protein_foods(allowed: tuple[FoodFacts, ...]) -> tuple[FoodFacts, ...]:
    """Return the protein-role foods, or all allowed foods if there are none."""
    return _role(allowed, MealRole.PROTEIN) or allowed


def reachable_protein(
    calculations: Calculations,
    intake: Intake,
    allowed: tuple[FoodFacts, ...],
) -> Calculations:
    """Lower protein (and re-split macros) if the diet's foods cannot reach it.

    A plan's protein share cannot pass the share of its densest protein
    food; a vegan allergic to soy, for example, is left with legumes at
    about 30 %. Protein is then set to 90 % of that share of the target and
    the packet says so, rather than refusing the client a plan.
    """
    densest = max(_protein_foods(allowed), key=lambda f: f.protein_share)
    target = calculations.target_kcal.value
    limit = formulas.whole(_REACHABLE_SHARE * densest.protein_share * target / 4)
    if calculations.protein_g.value <= limit:
        return calculations
    note = (
        f"Protein is set to {limit:,} g a day instead of "
        f"{calculations.protein_g.value:,} g: with {restriction_summary(intake)}, "
        f"the most protein-dense food left is {densest.food.name} (about "
        f"{formulas.whole(100 * densest.protein_share)} % of its energy from "
        "protein). A protein supplement that fits the diet could close the "
        "gap; ask your coach."
    )
    protein = formulas.limit_protein(calculations.protein_g, limit, note)
    split = formulas.macro_split(
        target, protein, intake.goal, intake.diet_type, calculations.age
    )
    return calculations.model_copy(
        update={
            "protein_g": split.protein_g,
            "fat_g": split.fat_g,
            "carbs_g": split.carbs_g,
            "notes": [*calculations.notes, note, *split.notes],
        }
    )


def restriction_summary(intake: Intake) -> str:
    """Return the client's food restrictions in a short phrase."""
    diet = intake.diet_type.value
    parts = [f"{'an' if diet[0] in 'aeiou' else 'a'} {diet} diet"]
    if intake.allergies:
        allergies = ", ".join(label(a).lower() for a in intake.allergies)
        parts.append(f"allergies to {allergies}")
    if intake.foods_to_avoid:
        parts.append("avoiding " + ", ".join(intake.foods_to_avoid))
    return "; ".join(parts)


# --- the weekly palette ------------------------------------------------------


def client_seed(intake: Intake) -> int:
    """Return a stable 64-bit seed for the client: SHA-256 of the name."""
    digest = hashlib.sha256(intake.full_name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def _seeded(foods: Iterable[FoodFacts], seed: int) -> list[FoodFacts]:
    """Return foods in a client-seeded order that is stable across runs.

    Each food's fixed rank (from SHA-256 of its id) is mixed with the seed,
    so two clients get different orders at the cost of one multiply a food.
    """
    return sorted(foods, key=lambda f: ((f.rank ^ seed) * _GOLDEN) & _MASK)


@dataclass
class _Rotation:
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
class _Palette:
    """The week's foods by use, each handed out in turn."""

    main_protein: _Rotation
    morning_protein: _Rotation
    main_starch: _Rotation
    morning_starch: _Rotation
    vegetable: _Rotation
    fruit: _Rotation
    fat: _Rotation
    keto: bool
    kosher: bool


def _palette(
    allowed: tuple[FoodFacts, ...], protein_share: float, seed: int, diet: DietType
) -> _Palette:
    """Choose the week's foods: dense-enough proteins, starches, produce, fats.

    Dairy and eggs go to breakfast and snacks, quick starches (dry or as
    sold) to breakfast; each use falls back to the other when it is empty.
    """
    proteins = _protein_foods(allowed)
    needed = _DENSITY_MARGIN * protein_share
    enough = [f for f in proteins if f.protein_share >= needed]
    if not enough:
        enough = [max(proteins, key=lambda f: f.protein_share)]
    morning = [f for f in enough if f.food.category is ShoppingCategory.DAIRY_EGGS]
    main = [f for f in enough if f not in morning] or morning
    starches = _role(allowed, MealRole.STARCH)
    quick = [f for f in starches if f.food.state in {"dry", "as sold"}]
    cooked = [f for f in starches if f not in quick] or quick

    def rotation(foods: Sequence[FoodFacts], use: str, salt: int) -> _Rotation:
        chosen = _seeded(foods, seed + salt)[: _PALETTE[use]]
        # The extreme food stays in reach: the densest protein food for
        # high-protein targets, the leanest starch or fat for low ones.
        pick = max if use.endswith("protein") else min
        extreme = pick(foods, key=lambda f: f.protein_share, default=None)
        if extreme is not None and extreme not in chosen:
            chosen.append(extreme)
        return _Rotation(chosen)

    return _Palette(
        main_protein=rotation(main, "main_protein", 1),
        morning_protein=rotation(morning or main, "morning_protein", 2),
        main_starch=rotation(cooked, "main_starch", 3),
        morning_starch=rotation(quick or cooked, "morning_starch", 4),
        vegetable=rotation(_role(allowed, MealRole.VEGETABLE), "vegetable", 5),
        fruit=rotation(_role(allowed, MealRole.FRUIT), "fruit", 6),
        fat=rotation(_role(allowed, MealRole.FAT), "fat", 7),
        keto=diet is DietType.KETO,
        kosher=diet is DietType.KOSHER,
    )


@lru_cache(maxsize=1024)
def _role(allowed: tuple[FoodFacts, ...], role: MealRole) -> tuple[FoodFacts, ...]:
    """Return the allowed foods with ``role`` (cached: food sets repeat)."""
    return tuple(f for f in allowed if f.role is role)


# --- solving a meal's portions -----------------------------------------------


class _Amounts(NamedTuple):
    """Energy and macronutrients of some food, or what a meal should reach."""

    kcal: float
    protein: float
    carbs: float
    fat: float

    def minus(self, other: _Amounts) -> _Amounts:
        """Return what is left after ``other``."""
        return _Amounts(
            self.kcal - other.kcal,
            self.protein - other.protein,
            self.carbs - other.carbs,
            self.fat - other.fat,
        )

    def times(self, factor: float) -> _Amounts:
        """Return every amount scaled by ``factor``."""
        return _Amounts(
            self.kcal * factor,
            self.protein * factor,
            self.carbs * factor,
            self.fat * factor,
        )


def _amounts(portions: Iterable[tuple[FoodFacts, float]]) -> _Amounts:
    """Return the total energy and macronutrients of ``portions``."""
    kcal = protein = carbs = fat = 0.0
    for facts, grams in portions:
        kcal += facts.kcal * grams
        protein += facts.protein * grams
        carbs += facts.carbs * grams
        fat += facts.fat * grams
    return _Amounts(kcal, protein, carbs, fat)


def _pair(a: FoodFacts, b: FoodFacts, goal: _Amounts) -> list[float] | None:
    """Return grams of two foods giving the goal's energy and protein."""
    det = a.kcal * b.protein - b.kcal * a.protein
    if abs(det) < 1e-9:
        return None
    x = (goal.kcal * b.protein - b.kcal * goal.protein) / det
    y = (a.kcal * goal.protein - goal.kcal * a.protein) / det
    return [x, y]


def _triple(
    a: FoodFacts, b: FoodFacts, c: FoodFacts, goal: _Amounts
) -> list[float] | None:
    """Return grams of three foods giving the goal's energy, protein and fat."""
    rows = (
        (a.kcal, b.kcal, c.kcal, goal.kcal),
        (a.protein, b.protein, c.protein, goal.protein),
        (a.fat, b.fat, c.fat, goal.fat),
    )
    det = _det3([r[:3] for r in rows])
    if abs(det) < 1e-9:
        return None
    return [
        _det3([(*r[:col], r[3], *r[col + 1 : 3]) for r in rows]) / det
        for col in range(3)
    ]


def _det3(m: Sequence[Sequence[float]]) -> float:
    return (
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    )


def _least(facts: FoodFacts) -> float:
    """Return the smallest portion worth listing: a quarter of a typical one."""
    return max(5.0, facts.food.portion_g / 4)


def _portions(
    goal: _Amounts,
    protein: FoodFacts | None,
    starch: FoodFacts | None,
    fat: FoodFacts | None,
) -> list[tuple[FoodFacts, float]]:
    """Return grams of protein food, starch and fat meeting the meal's goal.

    Tries the three foods on energy, protein and fat; then each pair on
    energy and protein (dropping the fat food first, then the starch); and
    last the protein food alone on protein. The first answer whose every
    portion is worth listing wins; failing that, the first non-negative one.
    """
    present = [f for f in (protein, starch, fat) if f is not None]
    fallback: list[tuple[FoodFacts, float]] | None = None
    for answer in _answers(goal, protein, starch, fat):
        if all(g >= _least(f) for f, g in answer):
            return answer
        fallback = fallback or answer
    if fallback is not None:
        return fallback
    lead = present[0]
    if lead.protein > 0 and goal.protein > 0:
        return [(lead, goal.protein / lead.protein)]
    return [(lead, max(0.0, goal.kcal) / lead.kcal)]


def _answers(
    goal: _Amounts,
    protein: FoodFacts | None,
    starch: FoodFacts | None,
    fat: FoodFacts | None,
) -> Iterator[list[tuple[FoodFacts, float]]]:
    """Yield the non-negative solutions, three foods first, then pairs."""
    if protein and starch and fat:
        grams = _triple(protein, starch, fat, goal)
        if grams is not None and min(grams) >= 0:
            yield list(zip((protein, starch, fat), grams, strict=True))
    present = [f for f in (protein, starch, fat) if f is not None]
    for a, b in itertools.combinations(present, 2):
        pair = _pair(a, b, goal)
        if pair is not None and min(pair) >= 0:
            yield [(a, pair[0]), (b, pair[1])]


def _rounded(
    portions: Iterable[tuple[FoodFacts, float]],
) -> list[tuple[FoodFacts, int]]:
    """Round portions to each food's step and drop those that round to zero."""
    kept: list[tuple[FoodFacts, int]] = []
    for facts, grams in portions:
        step = facts.grams_step
        whole = int(grams / step + 0.5) * step
        if whole > 0:
            kept.append((facts, whole))
    return kept


# --- the 7-day plan ----------------------------------------------------------


def _is_meat(facts: FoodFacts | None) -> bool:
    return facts is not None and FoodTag.PESCATARIAN not in facts.tags


def _is_morning(slot: MealSlot) -> bool:
    return slot.name.startswith(("Breakfast", "Early", "Mid-morning"))


def _is_snack(slot: MealSlot) -> bool:
    return "snack" in slot.name.lower()


def _produce(palette: _Palette, slot: MealSlot) -> FoodFacts | None:
    """Pick fruit for breakfast and snacks, else (and on keto) vegetables."""
    light = _is_morning(slot) or _is_snack(slot)
    wanted = palette.vegetable if palette.keto or not light else palette.fruit
    return wanted.next() or palette.vegetable.next() or palette.fruit.next()


def _produce_grams(produce: FoodFacts, goal: _Amounts) -> int:
    """Return a typical portion of produce, at most a fifth of the energy."""
    if goal.kcal <= 0:
        return 0
    grams = min(produce.food.portion_g, _PRODUCE_SHARE * goal.kcal / produce.kcal)
    return int(grams / 5 + 0.5) * 5


def _leanest(
    rotation: _Rotation, accept: Callable[[FoodFacts], bool]
) -> FoodFacts | None:
    """Return the food with the least protein per kcal that ``accept`` takes."""
    foods = [f for f in rotation.foods if accept(f)]
    return min(foods, key=lambda f: f.protein_share) if foods else None


def _main_foods(
    palette: _Palette, slot: MealSlot, share: float
) -> tuple[FoodFacts | None, FoodFacts | None, FoodFacts | None]:
    """Pick the protein food, starch and fat for a meal needing ``share``.

    ``share`` is the protein share of energy left to reach once produce is
    counted. No mix can reach it unless the protein food is denser and the
    starch or fat leaner, so those are preferred, with a margin. Snacks have
    no starch.
    """
    light = _is_morning(slot) or _is_snack(slot)
    proteins = palette.morning_protein if light else palette.main_protein
    dense = proteins.next(lambda f: f.protein_share > _DENSER * share)
    densest = max(proteins.foods, key=lambda f: f.protein_share, default=None)
    protein = dense or densest

    starch = None
    if not _is_snack(slot):
        starches = palette.morning_starch if _is_morning(slot) else palette.main_starch
        lean = starches.next(lambda f: f.protein_share < _LEANER * share)
        starch = lean or _leanest(starches, lambda _: True)

    # Kosher practice keeps meat and dairy apart within a meal.
    no_dairy = palette.kosher and _is_meat(protein)

    def fits(facts: FoodFacts) -> bool:
        return not (no_dairy and FoodTag.DAIRY in facts.tags)

    fat = palette.fat.next(lambda f: fits(f) and f.protein_share < _LEANER * share)
    return protein, starch, fat or _leanest(palette.fat, fits)


def _meal(
    palette: _Palette, slot: MealSlot, goal: _Amounts
) -> list[tuple[FoodFacts, int]]:
    """Choose one meal's foods; return their rounded portions for ``goal``."""
    fixed: list[tuple[FoodFacts, float]] = []
    produce = _produce(palette, slot)
    if produce is not None:
        fixed.append((produce, _produce_grams(produce, goal)))
    rest = goal.minus(_amounts(fixed))
    share = 4 * rest.protein / rest.kcal if rest.kcal > 0 else 1.0
    protein, starch, fat = _main_foods(palette, slot, share)
    solved: list[tuple[FoodFacts, float]] = []
    if protein or starch or fat:
        solved = _portions(rest, protein, starch, fat)
    return _rounded([*solved, *fixed])


# The plan is assembled as plain data and validated in one call at the end:
# a hundred-odd small models a packet cost twice as much built one by one.
_Data = dict[str, object]
_PLAN: TypeAdapter[list[PlanDay]] = TypeAdapter(list[PlanDay])


def _totals(amounts: _Amounts) -> _Data:
    return {
        "kcal": round(amounts.kcal, 1),
        "protein_g": round(amounts.protein, 1),
        "carbs_g": round(amounts.carbs, 1),
        "fat_g": round(amounts.fat, 1),
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
    number: int, slots: Sequence[MealSlot], palette: _Palette, day_goal: _Amounts
) -> _Data:
    """Build one day; each meal aims at its share of what is still to eat.

    Aiming at the remainder lets later meals absorb earlier rounding.
    """
    remaining, remaining_share = day_goal, 100.0
    meals: list[_Data] = []
    for slot in slots:
        goal = remaining.times(slot.share_percent / remaining_share)
        portions = _meal(palette, slot, goal)
        eaten = _amounts(portions)
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
    allowed: tuple[FoodFacts, ...],
    seed: int,
    diet: DietType,
) -> list[PlanDay]:
    """Return seven days whose energy and protein are within 10 % of target.

    Raises:
        NotApplicable: if the allowed foods cannot reach the targets.
    """
    c = calculations
    target, protein = c.target_kcal.value, c.protein_g.value
    day_goal = _Amounts(target, protein, c.carbs_g.value, c.fat_g.value)
    palette = _palette(allowed, 4 * protein / target, seed, diet)
    days = _PLAN.validate_python(
        [_day(n, slots, palette, day_goal) for n in range(1, DAYS + 1)]
    )
    if all(_within(d.kcal, target) and _within(d.protein_g, protein) for d in days):
        return days
    raise NotApplicable(
        f"The food restrictions leave too few foods to plan {target:,} kcal and "
        f"{protein:,} g of protein a day within 10 %."
    )


# --- shopping list -----------------------------------------------------------

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


def _quantity(grams: int, food: Food) -> str:
    """Return a quantity in words: "1.2 kg cooked, about 8 x 1 cup (158 g)"."""
    amount = f"{grams / 1000:.1f} kg" if grams >= 1000 else f"{grams} g"
    if food.state != "as sold":
        amount += f" {food.state}"
    portions = grams / food.portion_g
    if portions < 0.75:
        return f"{amount}, less than {food.portion}"
    return f"{amount}, about {max(1, formulas.whole(portions))} x {food.portion}"


def shopping_list(plan: Sequence[PlanDay], library: Library) -> list[ShoppingGroup]:
    """Return the week's foods grouped by aisle, with total grams of each."""
    grams: dict[str, int] = {}
    for day in plan:
        for meal in day.meals:
            for portion in meal.portions:
                grams[portion.food_id] = grams.get(portion.food_id, 0) + portion.grams
    by_id = food_index(library).by_id
    foods = sorted((by_id[i].food for i in grams), key=lambda f: f.name)
    groups: list[ShoppingGroup] = []
    for category in ShoppingCategory:
        items = [
            ShoppingItem(
                food_id=f.id,
                name=f.name,
                grams=grams[f.id],
                quantity=_quantity(grams[f.id], f),
            )
            for f in foods
            if f.category is category
        ]
        if items:
            aisle = _AISLES.get(category, label(category))
            groups.append(ShoppingGroup(category=category, label=aisle, items=items))
    return groups


# --- tips, restrictions, clearance -------------------------------------------


def tips_for(struggles: Sequence[str]) -> tuple[list[Tip], list[str]]:
    """Return tips for known struggles and the unknown ones, as given.

    Struggles are matched by their whole normalized key, never by substring.
    """
    tips: list[Tip] = []
    unknown: list[str] = []
    for struggle in struggles:
        key = normalize_struggle(struggle)
        known = _TIPS.get(key)
        if known is None:
            unknown.append(struggle)
        elif all(t.struggle != key for t in tips):
            tips.append(Tip(struggle=key, title=known[0], advice=known[1]))
    return tips, unknown


def restrictions(intake: Intake, library: Library) -> list[str]:
    """Return what the plan leaves out, one sentence per restriction."""
    lines: list[str] = []
    diet = intake.diet_type
    if diet in _DIET_TAG:
        lines.append(f"{label(diet)}: only foods tagged {diet.value}.")
    elif diet is DietType.HALAL:
        lines.append("Halal: no pork; choose halal-certified meat.")
    elif diet is DietType.KOSHER:
        lines.append(
            "Kosher: no pork or shellfish, and no dairy in a meal with meat; "
            "choose kosher-certified meat."
        )
    elif diet is DietType.KETO:
        lines.append(
            f"Keto: only foods with at most {KETO_MAX_CARBS_G:.0f} g "
            "carbohydrate per 100 g (or at most 20 % of their energy from it)."
        )
    lines += [
        f"Allergy: no food containing {label(a).lower()}." for a in intake.allergies
    ]
    index = food_index(library)
    for term in intake.foods_to_avoid:
        words = term_words(term)
        hits = sorted(f.food.name for f in index.foods if words and words <= f.words)
        left_out = "; ".join(hits) if hits else "no library food matches"
        lines.append(f"Avoiding '{term}': {left_out}.")
    return lines


def clearance_reasons(intake: Intake, calculations: Calculations) -> list[str]:
    """Return why the packet opens with a "see a physician" notice, if so."""
    reasons: list[str] = []
    if intake.medical_conditions:
        reasons.append(
            "Medical conditions were reported; check the plan with a physician "
            "or dietitian before starting."
        )
    if calculations.bmi.value >= 40 and calculations.age >= formulas.ADULT_AGE:
        reasons.append("BMI 40 or more: plan weight loss with a physician.")
    if calculations.floor_reason is not None:
        reasons.append(calculations.floor_reason)
    if calculations.age < formulas.ADULT_AGE:
        reasons.append(
            "Under 18: a parent or guardian should be involved, and growth is "
            "best checked on BMI-for-age charts."
        )
        if intake.goal is Goal.FAT_LOSS:
            reasons.append(
                "Fat loss under 18 is not planned with a calorie deficit; a "
                "paediatric clinician should be involved for weight concerns."
            )
        if intake.diet_type is DietType.KETO:
            reasons.append("A keto diet under 18 needs a paediatric dietitian.")
    return reasons


# --- packet summary ----------------------------------------------------------


def _glance(calculations: Calculations, slots: Sequence[MealSlot]) -> list[GlanceItem]:
    c = calculations
    times = ", ".join(s.time for s in slots)
    return [
        GlanceItem(label="Daily calories", value=f"{c.target_kcal.value:,} kcal"),
        GlanceItem(label="Protein", value=f"{c.protein_g.value:,} g"),
        GlanceItem(label="Carbohydrate", value=f"{c.carbs_g.value:,} g"),
        GlanceItem(label="Fat", value=f"{c.fat_g.value:,} g"),
        GlanceItem(
            label="Water",
            value=f"about {c.drinks.value:.1f} L from drinks "
            f"({c.water.value:.1f} L in total)",
        ),
        GlanceItem(label="Meals per day", value=f"{len(slots)} ({times})"),
    ]


def _source_keys(calculations: Calculations) -> list[str]:
    """Return the key of every source behind a number in the packet."""
    c = calculations
    shown = [
        c.bmr_kcal,
        c.katch_mcardle_kcal,
        c.tdee_kcal,
        c.goal_adjustment_kcal,
        c.target_kcal,
        c.bmi,
        c.reference_weight_kg,
        c.protein_g,
        c.fat_g,
        c.carbs_g,
        c.water,
        c.drinks,
        c.fluid_loss_limit_kg,
        c.athlete_carbs,
    ]
    keys = [calc.source for calc in shown if calc is not None]
    if c.bmr_kcal.source == "mifflin":
        keys.insert(1, "frankenfield")
    if c.age < formulas.ADULT_AGE:
        keys.append("aap_2023")
    if c.protein_g.source != "issn_protein" and c.age >= formulas.ADULT_AGE:
        keys.append("issn_protein")
    return [*keys, "iom_amdr", "atwater", "usda_fdc"]


def conventions(intake: Intake, calculations: Calculations) -> list[str]:
    """Return the PacketStudio conventions this packet uses, in plain words."""
    c = calculations
    used = [
        "Activity factors (1.2 to 1.9) are a common practice convention, not a "
        "validated guideline.",
    ]
    adult = c.age >= formulas.ADULT_AGE
    if adult and intake.goal is Goal.MUSCLE_GAIN:
        used.append("Muscle gain: a 300 kcal surplus, within the usual 250-500.")
    if adult:
        used.append(
            "Protein of 0.8-1.2 g per lb of reference weight, toward the top for "
            "fat loss, muscle gain, performance and experienced trainees."
        )
    else:
        used.append(
            "Under 18, protein at 15 % of energy (20 % for muscle gain or "
            "performance), inside the 10-30 % range."
        )
    if adult and c.bmi.value >= formulas.BMI_FOR_REFERENCE_WEIGHT:
        used.append(
            "From BMI 30, protein is based on the weight at BMI 25 for the "
            "client's height (25 x height in m squared)."
        )
    if intake.diet_type is DietType.KETO:
        used.append(
            "Keto: carbohydrate at most 50 g a day, and foods with at most 10 g "
            "carbohydrate per 100 g (or 20 % of their energy)."
        )
    else:
        used.append("Fat at 25-30 % of energy; carbohydrate takes the rest.")
    used += [
        "Meal times: pre-workout meal 90 minutes before training, post-workout "
        "meal 30 minutes after; other meals spread over 07:00-20:00.",
        "Sample-plan portions are rounded to 5 g (1 g for energy-dense foods); "
        "each day is within 10 % of the calorie and protein targets.",
        "Foods to avoid exclude every food whose name or id contains all the "
        "words of the term, singular or plural.",
    ]
    return used


def _notes(
    calculations: Calculations, slots: Sequence[MealSlot], plan: Sequence[PlanDay]
) -> list[str]:
    """Return remarks for the client: macro changes, weighing, large meals."""
    notes = list(calculations.notes)
    states = {p.state for d in plan for m in d.meals for p in m.portions}
    if "cooked" in states:
        notes.append(
            "Weights marked cooked are weighed after cooking: raw meat and fish "
            "weigh about 25-35 % more, and dry grains gain 2.5-3 times their "
            "weight when cooked."
        )
    if calculations.katch_mcardle_kcal is not None:
        notes.append(
            "The lean-mass estimate (Katch-McArdle) is shown for comparison; "
            "the targets use Mifflin-St Jeor or Schofield."
        )
    if any(s.kcal > _LARGE_MEAL_KCAL for s in slots):
        notes.append(
            f"Some meals pass {_LARGE_MEAL_KCAL:,} kcal; more meals a day would "
            "make the target easier to eat."
        )
    roles = {s.workout_role for s in slots}
    if "post-workout" in roles and "pre-workout" not in roles:
        notes.append(
            "With two meals a day there is no pre-workout meal; a piece of "
            "fruit 30-60 minutes before training can help."
        )
    return notes


def _summary(intake: Intake, c: Calculations) -> str:
    goal = label(intake.goal).lower()
    return (
        f"About {c.target_kcal.value:,} kcal a day for {goal}, with "
        f"{c.protein_g.value:,} g protein, {c.carbs_g.value:,} g carbohydrate and "
        f"{c.fat_g.value:,} g fat over {intake.meals_per_day} meals, a 7-day "
        "sample plan and a shopping list."
    )


# --- the packet --------------------------------------------------------------


def generate(intake: Intake, library: Library, as_of: date) -> NutritionPacket:
    """Return the nutrition packet for ``intake`` on ``as_of``.

    Eligibility (nutrition from age 10) is checked by the caller, through
    :func:`packetstudio.generators.generate`.

    Raises:
        NotApplicable: the client's restrictions leave too few foods for a
            plan that reaches the targets.
    """
    allowed = foods_for(intake, library)
    if not allowed:
        raise NotApplicable(
            f"No food in the library fits {restriction_summary(intake)}; loosen "
            "a restriction or plan with a dietitian."
        )
    calculations = reachable_protein(formulas.calculate(intake, as_of), intake, allowed)
    slots = meal_times(intake, calculations.target_kcal.value)
    plan = _plan_or_refuse(calculations, slots, allowed, intake)
    tips, unknown = tips_for(intake.struggles)
    reasons = clearance_reasons(intake, calculations)

    return NutritionPacket(
        packet_type=PacketType.NUTRITION,
        generator_version=GENERATOR_VERSION,
        library_version=library.version,
        client_name=intake.full_name,
        as_of=as_of,
        title=f"Nutrition plan for {intake.full_name}",
        summary=_summary(intake, calculations),
        at_a_glance=_glance(calculations, slots),
        needs_clearance=bool(reasons),
        clearance_reasons=reasons,
        sources=sources(*_source_keys(calculations)),
        conventions=conventions(intake, calculations),
        calculations=calculations,
        workout_time=_workout_clock(intake),
        meal_times=slots,
        meal_plan=plan,
        shopping_list=shopping_list(plan, library),
        tips=tips,
        struggles_to_discuss=unknown,
        restrictions=restrictions(intake, library),
        notes=_notes(calculations, slots, plan),
    )


def _workout_clock(intake: Intake) -> str | None:
    start = workout_minutes(intake.preferred_workout_time)
    return None if start is None else _clock(start)


def _plan_or_refuse(
    calculations: Calculations,
    slots: Sequence[MealSlot],
    allowed: tuple[FoodFacts, ...],
    intake: Intake,
) -> list[PlanDay]:
    """Return the meal plan, or refuse, naming the restrictions that block it."""
    try:
        return meal_plan(
            calculations, slots, allowed, client_seed(intake), intake.diet_type
        )
    except NotApplicable as exc:
        raise NotApplicable(
            f"{exc} Restrictions: {restriction_summary(intake)}. Loosen one or "
            "plan with a dietitian."
        ) from None


__all__ = [
    "MealSlot",
    "NutritionPacket",
    "PlanDay",
    "PlannedMeal",
    "Portion",
    "ShoppingGroup",
    "ShoppingItem",
    "Tip",
    "generate",
]
