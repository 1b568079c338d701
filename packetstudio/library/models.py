"""Schemas for the library files; every entry is validated when it is loaded."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from packetstudio.vocabulary import BodyArea, Equipment, Experience

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(_[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MovementPattern(StrEnum):
    SQUAT = "squat"
    HINGE = "hinge"
    LUNGE = "lunge"
    HORIZONTAL_PUSH = "horizontal_push"
    VERTICAL_PUSH = "vertical_push"
    HORIZONTAL_PULL = "horizontal_pull"
    VERTICAL_PULL = "vertical_pull"
    CARRY = "carry"
    CORE = "core"
    ROTATION = "rotation"
    ISOLATION_UPPER = "isolation_upper"
    ISOLATION_LOWER = "isolation_lower"
    PLYOMETRIC = "plyometric"
    OLYMPIC = "olympic"
    SPEED_AGILITY = "speed_agility"
    CONDITIONING = "conditioning"
    MOBILITY = "mobility"


class Muscle(StrEnum):
    QUADRICEPS = "quadriceps"
    HAMSTRINGS = "hamstrings"
    GLUTES = "glutes"
    CALVES = "calves"
    ADDUCTORS = "adductors"
    HIP_FLEXORS = "hip_flexors"
    CHEST = "chest"
    FRONT_DELTOIDS = "front_deltoids"
    SIDE_DELTOIDS = "side_deltoids"
    REAR_DELTOIDS = "rear_deltoids"
    TRICEPS = "triceps"
    BICEPS = "biceps"
    FOREARMS = "forearms"
    LATS = "lats"
    UPPER_BACK = "upper_back"
    TRAPEZIUS = "trapezius"
    ROTATOR_CUFF = "rotator_cuff"
    ERECTORS = "erectors"
    ABDOMINALS = "abdominals"
    OBLIQUES = "obliques"
    NECK = "neck"
    CARDIOVASCULAR = "cardiovascular"


class Exercise(_Entry):
    """One exercise, with what it needs and what it loads.

    Attributes:
        loads: body areas the exercise puts meaningful load through; an injury
            to any of them excludes the exercise from a workout.
        equipment: everything needed at once; ``bodyweight`` alone means
            nothing is needed.
        level: the lowest training experience it is prescribed for.
        youth_suitable: safe to teach to 7-17 year olds under supervision
            (no maximal or loaded Olympic lifting).
        rehab_areas: areas for which this is a gentle, early-rehabilitation
            exercise (recovery packets draw from these).
    """

    id: Slug
    name: Text
    movement_pattern: MovementPattern
    primary_muscles: Annotated[list[Muscle], Field(min_length=1)]
    equipment: Annotated[list[Equipment], Field(min_length=1)]
    level: Experience
    loads: list[BodyArea]
    regression: Text
    progression: Text
    cues: Annotated[list[Text], Field(min_length=1, max_length=3)]
    youth_suitable: bool
    rehab_areas: list[BodyArea] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bodyweight_alone(self) -> Exercise:
        if Equipment.BODYWEIGHT in self.equipment and len(self.equipment) > 1:
            raise ValueError("'bodyweight' means no equipment; list it alone")
        return self


class FoodTag(StrEnum):
    """Diet suitability and allergen/content tags of a food."""

    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    PESCATARIAN = "pescatarian"
    PORK = "pork"
    GLUTEN = "gluten"
    DAIRY = "dairy"
    EGGS = "eggs"
    PEANUTS = "peanuts"
    TREE_NUTS = "tree_nuts"
    SOY = "soy"
    FISH = "fish"
    SHELLFISH = "shellfish"
    SESAME = "sesame"


class ShoppingCategory(StrEnum):
    PRODUCE = "produce"
    MEAT_FISH = "meat_fish"
    DAIRY_EGGS = "dairy_eggs"
    GRAINS_BREAD = "grains_bread"
    LEGUMES_SOY = "legumes_soy"
    NUTS_SEEDS = "nuts_seeds"
    OILS_CONDIMENTS = "oils_condiments"
    FROZEN = "frozen"
    PANTRY = "pantry"


class MealRole(StrEnum):
    """What a food contributes when a meal is composed."""

    PROTEIN = "protein"
    STARCH = "starch"
    VEGETABLE = "vegetable"
    FRUIT = "fruit"
    FAT = "fat"


class Food(_Entry):
    """One food with its USDA FoodData Central (SR Legacy) values per 100 g.

    Attributes:
        fdc_sr_legacy: the SR Legacy NDB number the values were taken from.
        state: how the 100 g is weighed (cooked, raw, dry, as sold).
        portion_g: a typical portion in grams, described by ``portion``.
        portion: the portion in words, ending with its grams: "1 cup (158 g)".
    """

    id: Slug
    name: Text
    fdc_sr_legacy: Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
    state: Annotated[str, StringConstraints(pattern=r"^(cooked|raw|dry|as sold)$")]
    kcal: Annotated[float, Field(ge=0, le=900)]
    protein_g: Annotated[float, Field(ge=0, le=100)]
    carbs_g: Annotated[float, Field(ge=0, le=100)]
    fat_g: Annotated[float, Field(ge=0, le=100)]
    portion_g: Annotated[float, Field(gt=0, le=500)]
    portion: Text
    category: ShoppingCategory
    role: MealRole
    tags: list[FoodTag]

    @property
    def portion_words(self) -> str:
        """The portion without its grams ("1 cup"), for handouts in any unit."""
        return self.portion.removesuffix(self._portion_grams)

    @property
    def _portion_grams(self) -> str:
        return f" ({self.portion_g:g} g)"

    @model_validator(mode="after")
    def _portion_names_its_grams(self) -> Food:
        if not self.portion.endswith(self._portion_grams):
            raise ValueError(
                f"portion must end with its grams, {self._portion_grams.strip()}"
            )
        return self

    @model_validator(mode="after")
    def _tags_agree(self) -> Food:
        tags = set(self.tags)
        if FoodTag.VEGAN in tags and tags & {
            FoodTag.DAIRY,
            FoodTag.EGGS,
            FoodTag.FISH,
            FoodTag.SHELLFISH,
            FoodTag.PORK,
        }:
            raise ValueError("a vegan food cannot contain animal products")
        if FoodTag.VEGAN in tags and FoodTag.VEGETARIAN not in tags:
            raise ValueError("a vegan food is also vegetarian; tag both")
        if FoodTag.VEGETARIAN in tags and FoodTag.PESCATARIAN not in tags:
            raise ValueError("a vegetarian food is also pescatarian; tag both")
        if tags & {FoodTag.FISH, FoodTag.SHELLFISH} and FoodTag.VEGETARIAN in tags:
            raise ValueError("fish and shellfish are not vegetarian")
        if self.protein_g + self.carbs_g + self.fat_g > 100.5:
            raise ValueError("macronutrients exceed 100 g per 100 g")
        return self


class EnergySystem(StrEnum):
    PHOSPHAGEN = "phosphagen"
    GLYCOLYTIC = "glycolytic"
    OXIDATIVE = "oxidative"


class Sport(_Entry):
    """A sport's physical demands, for performance packets.

    Attributes:
        energy_systems: share of each energy system in percent, summing to 100.
        conditioning: sport-specific conditioning sessions, in plain words.
        injury_risk_areas: body areas most often injured in the sport.
    """

    id: Slug
    name: Text
    energy_systems: dict[EnergySystem, Annotated[int, Field(ge=0, le=100)]]
    movement_demands: Annotated[list[Text], Field(min_length=2)]
    key_qualities: Annotated[list[Text], Field(min_length=2)]
    conditioning: Annotated[list[Text], Field(min_length=2)]
    injury_risk_areas: Annotated[list[BodyArea], Field(min_length=1)]

    @model_validator(mode="after")
    def _shares_sum(self) -> Sport:
        if sum(self.energy_systems.values()) != 100:
            raise ValueError("energy system shares must add up to 100")
        return self
