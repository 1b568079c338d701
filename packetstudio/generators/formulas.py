"""The numbers behind a nutrition packet, each with how it was worked out.

Every function is pure and returns a :class:`Calculation` whose explanation
puts the client's own numbers into the formula, so a client can follow the
arithmetic on the handout. Formulas, ranges and sources follow the team's
domain notes; where a rule is a PacketStudio convention rather than guideline
text, the explanation says so.

Rounding is half up everywhere (``1,780.5`` becomes ``1,781``, never the
banker's ``1,780``). Each step works from the rounded number the step before
it printed, so the arithmetic on the handout adds up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from packetstudio.generators.base import Calculation, ContentModel
from packetstudio.intake import KG_PER_LB, Intake
from packetstudio.vocabulary import (
    ActivityLevel,
    ClientType,
    DietType,
    Experience,
    Goal,
    Sex,
)

ADULT_AGE = 18
OLDER_ADULT_AGE = 65
KCAL_PER_G_PROTEIN = 4
KCAL_PER_G_CARBS = 4
KCAL_PER_G_FAT = 9

ACTIVITY_FACTORS: dict[ActivityLevel, float] = {
    ActivityLevel.SEDENTARY: 1.2,
    ActivityLevel.LIGHTLY_ACTIVE: 1.375,
    ActivityLevel.MODERATELY_ACTIVE: 1.55,
    ActivityLevel.VERY_ACTIVE: 1.725,
    ActivityLevel.EXTRA_ACTIVE: 1.9,
}

FAT_LOSS_DEFICIT = -500
MUSCLE_GAIN_SURPLUS = 300
ENERGY_FLOORS: dict[Sex, int] = {Sex.FEMALE: 1200, Sex.MALE: 1500}

REFERENCE_BMI = 25
BMI_FOR_REFERENCE_WEIGHT = 30.0
PROTEIN_G_PER_LB = (0.8, 1.2)
OLDER_ADULT_MIN_G_PER_KG = 1.2
FAT_SHARE_RANGE = (0.25, 0.30)
KETO_CARBS_CAP_G = 50

# Goals that draw protein toward the top of the range and fat toward its
# 25 % end, leaving energy for protein and training carbohydrate.
_DEMANDING_GOALS = frozenset({Goal.FAT_LOSS, Goal.MUSCLE_GAIN, Goal.PERFORMANCE})

# g/lb of reference weight inside the 0.8-1.2 range, by goal and experience:
# demanding goals and advanced trainees sit toward the top.
_G_PER_LB: dict[tuple[bool, Experience], float] = {
    (True, Experience.BEGINNER): 1.0,
    (True, Experience.INTERMEDIATE): 1.1,
    (True, Experience.ADVANCED): 1.2,
    (False, Experience.BEGINNER): 0.8,
    (False, Experience.INTERMEDIATE): 0.9,
    (False, Experience.ADVANCED): 1.0,
}

# Schofield (FAO/WHO/UNU 1985): (slope, intercept) by sex, for ages 3-9 and
# 10-17. Age 10 belongs to the older band.
_SCHOFIELD: dict[tuple[Sex, bool], tuple[float, float]] = {
    (Sex.MALE, False): (22.706, 504.3),
    (Sex.MALE, True): (17.686, 658.2),
    (Sex.FEMALE, False): (20.315, 485.9),
    (Sex.FEMALE, True): (13.384, 692.6),
}

# WHO adult BMI classes: (lower bound, name), highest first.
_BMI_CLASSES: tuple[tuple[float, str], ...] = (
    (40.0, "obesity class III"),
    (35.0, "obesity class II"),
    (30.0, "obesity class I"),
    (25.0, "overweight"),
    (18.5, "normal weight"),
    (0.0, "underweight"),
)


class WholeCalculation(Calculation):
    """A :class:`Calculation` whose value is a whole number (kcal, grams)."""

    value: int


class Calculations(ContentModel):
    """Every number of a nutrition packet, in the order they are worked out.

    Attributes:
        katch_mcardle_kcal: resting energy from lean mass, shown beside
            Mifflin-St Jeor when body fat is known; never used for the target.
        floor_applied: the calorie floor replaced a lower target.
        floor_reason: why, in a sentence for the client; None without a floor.
        athlete_carbs: training-load carbohydrate range, shown for athletes
            as context only.
        notes: adjustments made to the macronutrient split, in plain words.
    """

    age: int
    bmr_kcal: WholeCalculation
    katch_mcardle_kcal: WholeCalculation | None
    tdee_kcal: WholeCalculation
    goal_adjustment_kcal: WholeCalculation
    target_kcal: WholeCalculation
    floor_applied: bool
    floor_reason: str | None
    bmi: Calculation
    reference_weight_kg: Calculation
    protein_g: WholeCalculation
    fat_g: WholeCalculation
    carbs_g: WholeCalculation
    water: Calculation
    drinks: Calculation
    fluid_loss_limit_kg: Calculation
    athlete_carbs: Calculation | None
    notes: list[str]

    def macro_kcal(self) -> int:
        """Return the energy of the macronutrients by the 4/4/9 factors."""
        return (
            KCAL_PER_G_PROTEIN * self.protein_g.value
            + KCAL_PER_G_CARBS * self.carbs_g.value
            + KCAL_PER_G_FAT * self.fat_g.value
        )


@dataclass(frozen=True)
class MacroSplit:
    """Protein, fat and carbohydrate for a day, with any adjustments made."""

    protein_g: WholeCalculation
    fat_g: WholeCalculation
    carbs_g: WholeCalculation
    notes: tuple[str, ...]


# --- rounding and number formatting ------------------------------------------


def round_half_up(value: float, places: int = 0) -> float:
    """Round ``value`` to ``places`` decimals, halves away from zero."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def whole(value: float) -> int:
    """Round ``value`` half up to an int."""
    return int(round_half_up(value))


