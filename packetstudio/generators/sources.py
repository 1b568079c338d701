"""The guidelines and formulas behind the numbers in packets, with citations."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Source(BaseModel):
    """A citation a packet lists under "Sources"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str
    citation: str
    used_for: str


_CATALOGUE: dict[str, tuple[str, str]] = {
    "mifflin": (
        "Mifflin MD, St Jeor ST, et al. A new predictive equation for resting "
        "energy expenditure in healthy individuals. Am J Clin Nutr. 1990;51:241-247.",
        "resting energy (BMR) for adults",
    ),
    "frankenfield": (
        "Frankenfield D, Roth-Yousey L, Compher C. Comparison of predictive "
        "equations for resting metabolic rate in healthy nonobese and obese "
        "adults: a systematic review. J Am Diet Assoc. 2005;105:775-789.",
        "choice of Mifflin-St Jeor as the preferred adult equation",
    ),
    "schofield": (
        "Schofield WN. Predicting basal metabolic rate, new standards and review "
        "of previous work. Hum Nutr Clin Nutr. 1985;39C Suppl 1:5-41; as adopted "
        "by FAO/WHO/UNU, Energy and protein requirements, 1985.",
        "resting energy (BMR) for children and teens",
    ),
    "katch_mcardle": (
        "Katch-McArdle equation (370 + 21.6 x lean body mass), in McArdle WD, "
        "Katch FI, Katch VL. Exercise Physiology.",
        "resting energy from lean mass, when body fat is known",
    ),
    "activity_factors": (
        "Activity multipliers 1.2-1.9: a common practice convention, not a "
        "validated guideline.",
        "daily energy from resting energy",
    ),
    "nhlbi_1998": (
        "NHLBI. Clinical Guidelines on the Identification, Evaluation, and "
        "Treatment of Overweight and Obesity in Adults. 1998.",
        "a 500 kcal/day deficit for fat loss; low-calorie floors",
    ),
    "iraki_2019": (
        "Iraki J, Fitschen P, Espinar S, Helms E. Nutrition recommendations for "
        "bodybuilders in the off-season: a narrative review. Sports. 2019;7:154.",
        "a moderate surplus for muscle gain",
    ),
    "aap_2023": (
        "Hampl SE, et al. Clinical Practice Guideline for the Evaluation and "
        "Treatment of Children and Adolescents With Obesity. Pediatrics. "
        "2023;151:e2022060640.",
        "no calorie deficit under 18 without a paediatric clinician",
    ),
    "atwater": (
        "Atwater general factors: 4 kcal/g protein and carbohydrate, 9 kcal/g fat.",
        "converting grams to calories",
    ),
    "issn_protein": (
        "Jager R, et al. International Society of Sports Nutrition position "
        "stand: protein and exercise. J Int Soc Sports Nutr. 2017;14:20.",
        "protein for people who exercise",
    ),
    "espen_older": (
        "Deutz NE, et al. Protein intake and exercise for optimal muscle function "
        "with aging: recommendations from the ESPEN Expert Group. Clin Nutr. "
        "2014;33:929-936.",
        "protein for older adults",
    ),
    "iom_amdr": (
        "Institute of Medicine. Dietary Reference Intakes for Energy, "
        "Carbohydrate, Fiber, Fat, Fatty Acids, Cholesterol, Protein, and Amino "
        "Acids. National Academies Press; 2005.",
        "fat and carbohydrate ranges (AMDR)",
    ),
    "acsm_nutrition_2016": (
        "Thomas DT, Erdman KA, Burke LM. American College of Sports Medicine "
        "Joint Position Statement: Nutrition and Athletic Performance. Med Sci "
        "Sports Exerc. 2016;48:543-568.",
        "carbohydrate for athletes by training load",
    ),
    "iom_water": (
        "Institute of Medicine. Dietary Reference Intakes for Water, Potassium, "
        "Sodium, Chloride, and Sulfate. National Academies Press; 2004.",
        "daily water",
    ),
    "acsm_fluid": (
        "Sawka MN, et al. American College of Sports Medicine position stand: "
        "exercise and fluid replacement. Med Sci Sports Exerc. 2007;39:377-390.",
        "fluid during and after exercise",
    ),
    "who_bmi": (
        "World Health Organization. Obesity: preventing and managing the global "
        "epidemic. WHO Technical Report Series 894; 2000.",
        "adult BMI classes",
    ),
    "usda_fdc": (
        "U.S. Department of Agriculture, Agricultural Research Service. "
        "FoodData Central, SR Legacy. fdc.nal.usda.gov.",
        "calories and macronutrients of foods",
    ),
    "acsm_resistance_2009": (
        "Ratamess NA, et al. American College of Sports Medicine position stand: "
        "progression models in resistance training for healthy adults. Med Sci "
        "Sports Exerc. 2009;41:687-708.",
        "sets, repetitions, rest, load and frequency",
    ),
    "nsca_essentials_4": (
        "Haff GG, Triplett NT, eds. Essentials of Strength Training and "
        "Conditioning. 4th ed. National Strength and Conditioning Association; "
        "Human Kinetics; 2016.",
        "periodisation by season",
    ),
    "nsca_youth_2009": (
        "Faigenbaum AD, et al. Youth resistance training: updated position "
        "statement paper from the National Strength and Conditioning "
        "Association. J Strength Cond Res. 2009;23(5 Suppl):S60-S79.",
        "youth resistance training",
    ),
    "lloyd_2014": (
        "Lloyd RS, et al. Position statement on youth resistance training: the "
        "2014 International Consensus. Br J Sports Med. 2014;48:498-505.",
        "youth resistance training",
    ),
    "aap_youth": (
        "American Academy of Pediatrics. Strength training by children and "
        "adolescents. Pediatrics. 2008;121:835-840; and Stricker PR, et al. "
        "Resistance Training for Children and Adolescents. Pediatrics. "
        "2020;145:e20201011.",
        "medical review and session length for youth",
    ),
    "who_activity_2020": (
        "World Health Organization. WHO guidelines on physical activity and "
        "sedentary behaviour. 2020.",
        "daily activity for ages 5-17",
    ),
    "pain_monitoring": (
        "Silbernagel KG, et al. Continued sports activity, using a "
        "pain-monitoring model, during rehabilitation in patients with Achilles "
        "tendinopathy. Am J Sports Med. 2007;35:897-906; after Thomee R, 1997.",
        "the pain traffic-light rule",
    ),
    "ardern_2016": (
        "Ardern CL, et al. 2016 Consensus statement on return to sport from the "
        "First World Congress in Sports Physical Therapy, Bern. Br J Sports Med. "
        "2016;50:853-864.",
        "return to activity as a continuum with gates",
    ),
    "nsf_sleep_2015": (
        "Hirshkowitz M, et al. National Sleep Foundation's sleep time duration "
        "recommendations: methodology and results summary. Sleep Health. "
        "2015;1:40-43.",
        "7-9 hours of sleep for adults",
    ),
    "parq_2023": (
        "PAR-Q+ Collaboration. The Physical Activity Readiness Questionnaire for "
        "Everyone (PAR-Q+), 2023.",
        "screening questions before exercise",
    ),
}


def source(key: str) -> Source:
    """Return the catalogued source with ``key``.

    Raises:
        KeyError: for a key not in the catalogue (a programming error).
    """
    citation, used_for = _CATALOGUE[key]
    return Source(key=key, citation=citation, used_for=used_for)


def sources(*keys: str) -> list[Source]:
    """Return the sources for ``keys`` in order, each once."""
    return [source(k) for k in dict.fromkeys(keys)]


def known_keys() -> frozenset[str]:
    return frozenset(_CATALOGUE)
