"""Template filters that write amounts in the handout's units.

Every number a generator produces is metric. The gym's setting (``units`` in
a template's context, "metric" or "imperial") picks how body weights, drinks
and food are written on the handout. The formulas themselves are defined in
kilograms, centimetres and litres, so their worked explanations stay in those
units; the handout says so where it shows them.
"""

from __future__ import annotations

from jinja2 import pass_context
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context

# Conversion factors: NIST Handbook 44, Appendix C; the avoirdupois pound is
# exactly 0.45359237 kg, and its ounce a sixteenth of that.
POUNDS_PER_KG = 2.20462
US_FL_OZ_PER_LITRE = 33.814
GRAMS_PER_OUNCE = 28.349523125
OUNCES_PER_POUND = 16


# More places than any amount on a handout needs, and few enough to print.
MAX_DECIMALS = 6


def number(value: float, decimals: int = 0) -> str:
    """Write a number with thousands separators: ``2276.4 -> "2,276"``."""
    if not isinstance(decimals, int) or not 0 <= decimals <= MAX_DECIMALS:
        raise SecurityError(f"an amount takes 0 to {MAX_DECIMALS} decimal places")
    return f"{value:,.{decimals}f}"


def _imperial(context: Context) -> bool:
    return bool(context.get("units") == "imperial")


@pass_context
def mass(context: Context, kilograms: float, decimals: int = 1) -> str:
    """Write a body weight in the handout's units: ``82 -> "82.0 kg"/"180.8 lb"``."""
    if _imperial(context):
        return f"{number(kilograms * POUNDS_PER_KG, decimals)} lb"
    return f"{number(kilograms, decimals)} kg"


@pass_context
def volume(context: Context, litres: float, decimals: int = 1) -> str:
    """Write a volume of drink in the handout's units: ``2.5 -> "2.5 L"/"85 fl oz"``."""
    if _imperial(context):
        return f"{number(litres * US_FL_OZ_PER_LITRE)} fl oz"
    return f"{number(litres, decimals)} L"


@pass_context
def food_mass(context: Context, grams: float) -> str:
    """Write a food's weight as kitchen scales show it.

    Metric: ``150 -> "150 g"``, ``1240 -> "1.2 kg"``. Imperial, in ounces to
    a pound and pounds above: ``150 -> "5.3 oz"``, ``1240 -> "2.7 lb"``.
    """
    if not _imperial(context):
        if grams >= 1000:
            return f"{number(grams / 1000, 1)} kg"
        return f"{number(grams)} g"
    ounces = grams / GRAMS_PER_OUNCE
    decimals = 1 if ounces < 10 else 0
    if round(ounces, decimals) >= OUNCES_PER_POUND:  # never "16 oz"
        return f"{number(ounces / OUNCES_PER_POUND, 1)} lb"
    return f"{number(ounces, decimals)} oz"