def _n(value: float) -> str:
    """Format a number for an explanation: 1,780 or 80.5, no trailing zeros."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def _whole_calc(
    value: float, unit: str, formula: str, text: str, key: str
) -> WholeCalculation:
    """Return a :class:`WholeCalculation` of ``value`` rounded half up."""
    return WholeCalculation(
        value=whole(value), unit=unit, formula=formula, explanation=text, source=key
    )


# --- energy ------------------------------------------------------------------


def mifflin_st_jeor(
    sex: Sex, weight_kg: float, height_cm: float, age: int
) -> WholeCalculation:
    """Return resting energy (BMR) for an adult by Mifflin-St Jeor (1990).

    Args:
        age: completed years; the equation is for adults (18 and over).
    """
    constant = 5 if sex is Sex.MALE else -161
    sign = "+" if constant > 0 else "-"
    raw = 10 * weight_kg + 6.25 * height_cm - 5 * age + constant
    value = whole(raw)
    formula = (
        f"10 x weight (kg) + 6.25 x height (cm) - 5 x age (years) {sign} "
        f"{abs(constant)}"
    )
    text = (
        f"Resting energy (Mifflin-St Jeor, {sex.value}): 10 x {_n(weight_kg)} + "
        f"6.25 x {_n(height_cm)} - 5 x {age} {sign} {abs(constant)} = "
        f"{_n(value)} kcal/day."
    )
    return _whole_calc(raw, "kcal/day", formula, text, "mifflin")


def schofield(sex: Sex, weight_kg: float, age: int) -> WholeCalculation:
    """Return resting energy (BMR) for a child or teen by Schofield (1985).

    Ages 10-17 use the 10-18 band; younger children the 3-10 band (nutrition
    packets start at 10, so that band is only a safe answer, never printed).
    """
    older = age >= 10
    slope, intercept = _SCHOFIELD[(sex, older)]
    band = "10-18" if older else "3-10"
    raw = slope * weight_kg + intercept
    value = whole(raw)
    who = "boys" if sex is Sex.MALE else "girls"
    formula = f"{_n(slope)} x weight (kg) + {_n(intercept)}"
    text = (
        f"Resting energy (Schofield, {who} {band} years, as adopted by "
        f"FAO/WHO/UNU): {_n(slope)} x {_n(weight_kg)} + {_n(intercept)} = "
        f"{_n(value)} kcal/day."
    )
    return _whole_calc(raw, "kcal/day", formula, text, "schofield")


def resting_energy(
    sex: Sex, weight_kg: float, height_cm: float, age: int
) -> WholeCalculation:
    """Return BMR by the equation for the client's age: Schofield under 18."""
    if age < ADULT_AGE:
        return schofield(sex, weight_kg, age)
    return mifflin_st_jeor(sex, weight_kg, height_cm, age)


