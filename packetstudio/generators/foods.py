"""The foods a client may eat: diet, allergies, foods to avoid and keto.

Every restriction is absolute: a food the diet, an allergy or a food to
avoid rules out never appears in a plan. Food values are taken from the
library per 100 g and kept per gram here.

Foods to avoid are matched by whole words: an avoided term excludes a food
when every word of the term appears as a whole word in the food's name or
its id, singular and plural alike. "oats" excludes "Oats, rolled, dry",
"banana" excludes "Bananas" and "bananas" excludes "Banana", but "egg" does
not exclude "Eggplant" and "pea" does not exclude "Peanuts".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from packetstudio.generators.stable import Identity, hash64
from packetstudio.intake import Intake
from packetstudio.library import Food, Library
from packetstudio.library.models import FoodTag, MealRole
from packetstudio.vocabulary import Allergen, DietType, label

# A keto plan keeps foods with at most this much carbohydrate per 100 g, or
# at most this share of their energy from carbohydrate (nuts and seeds).
KETO_MAX_CARBS_G = 10.0
KETO_MAX_CARB_SHARE = 0.20

_DIET_TAG = {
    DietType.VEGAN: FoodTag.VEGAN,
    DietType.VEGETARIAN: FoodTag.VEGETARIAN,
    DietType.PESCATARIAN: FoodTag.PESCATARIAN,
}
_DIET_EXCLUDES = {
    DietType.HALAL: frozenset({FoodTag.PORK}),
    DietType.KOSHER: frozenset({FoodTag.PORK, FoodTag.SHELLFISH}),
}


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


# Food facts in id order: a tuple, so that caches can key on it.
Foods = tuple[FoodFacts, ...]


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
        rank=hash64(food.id.encode()),
    )


@dataclass(frozen=True, eq=False)
class FoodIndex:
    """Per-gram facts of a library's foods, sorted by id; hashed by identity."""

    foods: Foods
    by_id: dict[str, FoodFacts]


def food_index(library: Library) -> FoodIndex:
    """Return the food index of ``library``, built once per food tuple."""
    return _index(Identity(library.foods))


@lru_cache(maxsize=8)
def _index(key: Identity[tuple[Food, ...]]) -> FoodIndex:
    facts = tuple(_facts_of(f) for f in sorted(key.value, key=lambda f: f.id))
    return FoodIndex(facts, {f.food.id: f for f in facts})


# --- what the restrictions allow ---------------------------------------------


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
) -> Foods:
    """Return the index's foods that the restrictions allow, by id."""
    return tuple(f for f in index.foods if allowed_food(f, diet, allergies, avoid))


def avoid_terms(intake: Intake) -> tuple[frozenset[str], ...]:
    """Return the foods-to-avoid terms as word sets, without empty ones."""
    terms = (term_words(t) for t in intake.foods_to_avoid)
    return tuple(sorted((t for t in terms if t), key=sorted))


def foods_for(intake: Intake, library: Library) -> Foods:
    """Return the library foods the client's restrictions allow."""
    return allowed_foods(
        food_index(library),
        intake.diet_type,
        frozenset(intake.allergies),
        avoid_terms(intake),
    )


@lru_cache(maxsize=1024)
def with_role(allowed: Foods, role: MealRole) -> Foods:
    """Return the allowed foods with ``role`` (cached: food sets repeat)."""
    return tuple(f for f in allowed if f.role is role)


def protein_foods(allowed: Foods) -> Foods:
    """Return the protein-role foods, or all allowed foods if there are none."""
    return with_role(allowed, MealRole.PROTEIN) or allowed


# --- restrictions in words ---------------------------------------------------


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


def restrictions(intake: Intake, library: Library) -> list[str]:
    """Return what the plan leaves out, one sentence per restriction."""
    lines = _diet_lines(intake.diet_type)
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


def _diet_lines(diet: DietType) -> list[str]:
    """Return the sentence saying what the diet type leaves out, if any."""
    if diet in _DIET_TAG:
        return [f"{label(diet)}: only foods tagged {diet.value}."]
    if diet is DietType.HALAL:
        return ["Halal: no pork; choose halal-certified meat."]
    if diet is DietType.KOSHER:
        return [
            "Kosher: no pork or shellfish, and no dairy in a meal with meat; "
            "choose kosher-certified meat."
        ]
    if diet is DietType.KETO:
        return [
            f"Keto: only foods with at most {KETO_MAX_CARBS_G:.0f} g "
            "carbohydrate per 100 g (or at most 20 % of their energy from it)."
        ]
    return []
