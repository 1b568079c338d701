"""The bundled library: complete, consistent and safe to build packets from."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from packetstudio.library import Exercise, Food, Library, LibraryError, load_library
from packetstudio.library.models import FoodTag, MealRole, MovementPattern, Muscle
from packetstudio.paths import resource
from packetstudio.vocabulary import Allergen, BodyArea, DietType, Equipment, Experience

P = MovementPattern
FILES = ("exercises.json", "foods.json", "sports.json")

# A keto plan has no starch slot; every other role needs a food with at most
# this much carbohydrate per 100 g (a PacketStudio convention).
KETO_MAX_CARBS_G = 10.0

# The ten reference foods of shared/domain.md ("Food composition"), keyed by
# SR Legacy number: (kcal, protein, carbohydrate, fat) per 100 g.
DOMAIN_REFERENCE_FOODS = {
    "05064": (165, 31.0, 0, 3.6),  # chicken breast, roasted
    "01123": (143, 12.6, 0.7, 9.5),  # egg, whole
    "01256": (59, 10.2, 3.6, 0.4),  # Greek yogurt, plain, nonfat
    "16426": (144, 17.3, 2.8, 8.7),  # tofu, firm
    "16070": (116, 9.0, 20.1, 0.4),  # lentils, boiled
    "08120": (379, 13.2, 67.7, 6.5),  # oats, dry
    "20045": (130, 2.7, 28.2, 0.3),  # white rice, cooked
    "09040": (89, 1.1, 22.8, 0.3),  # banana
    "12061": (579, 21.2, 21.6, 49.9),  # almonds
    "04053": (884, 0, 0, 100),  # olive oil
}

# Exercise groups a workout swaps within when an area is injured. Isolation
# work counts as push or pull by its first primary muscle.
PUSH_MUSCLES = {
    Muscle.CHEST,
    Muscle.TRICEPS,
    Muscle.FRONT_DELTOIDS,
    Muscle.SIDE_DELTOIDS,
}
PULL_MUSCLES = {
    Muscle.BICEPS,
    Muscle.FOREARMS,
    Muscle.LATS,
    Muscle.UPPER_BACK,
    Muscle.TRAPEZIUS,
    Muscle.REAR_DELTOIDS,
    Muscle.ROTATOR_CUFF,
}
GROUPS = ("lower body", "upper-body push", "upper-body pull", "core")
MIN_SAFE_ALTERNATIVES = 6

FULL_BODY_WEEK = {
    P.SQUAT,
    P.HINGE,
    P.LUNGE,
    P.HORIZONTAL_PUSH,
    P.VERTICAL_PUSH,
    P.HORIZONTAL_PULL,
    P.VERTICAL_PULL,
    P.CORE,
}

# Words in a food's name and the tag they oblige.
CONTENT_WORDS = [
    (r"hummus|tahini|sesame", FoodTag.SESAME),
    (r"oats|bread|pasta|couscous|bulgur|barley|egg noodles|seitan", FoodTag.GLUTEN),
    (r"tofu|tempeh|edamame|soy", FoodTag.SOY),
    (r"milk|cheese|yogurt|mozzarella|parmesan|feta|^butter", FoodTag.DAIRY),
    (r"\beggs?\b", FoodTag.EGGS),
    (r"peanut", FoodTag.PEANUTS),
    (r"almond|walnut|cashew|pistachio|pecan|hazelnut", FoodTag.TREE_NUTS),
    (r"salmon|tuna|cod\b|tilapia|mackerel|sardine|trout", FoodTag.FISH),
    (r"shrimp|mussel|crab|scallop|lobster", FoodTag.SHELLFISH),
    (r"pork|\bham\b|bacon", FoodTag.PORK),
]


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


def group_of(exercise: Exercise) -> str | None:
    pattern = exercise.movement_pattern
    if pattern in {P.SQUAT, P.HINGE, P.LUNGE, P.ISOLATION_LOWER}:
        return "lower body"
    if pattern in {P.HORIZONTAL_PUSH, P.VERTICAL_PUSH}:
        return "upper-body push"
    if pattern in {P.HORIZONTAL_PULL, P.VERTICAL_PULL}:
        return "upper-body pull"
    if pattern in {P.CORE, P.ROTATION}:
        return "core"
    if pattern is P.ISOLATION_UPPER:
        first = exercise.primary_muscles[0]
        if first in PUSH_MUSCLES:
            return "upper-body push"
        if first in PULL_MUSCLES:
            return "upper-body pull"
    return None


def fits_diet(food: Food, diet: DietType) -> bool:
    tags = set(food.tags)
    if diet is DietType.VEGETARIAN:
        return FoodTag.VEGETARIAN in tags
    if diet is DietType.VEGAN:
        return FoodTag.VEGAN in tags
    if diet is DietType.PESCATARIAN:
        return FoodTag.PESCATARIAN in tags
    if diet is DietType.HALAL:
        return FoodTag.PORK not in tags
    if diet is DietType.KOSHER:
        return not tags & {FoodTag.PORK, FoodTag.SHELLFISH}
    if diet is DietType.KETO:
        return food.carbs_g <= KETO_MAX_CARBS_G
    return True


def roles_for(diet: DietType) -> set[MealRole]:
    roles = set(MealRole)
    if diet is DietType.KETO:
        roles.discard(MealRole.STARCH)
    return roles


def copy_bundled(folder: Path) -> None:
    for name in FILES:
        shutil.copy(resource("data", name), folder / name)


def rewrite(path: Path, change: Any) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


# --- size and completeness ---------------------------------------------------


def test_library_has_enough_exercises_foods_and_sports(library: Library) -> None:
    assert len(library.exercises) >= 150
    assert len(library.foods) >= 80
    assert len(library.sports) >= 15


def test_every_exercise_has_cues_and_variations_other_than_itself(
    library: Library,
) -> None:
    for exercise in library.exercises:
        name = exercise.name.lower()
        assert exercise.cues, exercise.id
        assert all(cue.strip() for cue in exercise.cues), exercise.id
        assert exercise.regression.lower() != name, exercise.id
        assert exercise.progression.lower() != name, exercise.id
        assert exercise.regression.lower() != exercise.progression.lower(), exercise.id


@pytest.mark.parametrize("kind", ["exercises", "foods", "sports"])
def test_names_are_not_repeated(library: Library, kind: str) -> None:
    names = [entry.name.lower() for entry in getattr(library, kind)]
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert not repeated


@pytest.mark.parametrize("equipment", list(Equipment))
def test_every_equipment_item_is_used_by_several_exercises(
    library: Library, equipment: Equipment
) -> None:
    using = [e for e in library.exercises if equipment in e.equipment]
    assert len(using) >= 6


@pytest.mark.parametrize("equipment", list(Equipment))
def test_every_equipment_item_has_beginner_exercises(
    library: Library, equipment: Equipment
) -> None:
    assert any(
        equipment in e.equipment and e.level is Experience.BEGINNER
        for e in library.exercises
    )


@pytest.mark.parametrize("pattern", list(MovementPattern))
def test_every_movement_pattern_has_exercises(
    library: Library, pattern: MovementPattern
) -> None:
    assert any(e.movement_pattern is pattern for e in library.exercises)


# --- safety: injuries, beginners and youth ----------------------------------


@pytest.mark.parametrize("area", list(BodyArea))
def test_every_body_area_has_at_least_four_rehab_exercises(
    library: Library, area: BodyArea
) -> None:
    rehab = [e for e in library.exercises if area in e.rehab_areas]
    assert len(rehab) >= 4


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("area", list(BodyArea))
def test_every_group_has_alternatives_that_spare_each_area(
    library: Library, group: str, area: BodyArea
) -> None:
    sparing = [
        e for e in library.exercises if group_of(e) == group and area not in e.loads
    ]
    assert len(sparing) >= MIN_SAFE_ALTERNATIVES, [e.id for e in sparing]


def test_a_beginner_with_no_equipment_gets_a_full_body_week(library: Library) -> None:
    patterns = {
        e.movement_pattern
        for e in library.exercises
        if e.equipment == [Equipment.BODYWEIGHT] and e.level is Experience.BEGINNER
    }
    assert patterns >= FULL_BODY_WEEK


def test_a_young_beginner_with_no_equipment_gets_a_full_body_week(
    library: Library,
) -> None:
    patterns = {
        e.movement_pattern
        for e in library.exercises
        if e.equipment == [Equipment.BODYWEIGHT]
        and e.level is Experience.BEGINNER
        and e.youth_suitable
    }
    assert patterns >= FULL_BODY_WEEK


def test_barbell_olympic_lifts_are_advanced_and_not_for_youth(
    library: Library,
) -> None:
    lifts = [
        e
        for e in library.exercises
        if e.movement_pattern is P.OLYMPIC and Equipment.BARBELL in e.equipment
    ]
    assert lifts
    for lift in lifts:
        assert lift.level is Experience.ADVANCED, lift.id
        assert not lift.youth_suitable, lift.id


def test_exercises_on_adult_machines_are_not_for_youth(library: Library) -> None:
    adult_only = {Equipment.MACHINES, Equipment.CABLES, Equipment.CARDIO_MACHINES}
    for exercise in library.exercises:
        if adult_only & set(exercise.equipment):
            assert not exercise.youth_suitable, exercise.id


# --- foods -------------------------------------------------------------------


@pytest.mark.parametrize("allergen", [None, *Allergen])
@pytest.mark.parametrize("diet", list(DietType))
def test_every_meal_role_has_a_food_for_each_diet_and_allergen(
    library: Library, diet: DietType, allergen: Allergen | None
) -> None:
    for role in roles_for(diet):
        fitting = [
            f
            for f in library.foods
            if f.role is role
            and fits_diet(f, diet)
            and (allergen is None or FoodTag(allergen.value) not in f.tags)
        ]
        assert fitting, f"no {role.value} food for {diet.value}, free of {allergen}"


@pytest.mark.parametrize("number", sorted(DOMAIN_REFERENCE_FOODS))
def test_reference_foods_match_the_domain_values(library: Library, number: str) -> None:
    matches = [f for f in library.foods if f.fdc_sr_legacy == number]
    assert len(matches) == 1
    food = matches[0]
    stored = (food.kcal, food.protein_g, food.carbs_g, food.fat_g)
    assert stored == DOMAIN_REFERENCE_FOODS[number]


def test_sr_legacy_numbers_are_not_repeated(library: Library) -> None:
    numbers = [f.fdc_sr_legacy for f in library.foods]
    assert len(numbers) == len(set(numbers))


def test_food_energy_agrees_with_its_macronutrients(library: Library) -> None:
    for food in library.foods:
        recomputed = 4 * food.protein_g + 4 * food.carbs_g + 9 * food.fat_g
        difference = abs(recomputed - food.kcal)
        assert difference <= max(0.35 * food.kcal, 15), food.id


def test_foods_carry_the_tags_their_names_imply(library: Library) -> None:
    for food in library.foods:
        name = food.name.lower()
        for pattern, tag in CONTENT_WORDS:
            if re.search(pattern, name):
                assert tag in food.tags, f"{food.id} should be tagged {tag.value}"


def test_meat_is_not_tagged_for_any_meatless_diet(library: Library) -> None:
    meatless = {FoodTag.VEGETARIAN, FoodTag.VEGAN, FoodTag.PESCATARIAN}
    sea = {FoodTag.FISH, FoodTag.SHELLFISH}
    for food in library.foods:
        if food.category.value == "meat_fish" and not sea & set(food.tags):
            assert not meatless & set(food.tags), food.id


def test_fish_and_shellfish_are_pescatarian(library: Library) -> None:
    for food in library.foods:
        if {FoodTag.FISH, FoodTag.SHELLFISH} & set(food.tags):
            assert FoodTag.PESCATARIAN in food.tags, food.id


# --- sports ------------------------------------------------------------------


def test_every_conditioning_session_is_concrete(library: Library) -> None:
    for sport in library.sports:
        for session in sport.conditioning:
            assert re.search(r"\d", session), f"{sport.id}: {session}"


# --- files and versions -------------------------------------------------------


def test_the_three_files_share_one_version(library: Library) -> None:
    versions = {
        json.loads(resource("data", name).read_text(encoding="utf-8"))["version"]
        for name in FILES
    }
    assert versions == {library.version}


def test_files_that_disagree_on_version_are_refused(tmp_path: Path) -> None:
    copy_bundled(tmp_path)
    rewrite(tmp_path / "sports.json", lambda d: d.update(version="1999.1.1"))

    with pytest.raises(LibraryError, match="disagree on their version"):
        load_library(tmp_path)


def test_an_invalid_food_names_the_file_and_the_entry(tmp_path: Path) -> None:
    copy_bundled(tmp_path)
    rewrite(tmp_path / "foods.json", lambda d: d["entries"][3].update(kcal=-5))

    with pytest.raises(LibraryError, match=r"^foods\.json: entry 3\.kcal"):
        load_library(tmp_path)


def test_an_unknown_equipment_word_names_the_file_and_the_entry(
    tmp_path: Path,
) -> None:
    copy_bundled(tmp_path)
    rewrite(
        tmp_path / "exercises.json",
        lambda d: d["entries"][7].update(equipment=["trampoline"]),
    )

    with pytest.raises(LibraryError, match=r"^exercises\.json: entry 7\.equipment"):
        load_library(tmp_path)


def test_every_food_portion_names_its_grams_last() -> None:
    for food in load_library().foods:
        assert food.portion == f"{food.portion_words} ({food.portion_g:g} g)"
        assert not food.portion_words.endswith(" g)")


def test_a_portion_whose_words_disagree_with_its_grams_is_refused() -> None:
    raw = json.loads(resource("data", "foods.json").read_text(encoding="utf-8"))
    food = dict(raw["entries"][0], portion="1 palm-sized portion (150 g)")
    with pytest.raises(ValidationError, match="portion must end with its grams"):
        Food.model_validate(food)