def lean_mass_kg(weight_kg: float, body_fat_percent: float) -> float:
    """Return lean body mass in kg, unrounded."""
    return weight_kg * (1 - body_fat_percent / 100)


def katch_mcardle(weight_kg: float, body_fat_percent: float) -> WholeCalculation:
    """Return resting energy from lean mass (Katch-McArdle), for comparison.

    Shown beside Mifflin-St Jeor when body fat is known; never used for the
    calorie target.
    """
    lean = round_half_up(lean_mass_kg(weight_kg, body_fat_percent), 1)
    raw = 370 + 21.6 * lean
    value = whole(raw)
    text = (
        f"Alternative from lean mass (Katch-McArdle): lean mass {_n(weight_kg)} x "
        f"(1 - {_n(body_fat_percent)}/100) = {_n(lean)} kg; 370 + 21.6 x "
        f"{_n(lean)} = {_n(value)} kcal/day. Shown for comparison only: the "
        "plan uses the estimate above."
    )
    formula = "370 + 21.6 x lean mass (kg); lean mass = weight x (1 - body fat/100)"
    return _whole_calc(raw, "kcal/day", formula, text, "katch_mcardle")


def daily_energy(bmr: WholeCalculation, activity: ActivityLevel) -> WholeCalculation:
    """Return daily energy (TDEE): BMR times the activity factor."""
    factor = ACTIVITY_FACTORS[activity]
    raw = bmr.value * factor
    value = whole(raw)
    text = (
        f"Daily energy: {_n(bmr.value)} x {_n(factor)} "
        f"({activity.value.replace('_', ' ')}) = {_n(value)} kcal/day. Activity "
        "factors are a common practice convention, not a validated guideline."
    )
    formula = "resting energy x activity factor (1.2 to 1.9)"
    return _whole_calc(raw, "kcal/day", formula, text, "activity_factors")


def goal_adjustment(goal: Goal, age: int) -> WholeCalculation:
    """Return the daily energy change for the goal; always 0 under 18."""
    if age < ADULT_AGE:
        text = (
            "No deficit or surplus under 18: growing bodies eat to maintain, and "
            "weight management in children belongs with a paediatric clinician."
        )
        return _whole_calc(0, "kcal/day", "0 under 18", text, "aap_2023")
    if goal is Goal.FAT_LOSS:
        text = (
            "Fat loss: 500 kcal/day below daily energy, for about 0.5 kg a week "
            "(NHLBI guidelines: a 500-1,000 kcal deficit)."
        )
        return _whole_calc(FAT_LOSS_DEFICIT, "kcal/day", "-500", text, "nhlbi_1998")
    if goal is Goal.MUSCLE_GAIN:
        text = (
            "Muscle gain: 300 kcal/day above daily energy, a moderate surplus "
            "within the usual +250 to +500."
        )
        return _whole_calc(MUSCLE_GAIN_SURPLUS, "kcal/day", "+300", text, "iraki_2019")
    text = f"{goal.value.replace('_', ' ').capitalize()}: eat to daily energy."
    return _whole_calc(0, "kcal/day", "0", text, "activity_factors")


