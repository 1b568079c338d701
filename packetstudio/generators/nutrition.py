"""Nutrition packets: daily targets, meal timing, a 7-day plan and shopping.

:func:`generate` turns an intake into a :class:`NutritionPacket`. The numbers
come from :mod:`packetstudio.generators.formulas`; the sample plan is built
from the food library with every restriction applied absolutely, and with
food values taken from the library per 100 g (never recomputed with 4/4/9).

The steps live in their own modules, in the order a packet is made:

- :mod:`~packetstudio.generators.foods`: the foods the diet, allergies and
  foods to avoid (matched by whole words) allow;
- :mod:`~packetstudio.generators.mealtimes`: when to eat, around any workout;
- :mod:`~packetstudio.generators.palette`: the week's foods, seeded from the
  client's name so the same intake always gives the same packet;
- :mod:`~packetstudio.generators.portions` and
  :mod:`~packetstudio.generators.mealplan`: the 7-day plan within 10 % of
  the targets;
- :mod:`~packetstudio.generators.shopping`: the week's foods by aisle;
- :mod:`~packetstudio.generators.tips`: advice for the named struggles.

This module assembles the packet and says what it did, in plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from packetstudio.generators import formulas
from packetstudio.generators.base import (
    GENERATOR_VERSION,
    GlanceItem,
    NotApplicable,
    PacketContent,
)
from packetstudio.generators.foods import (
    Foods,
    food_index,
    foods_for,
    is_low_carb,
    protein_foods,
    restriction_summary,
    restrictions,
    term_words,
)
from packetstudio.generators.formulas import Calculations
from packetstudio.generators.mealplan import PlanDay, PlannedMeal, Portion, meal_plan
from packetstudio.generators.mealtimes import MealSlot, meal_times, workout_clock
from packetstudio.generators.palette import client_seed
from packetstudio.generators.shopping import (
    ShoppingGroup,
    ShoppingItem,
    shopping_list,
)
from packetstudio.generators.sources import sources
from packetstudio.generators.tips import Tip, normalize_struggle, tips_for
from packetstudio.intake import Intake
from packetstudio.library import Library
from packetstudio.vocabulary import DietType, Goal, PacketType, label

# When a diet's densest protein food is below the target's protein share,
# protein is lowered to this fraction of that food's share (see notes).
_REACHABLE_SHARE = 0.9
_LARGE_MEAL_KCAL = 1200


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


# --- the packet --------------------------------------------------------------


def generate(intake: Intake, library: Library, as_of: date) -> NutritionPacket:
    """Return the nutrition packet for ``intake`` on ``as_of``.

    Eligibility (nutrition from age 10) is checked by the caller, through
    :func:`packetstudio.generators.generate`.

    Raises:
        NotApplicable: the client's restrictions leave too few foods for a
            plan that reaches the targets.
    """
    allowed = _allowed_or_refuse(intake, library)
    targets = formulas.calculate(intake, as_of)
    calculations = reachable_protein(targets, intake, allowed)
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
        workout_time=workout_clock(intake),
        meal_times=slots,
        meal_plan=plan,
        shopping_list=shopping_list(plan, library),
        tips=tips,
        struggles_to_discuss=unknown,
        restrictions=restrictions(intake, library),
        notes=_notes(calculations, slots, plan),
    )


def _allowed_or_refuse(intake: Intake, library: Library) -> Foods:
    """Return the foods the restrictions allow, or refuse if there are none."""
    allowed = foods_for(intake, library)
    if not allowed:
        raise NotApplicable(
            f"No food in the library fits {restriction_summary(intake)}; loosen "
            "a restriction or plan with a dietitian."
        )
    return allowed


def _plan_or_refuse(
    calculations: Calculations,
    slots: Sequence[MealSlot],
    allowed: Foods,
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


# --- the protein the diet can reach ------------------------------------------


def reachable_protein(
    calculations: Calculations,
    intake: Intake,
    allowed: Foods,
) -> Calculations:
    """Lower protein (and re-split macros) if the diet's foods cannot reach it.

    A plan's protein share cannot pass the share of its densest protein
    food; a vegan allergic to soy, for example, is left with legumes at
    about 30 %. Protein is then set to 90 % of that share of the target and
    the packet says so, rather than refusing the client a plan.
    """
    densest = max(protein_foods(allowed), key=lambda f: f.protein_share)
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
    return _lower_protein(calculations, intake, limit, note)


def _lower_protein(
    calculations: Calculations, intake: Intake, limit: int, note: str
) -> Calculations:
    """Return ``calculations`` with protein at ``limit`` and macros re-split."""
    protein = formulas.limit_protein(calculations.protein_g, limit, note)
    split = formulas.macro_split(
        calculations.target_kcal.value,
        protein,
        intake.goal,
        intake.diet_type,
        calculations.age,
    )
    return calculations.model_copy(
        update={
            "protein_g": split.protein_g,
            "fat_g": split.fat_g,
            "carbs_g": split.carbs_g,
            "notes": [*calculations.notes, note, *split.notes],
        }
    )


# --- clearance, summary and sources ------------------------------------------


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
        reasons += _under_18_reasons(intake)
    return reasons


def _under_18_reasons(intake: Intake) -> list[str]:
    """Return the clearance reasons for a client under 18."""
    reasons = [
        "Under 18: a parent or guardian should be involved, and growth is "
        "best checked on BMI-for-age charts."
    ]
    if intake.goal is Goal.FAT_LOSS:
        reasons.append(
            "Fat loss under 18 is not planned with a calorie deficit; a "
            "paediatric clinician should be involved for weight concerns."
        )
    if intake.diet_type is DietType.KETO:
        reasons.append("A keto diet under 18 needs a paediatric dietitian.")
    return reasons


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


def _summary(intake: Intake, c: Calculations) -> str:
    goal = label(intake.goal).lower()
    return (
        f"About {c.target_kcal.value:,} kcal a day for {goal}, with "
        f"{c.protein_g.value:,} g protein, {c.carbs_g.value:,} g carbohydrate and "
        f"{c.fat_g.value:,} g fat over {intake.meals_per_day} meals, a 7-day "
        "sample plan and a shopping list."
    )


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


# --- conventions and notes ---------------------------------------------------


def conventions(intake: Intake, calculations: Calculations) -> list[str]:
    """Return the PacketStudio conventions this packet uses, in plain words."""
    used = [
        "Activity factors (1.2 to 1.9) are a common practice convention, not a "
        "validated guideline.",
        *_target_conventions(intake, calculations),
    ]
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


def _target_conventions(intake: Intake, calculations: Calculations) -> list[str]:
    """Return the conventions behind the energy surplus and the protein."""
    c = calculations
    used: list[str] = []
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


__all__ = [
    "MealSlot",
    "NutritionPacket",
    "PlanDay",
    "PlannedMeal",
    "Portion",
    "ShoppingGroup",
    "ShoppingItem",
    "Tip",
    "food_index",
    "generate",
    "is_low_carb",
    "normalize_struggle",
    "term_words",
]
