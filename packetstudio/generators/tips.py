"""Adherence tips for the struggles a client names on the intake.

Struggles are matched by their whole normalized key ("Eating out",
"eating-out" and "EATING_OUT" alike), never by substring; one with no tip
is listed for the coach to talk over instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from packetstudio.generators.base import ContentModel

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


class Tip(ContentModel):
    """Adherence advice for one struggle the client named."""

    struggle: str
    title: str
    advice: str


def normalize_struggle(struggle: str) -> str:
    """Return a struggle's key: lower case, spaces and hyphens to "_"."""
    key = re.sub(r"[\s\-]+", "_", struggle.strip().lower())
    return re.sub(r"_+", "_", key).strip("_")


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