@dataclass(frozen=True)
class EnergyTarget:
    """The day's calorie target and whether a floor replaced it."""

    target: WholeCalculation
    floor_reason: str | None


def target_energy(
    tdee: WholeCalculation, adjustment: WholeCalculation, sex: Sex, age: int
) -> EnergyTarget:
    """Return the calorie target: TDEE plus the goal change, floor applied last.

    The floor (1,200 kcal women, 1,500 men) applies to adults; under 18 the
    adjustment is 0, so a teen's target is their daily energy.
    """
    raw = tdee.value + adjustment.value
    sign = "+" if adjustment.value >= 0 else "-"
    text = (
        f"Target: {_n(tdee.value)} {sign} {_n(abs(adjustment.value))} = "
        f"{_n(raw)} kcal/day."
    )
    floor = ENERGY_FLOORS[sex]
    formula = "daily energy + goal adjustment, at least the floor for adults"
    if age < ADULT_AGE or raw >= floor:
        return EnergyTarget(
            _whole_calc(raw, "kcal/day", formula, text, "nhlbi_1998"), None
        )
    who = "women" if sex is Sex.FEMALE else "men"
    reason = (
        f"The calculated {_n(raw)} kcal/day is below {_n(floor)} kcal/day, the "
        f"lowest intake for {who} without medical supervision, so the plan uses "
        f"{_n(floor)} kcal/day."
    )
    target = _whole_calc(floor, "kcal/day", formula, f"{text} {reason}", "nhlbi_1998")
    return EnergyTarget(target, reason)


# --- body size ---------------------------------------------------------------


def bmi_class(bmi: float, age: int) -> str | None:
    """Return the WHO adult class of a one-decimal BMI; None under 18."""
    if age < ADULT_AGE:
        return None
    return next(name for low, name in _BMI_CLASSES if bmi >= low)


def bmi(weight_kg: float, height_cm: float, age: int) -> Calculation:
    """Return BMI to one decimal, with the WHO class for adults only."""
    metres = height_cm / 100
    value = round_half_up(weight_kg / (metres * metres), 1)
    text = f"BMI: {_n(weight_kg)} / ({_n(metres)} x {_n(metres)}) = {value:.1f}."
    name = bmi_class(value, age)
    if name is None:
        text += (
            " Under 18, BMI is read on BMI-for-age percentile charts, not adult "
            "classes; ask a paediatric clinician to plot it."
        )
    else:
        text += f" WHO adult class: {name}."
    text += " BMI cannot tell muscle from fat, so it misreads muscular athletes."
    formula = "weight (kg) / height (m) squared"
    return Calculation(
        value=value, unit="kg/m²", formula=formula, explanation=text, source="who_bmi"
    )


def reference_weight(
    weight_kg: float, height_cm: float, bmi_value: float
) -> Calculation:
    """Return the weight protein is based on (the BMI-25 weight from BMI 30).

    PacketStudio convention: from BMI 30 the weight at BMI 25 for the
    client's height (25 x m²) keeps protein sensible for large bodies.
    """
    formula = "body weight; from BMI 30, 25 x height (m) squared"
    if bmi_value < BMI_FOR_REFERENCE_WEIGHT:
        text = f"Reference weight for protein: body weight, {_n(weight_kg)} kg."
        return Calculation(
            value=weight_kg,
            unit="kg",
            formula=formula,
            explanation=text,
            source="who_bmi",
        )
    metres = height_cm / 100
    value = round_half_up(REFERENCE_BMI * metres * metres, 1)
    text = (
        f"Reference weight for protein: at BMI 30 or more PacketStudio uses the "
        f"weight at BMI 25 for your height: 25 x {_n(metres)} x {_n(metres)} = "
        f"{_n(value)} kg (a PacketStudio convention)."
    )
    return Calculation(
        value=value, unit="kg", formula=formula, explanation=text, source="who_bmi"
    )


# --- macronutrients ----------------------------------------------------------

