"""The closed sets of words an intake, a library entry and a packet share.

Every choice a front-desk worker makes in the intake form, and every tag an
exercise or a food carries, is one of these enum members. Keeping them in one
module means a misspelt activity level or allergen cannot silently fall back to
a default: it is simply not a member, and validation names it.
"""

from __future__ import annotations

from enum import StrEnum


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class ClientType(StrEnum):
    GENERAL = "general"
    ATHLETE = "athlete"
    YOUTH = "youth"
    RECOVERY = "recovery"


class Goal(StrEnum):
    FAT_LOSS = "fat_loss"
    MAINTENANCE = "maintenance"
    MUSCLE_GAIN = "muscle_gain"
    PERFORMANCE = "performance"
    GENERAL_HEALTH = "general_health"


class ActivityLevel(StrEnum):
    SEDENTARY = "sedentary"
    LIGHTLY_ACTIVE = "lightly_active"
    MODERATELY_ACTIVE = "moderately_active"
    VERY_ACTIVE = "very_active"
    EXTRA_ACTIVE = "extra_active"


class Experience(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class WorkoutTime(StrEnum):
    MORNING = "morning"
    MIDDAY = "midday"
    EVENING = "evening"


class Equipment(StrEnum):
    BODYWEIGHT = "bodyweight"
    DUMBBELLS = "dumbbells"
    BARBELL = "barbell"
    KETTLEBELLS = "kettlebells"
    MACHINES = "machines"
    CABLES = "cables"
    BANDS = "bands"
    PULL_UP_BAR = "pull_up_bar"
    BENCH = "bench"
    CARDIO_MACHINES = "cardio_machines"


class BodyArea(StrEnum):
    """Areas an injury can affect and an exercise can load."""

    NECK = "neck"
    SHOULDER = "shoulder"
    ELBOW = "elbow"
    WRIST = "wrist"
    UPPER_BACK = "upper_back"
    LOWER_BACK = "lower_back"
    HIP = "hip"
    KNEE = "knee"
    ANKLE = "ankle"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class InjuryStatus(StrEnum):
    ACUTE = "acute"
    RECOVERING = "recovering"
    CHRONIC = "chronic"
    HEALED = "healed"


class DietType(StrEnum):
    OMNIVORE = "omnivore"
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    PESCATARIAN = "pescatarian"
    HALAL = "halal"
    KOSHER = "kosher"
    KETO = "keto"


class Allergen(StrEnum):
    PEANUTS = "peanuts"
    TREE_NUTS = "tree_nuts"
    DAIRY = "dairy"
    EGGS = "eggs"
    GLUTEN = "gluten"
    SOY = "soy"
    FISH = "fish"
    SHELLFISH = "shellfish"
    SESAME = "sesame"


class SeasonPhase(StrEnum):
    OFF_SEASON = "off_season"
    PRE_SEASON = "pre_season"
    IN_SEASON = "in_season"
    TRANSITION = "transition"


class PacketType(StrEnum):
    NUTRITION = "nutrition"
    WORKOUT = "workout"
    PERFORMANCE = "performance"
    YOUTH = "youth"
    RECOVERY = "recovery"


# Packet types suggested for each client type (design notes, "Which packets a
# client gets"). Youth nutrition is added only from age 10; see
# packetstudio.eligibility.
SUGGESTED_PACKETS: dict[ClientType, tuple[PacketType, ...]] = {
    ClientType.GENERAL: (PacketType.NUTRITION, PacketType.WORKOUT),
    ClientType.ATHLETE: (PacketType.PERFORMANCE, PacketType.NUTRITION),
    ClientType.YOUTH: (PacketType.YOUTH, PacketType.NUTRITION),
    ClientType.RECOVERY: (PacketType.RECOVERY, PacketType.NUTRITION),
}


def label(value: StrEnum) -> str:
    """Return the words a person reads for a value: "tree_nuts" -> "Tree nuts"."""
    return value.value.replace("_", " ").capitalize()
