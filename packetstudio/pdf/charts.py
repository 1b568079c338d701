"""Named charts a template can place with ``<chart name="..."/>``.

Each chart reads what it needs from the packet's content and is drawn with
:mod:`reportlab.graphics`, in shades that stay apart on a greyscale printer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from packetstudio.pdf.fonts import BOLD, REGULAR
from packetstudio.pdf.theme import INK, MUTED, Theme, tint

# Atwater general factors: kcal per gram of protein, carbohydrate and fat.
KCAL_PER_GRAM = {"protein": 4, "carbohydrate": 4, "fat": 9}


class ChartUnavailable(ValueError):
    """The packet's content lacks what the chart draws."""


ChartMaker = Callable[[Mapping[str, Any], Theme, float], Drawing]


def macro_grams(content: Mapping[str, Any]) -> dict[str, float]:
    """Return the daily grams of protein, carbohydrate and fat in ``content``.

    Raises:
        ChartUnavailable: the content has no macronutrient targets.
    """
    try:
        calculations = content["calculations"]
        return {
            "protein": float(calculations["protein_g"]["value"]),
            "carbohydrate": float(calculations["carbs_g"]["value"]),
            "fat": float(calculations["fat_g"]["value"]),
        }
    except (KeyError, TypeError, ValueError):
        raise ChartUnavailable(
            "the macros chart needs a nutrition packet's calculations"
        ) from None


def macro_chart(content: Mapping[str, Any], theme: Theme, width: float) -> Drawing:
    """Draw the day's energy split by protein, carbohydrate and fat.

    A pie beside a legend that repeats every number in words, so the chart
    still reads when the shades are hard to tell apart.
    """
    grams = macro_grams(content)
    kcal = {name: grams[name] * KCAL_PER_GRAM[name] for name in grams}
    total = sum(kcal.values()) or 1.0
    shades = [
        theme.brand,
        tint(theme.branding.brand_colour, 0.45),
        colors.HexColor("#D0D0D0"),
    ]
    height = 112.0
    drawing = Drawing(width, height)
    drawing.add(_pie(list(kcal.values()), shades, height))
    top = height - 22
    drawing.add(
        String(
            height + 24,
            top + 6,
            "Where the day's energy comes from",
            fontName=BOLD,
            fontSize=10,
            fillColor=INK,
        )
    )
    for row, name in enumerate(grams):
        y = top - 20 - row * 24
        share = round(100 * kcal[name] / total)
        drawing.add(
            Rect(
                height + 24,
                y - 2,
                12,
                12,
                fillColor=shades[row],
                strokeColor=INK,
                strokeWidth=0.5,
            )
        )
        drawing.add(
            String(
                height + 44,
                y,
                f"{name.capitalize()}: {grams[name]:,.0f} g",
                fontName=BOLD,
                fontSize=10,
                fillColor=INK,
            )
        )
        drawing.add(
            String(
                height + 190,
                y,
                f"{kcal[name]:,.0f} kcal  ({share} % of energy)",
                fontName=REGULAR,
                fontSize=10,
                fillColor=MUTED,
            )
        )
    return drawing


def _pie(values: list[float], shades: list[colors.Color], size: float) -> Pie:
    pie = Pie()
    pie.x, pie.y = 6, 6
    pie.width = pie.height = size - 12
    pie.data = values
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.simpleLabels = True
    pie.labels = None
    pie.slices.strokeColor = colors.white
    pie.slices.strokeWidth = 1.5
    for index, shade in enumerate(shades):
        pie.slices[index].fillColor = shade
    return pie


CHARTS: dict[str, ChartMaker] = {"macros": macro_chart}