_PROTEIN_FORMULA = "g per lb of reference weight x reference weight (lb)"
_TEEN_PROTEIN_FORMULA = "share of energy x target kcal / 4"
_FAT_FORMULA = "share of energy x target kcal / 9"


def protein_per_lb(goal: Goal, experience: Experience) -> float:
    """Return the g/lb chosen inside PacketStudio's 0.8-1.2 range.

    Fat loss, muscle gain and performance start at 1.0, maintenance and
    general health at 0.8; each step of experience adds 0.1.
    """
    return _G_PER_LB[(goal in _DEMANDING_GOALS, experience)]


def adult_protein(
    reference_kg: float, goal: Goal, experience: Experience, age: int
) -> WholeCalculation:
    """Return adult protein: 0.8-1.2 g per lb of reference weight.

    From 65 it is at least ESPEN's 1.2 g/kg of reference weight (the range
    already lies above it: 0.8 g/lb is about 1.76 g/kg).
    """
    per_lb = protein_per_lb(goal, experience)
    pounds = round_half_up(reference_kg / KG_PER_LB, 1)
    grams = whole(per_lb * pounds)
    where = "top" if goal in _DEMANDING_GOALS else "bottom"
    low, high = PROTEIN_G_PER_LB
    text = (
        f"Protein: {per_lb:.1f} g per lb of reference weight for "
        f"{goal.value.replace('_', ' ')} at {experience.value} level (this goal "
        f"sits toward the {where} of PacketStudio's {low}-{high} g/lb range, a "
        f"convention; experience moves it up): {per_lb:.1f} x {_n(pounds)} lb "
        f"= {_n(grams)} g/day."
    )
    if age < OLDER_ADULT_AGE:
        return _whole_calc(grams, "g/day", _PROTEIN_FORMULA, text, "issn_protein")

    minimum = whole(OLDER_ADULT_MIN_G_PER_KG * reference_kg)
    if grams < minimum:
        grams = minimum
        text += f" Raised to {_n(grams)} g for ESPEN's 1.2 g/kg from 65."
    else:
        per_kg = round_half_up(grams / reference_kg, 1)
        text += f" That is {_n(per_kg)} g/kg, above ESPEN's 1.2 g/kg from 65."
    return _whole_calc(grams, "g/day", _PROTEIN_FORMULA, text, "espen_older")


def teen_protein(target_kcal: int, goal: Goal) -> WholeCalculation:
    """Return protein under 18 as a share of energy inside the 10-30 % range.

    20 % for muscle gain or performance, 15 % otherwise; the adult g/lb
    rule is not used for growing bodies.
    """
    share = 0.20 if goal in {Goal.MUSCLE_GAIN, Goal.PERFORMANCE} else 0.15
    grams = whole(share * target_kcal / KCAL_PER_G_PROTEIN)
    text = (
        f"Protein: {_n(share * 100)} % of energy, inside the 10-30 % range for "
        f"ages 4-18 (the adult g/lb rule is not used under 18): {_n(share)} x "
        f"{_n(target_kcal)} / 4 = {_n(grams)} g/day."
    )
    return _whole_calc(grams, "g/day", _TEEN_PROTEIN_FORMULA, text, "iom_amdr")


def fat_share(goal: Goal) -> float:
    """Return the fat share of energy inside PacketStudio's 25-30 % range.

    25 % for fat loss, muscle gain and performance (room for protein and
    training carbohydrate), 30 % for maintenance and general health.
    """
    low, high = FAT_SHARE_RANGE
    return low if goal in _DEMANDING_GOALS else high


def macro_split(
    target_kcal: int, protein: WholeCalculation, goal: Goal, diet: DietType, age: int
) -> MacroSplit:
    """Return protein, fat and carbohydrate grams that add up to the target.

    Fat is chosen inside 25-30 % and carbohydrate takes the rest. If protein
    and fat leave too little, fat drops toward 25 % first; carbohydrate is
    never negative, and protein is trimmed only if, with fat at 25 %, it
    alone would pass the target. Keto caps carbohydrate at 50 g and fat
    fills the rest.
    """
    if diet is DietType.KETO:
        return _keto_split(target_kcal, protein)
    share = fat_share(goal)
    fat_g = whole(share * target_kcal / KCAL_PER_G_FAT)
    fat_text = _fat_text(share, target_kcal, fat_g, age)
    notes: list[str] = []

    spare = _spare_kcal(target_kcal, protein.value, fat_g)
    if spare < 0:
        # Lowest fat that still keeps to the 25 % end of the range.
        floor_g = whole(FAT_SHARE_RANGE[0] * target_kcal / KCAL_PER_G_FAT)
        fat_g = max(floor_g, fat_g + math.floor(spare / KCAL_PER_G_FAT))
        note = f"Fat lowered to {_n(fat_g)} g/day to make room for protein."
        notes.append(note)
        fat_text += f" {note}"
        spare = _spare_kcal(target_kcal, protein.value, fat_g)
    if spare < 0:
        room = target_kcal - KCAL_PER_G_FAT * fat_g
        protein, trim_note = _trim_protein(protein, room)
        notes.append(trim_note)
        spare = _spare_kcal(target_kcal, protein.value, fat_g)

    fat = _whole_calc(fat_g, "g/day", _FAT_FORMULA, fat_text, "iom_amdr")
    carbs = _carbs_from_rest(target_kcal, protein.value, fat_g, spare)
    if carbs.value == 0:
        notes.append("No energy is left for carbohydrate at this target.")
    return MacroSplit(protein, fat, carbs, tuple(notes))


def _spare_kcal(target_kcal: int, protein_g: int, fat_g: int) -> int:
    """Return the energy left for carbohydrate (negative if none)."""
    return target_kcal - KCAL_PER_G_PROTEIN * protein_g - KCAL_PER_G_FAT * fat_g


def _fat_text(share: float, target_kcal: int, fat_g: int, age: int) -> str:
    """Return the fat explanation, naming the range that applies at ``age``."""
    allowed = "25-35 % for ages 4-18" if age < ADULT_AGE else "20-35 % for adults"
    return (
        f"Fat: {_n(share * 100)} % of energy, {_n(share)} x {_n(target_kcal)} / 9 "
        f"= {_n(fat_g)} g/day (PacketStudio uses 25-30 %, inside the {allowed})."
    )


def limit_protein(
    protein: WholeCalculation, grams: int, reason: str
) -> WholeCalculation:
    """Return ``protein`` lowered to ``grams``, with ``reason`` explained."""
    explanation = f"{protein.explanation} {reason}"
    return protein.model_copy(update={"value": grams, "explanation": explanation})


def _trim_protein(
    protein: WholeCalculation, room_kcal: int
) -> tuple[WholeCalculation, str]:
    """Lower protein to what fits in ``room_kcal``; return it with a note."""
    grams = max(0, room_kcal // KCAL_PER_G_PROTEIN)
    note = (
        f"Protein trimmed from {_n(protein.value)} g to {_n(grams)} g/day: with "
        "fat at its minimum, more would pass the calorie target."
    )
    return limit_protein(protein, grams, note), note


def _carbs_from_rest(
    target_kcal: int, protein_g: int, fat_g: int, spare_kcal: int
) -> WholeCalculation:
    """Return carbohydrate as the energy left after protein and fat, over 4."""
    grams = whole(max(0, spare_kcal) / KCAL_PER_G_CARBS)
    text = (
        f"Carbohydrate: the energy left, ({_n(target_kcal)} - 4 x {_n(protein_g)} "
        f"- 9 x {_n(fat_g)}) / 4 = {_n(grams)} g/day."
    )
    formula = "(target kcal - 4 x protein g - 9 x fat g) / 4"
    return _whole_calc(grams, "g/day", formula, text, "atwater")


def _keto_split(target_kcal: int, protein: WholeCalculation) -> MacroSplit:
    """Return a keto split: carbohydrate capped at 50 g, fat fills the rest.

    Fat keeps at least 25 % of energy: carbohydrate gives way first, then
    protein is trimmed, as in the regular split.
    """
    notes: list[str] = []
    fat_floor_g = whole(FAT_SHARE_RANGE[0] * target_kcal / KCAL_PER_G_FAT)
    room = target_kcal - KCAL_PER_G_PROTEIN * protein.value
    carbs_g = max(0, min(KETO_CARBS_CAP_G, (room - 9 * fat_floor_g) // 4))
    if room - KCAL_PER_G_FAT * fat_floor_g < 0:
        protein, trim_note = _trim_protein(protein, target_kcal - 9 * fat_floor_g)
        notes.append(trim_note)
        room = target_kcal - KCAL_PER_G_PROTEIN * protein.value
    if carbs_g < KETO_CARBS_CAP_G:
        notes.append(
            f"Carbohydrate is {_n(carbs_g)} g, below the {KETO_CARBS_CAP_G} g keto "
            "cap, so that fat keeps at least 25 % of energy."
        )
    fat_g = whole((room - KCAL_PER_G_CARBS * carbs_g) / KCAL_PER_G_FAT)

    carbs_text = (
        f"Carbohydrate: at most {KETO_CARBS_CAP_G} g/day on a keto diet (a "
        f"PacketStudio convention, not a guideline): {_n(carbs_g)} g/day."
    )
    fat_text = (
        f"Fat fills the rest on keto: ({_n(target_kcal)} - 4 x "
        f"{_n(protein.value)} - 4 x {_n(carbs_g)}) / 9 = {_n(fat_g)} g/day."
    )
    carbs = _whole_calc(carbs_g, "g/day", "at most 50 g", carbs_text, "atwater")
    formula = "(target kcal - 4 x protein g - 4 x carbohydrate g) / 9"
    fat = _whole_calc(fat_g, "g/day", formula, fat_text, "atwater")
    return MacroSplit(protein, fat, carbs, tuple(notes))


# --- water and athletes ------------------------------------------------------


# IOM 2004 adequate intakes, litres a day: (total water, from drinks), by sex
# and the DRI age bands 9-13, 14-18 and 19+.
_WATER: dict[tuple[Sex, str], tuple[float, float]] = {
    (Sex.MALE, "9-13"): (2.4, 1.8),
    (Sex.FEMALE, "9-13"): (2.1, 1.6),
    (Sex.MALE, "14-18"): (3.3, 2.6),
    (Sex.FEMALE, "14-18"): (2.3, 1.8),
    (Sex.MALE, "19+"): (3.7, 3.0),
    (Sex.FEMALE, "19+"): (2.7, 2.2),
}


def _water_band(age: int) -> str:
    if age <= 13:
        return "9-13"
    return "14-18" if age <= 18 else "19+"


def water(sex: Sex, age: int) -> tuple[Calculation, Calculation]:
    """Return the IOM 2004 adequate intake of total water and of drinks.

    Uses the IOM band for the age (9-13, 14-18, 19 and over); an 18-year-old
    is in IOM's 14-18 band.
    """
    band = _water_band(age)
    total, drinks = _WATER[(sex, band)]
    who = "men" if sex is Sex.MALE else "women"
    if band != "19+":
        who = "boys" if sex is Sex.MALE else "girls"
    formula = "IOM adequate intake by sex and age"
    text = (
        f"Water: about {total:.1f} L a day in total for {who} aged "
        f"{band.replace('+', ' and over')} "
        f"(IOM), of which about {drinks:.1f} L from drinks; food gives the rest."
    )
    drinks_text = f"Drinks: about {drinks:.1f} L a day, more on training days."
    return (
        Calculation(
            value=total,
            unit="L/day",
            formula=formula,
            explanation=text,
            source="iom_water",
        ),
        Calculation(
            value=drinks,
            unit="L/day",
            formula=formula,
            explanation=drinks_text,
            source="iom_water",
        ),
    )


def fluid_loss_limit(weight_kg: float) -> Calculation:
    """Return the most body mass to lose as sweat in a session (2 %, ACSM)."""
    value = round_half_up(0.02 * weight_kg, 1)
    text = (
        f"Training fluid: weigh before and after; keep the loss under 2 % of body "
        f"mass, 0.02 x {_n(weight_kg)} = {value:.1f} kg, and drink about 1.25-1.5 L "
        "for each kg lost."
    )
    return Calculation(
        value=value,
        unit="kg",
        formula="0.02 x body mass (kg)",
        explanation=text,
        source="acsm_fluid",
    )


# Thomas et al. 2016, g/kg/day: (longest session in minutes, training load,
# low, high). Sessions over 75 minutes fall in the 1-3 h band.
_ATHLETE_CARBS: tuple[tuple[int, str, int, int], ...] = (
    (44, "light or skill-based training", 3, 5),
    (75, "about 1 h a day of moderate training", 5, 7),
    (24 * 60, "1-3 h a day of training", 6, 10),
)


def athlete_carbs(weight_kg: float, session_minutes: int) -> Calculation:
    """Return the athletes' carbohydrate range for the training load.

    Shown as context only: the value is the middle of the range in grams;
    the plan's carbohydrate still comes from the calorie target.
    """
    _, load, low, high = next(
        band for band in _ATHLETE_CARBS if session_minutes <= band[0]
    )
    low_g, high_g = whole(low * weight_kg), whole(high * weight_kg)
    text = (
        f"For athletes, {load}: {low}-{high} g carbohydrate per kg a day, "
        f"{low}-{high} x {_n(weight_kg)} = {_n(low_g)}-{_n(high_g)} g (context; "
        "the plan's carbohydrate comes from the calorie target)."
    )
    return Calculation(
        value=whole((low_g + high_g) / 2),
        unit="g/day",
        formula="g/kg range for the training load x body weight (kg)",
        explanation=text,
        source="acsm_nutrition_2016",
    )


# --- everything together -----------------------------------------------------


def calculate(intake: Intake, as_of: date) -> Calculations:
    """Return every number of a nutrition packet for ``intake`` on ``as_of``."""
    age = intake.age_on(as_of)
    sex, weight, height = intake.sex, intake.weight_kg, intake.height_cm

    bmr = resting_energy(sex, weight, height, age)
    tdee = daily_energy(bmr, intake.activity_level)
    adjustment = goal_adjustment(intake.goal, age)
    energy = target_energy(tdee, adjustment, sex, age)
    target = energy.target.value

    body = bmi(weight, height, age)
    reference = reference_weight(weight, height, body.value)
    if age < ADULT_AGE:
        protein = teen_protein(target, intake.goal)
    else:
        protein = adult_protein(
            reference.value, intake.goal, intake.training_experience, age
        )
    split = macro_split(target, protein, intake.goal, intake.diet_type, age)

    total_water, drinks = water(sex, age)
    katch = None
    if intake.body_fat_percent is not None:
        katch = katch_mcardle(weight, intake.body_fat_percent)
    athlete = None
    if intake.client_type is ClientType.ATHLETE:
        athlete = athlete_carbs(weight, intake.session_minutes)

    return Calculations(
        age=age,
        bmr_kcal=bmr,
        katch_mcardle_kcal=katch,
        tdee_kcal=tdee,
        goal_adjustment_kcal=adjustment,
        target_kcal=energy.target,
        floor_applied=energy.floor_reason is not None,
        floor_reason=energy.floor_reason,
        bmi=body,
        reference_weight_kg=reference,
        protein_g=split.protein_g,
        fat_g=split.fat_g,
        carbs_g=split.carbs_g,
        water=total_water,
        drinks=drinks,
        fluid_loss_limit_kg=fluid_loss_limit(weight),
        athlete_carbs=athlete,
        notes=list(split.notes),
    )
