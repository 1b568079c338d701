"""Solving a meal's portions: grams of each food that reach the meal's goal.

A meal has up to three foods to solve for (a protein food, a starch and a
fat) besides its produce. Their grams come from small linear systems on
energy, protein and fat, solved exactly with Cramer's rule; answers with a
negative amount are dropped.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from packetstudio.generators.foods import FoodFacts

# Foods with their grams, as solved and as rounded for the handout.
Portions = list[tuple[FoodFacts, float]]
Rounded = list[tuple[FoodFacts, int]]


class Amounts(NamedTuple):
    """Energy and macronutrients of some food, or what a meal should reach."""

    kcal: float
    protein: float
    carbs: float
    fat: float

    def minus(self, other: Amounts) -> Amounts:
        """Return what is left after ``other``."""
        return Amounts(
            self.kcal - other.kcal,
            self.protein - other.protein,
            self.carbs - other.carbs,
            self.fat - other.fat,
        )

    def times(self, factor: float) -> Amounts:
        """Return every amount scaled by ``factor``."""
        return Amounts(
            self.kcal * factor,
            self.protein * factor,
            self.carbs * factor,
            self.fat * factor,
        )


def amounts(portions: Iterable[tuple[FoodFacts, float]]) -> Amounts:
    """Return the total energy and macronutrients of ``portions``."""
    kcal = protein = carbs = fat = 0.0
    for facts, grams in portions:
        kcal += facts.kcal * grams
        protein += facts.protein * grams
        carbs += facts.carbs * grams
        fat += facts.fat * grams
    return Amounts(kcal, protein, carbs, fat)


def _pair(a: FoodFacts, b: FoodFacts, goal: Amounts) -> list[float] | None:
    """Return grams of two foods giving the goal's energy and protein."""
    det = a.kcal * b.protein - b.kcal * a.protein
    if abs(det) < 1e-9:
        return None
    x = (goal.kcal * b.protein - b.kcal * goal.protein) / det
    y = (a.kcal * goal.protein - goal.kcal * a.protein) / det
    return [x, y]


def _triple(
    a: FoodFacts, b: FoodFacts, c: FoodFacts, goal: Amounts
) -> list[float] | None:
    """Return grams of three foods giving the goal's energy, protein and fat."""
    rows = (
        (a.kcal, b.kcal, c.kcal, goal.kcal),
        (a.protein, b.protein, c.protein, goal.protein),
        (a.fat, b.fat, c.fat, goal.fat),
    )
    det = _det3([r[:3] for r in rows])
    if abs(det) < 1e-9:
        return None
    return [
        _det3([(*r[:col], r[3], *r[col + 1 : 3]) for r in rows]) / det
        for col in range(3)
    ]


def _det3(m: Sequence[Sequence[float]]) -> float:
    return (
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
        - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
        + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    )


def _least(facts: FoodFacts) -> float:
    """Return the smallest portion worth listing: a quarter of a typical one."""
    return max(5.0, facts.food.portion_g / 4)


def solve(
    goal: Amounts,
    protein: FoodFacts | None,
    starch: FoodFacts | None,
    fat: FoodFacts | None,
) -> Portions:
    """Return grams of protein food, starch and fat meeting the meal's goal.

    Tries the three foods on energy, protein and fat; then each pair on
    energy and protein (dropping the fat food first, then the starch); and
    last the protein food alone on protein. The first answer whose every
    portion is worth listing wins; failing that, the first non-negative one.
    """
    present = [f for f in (protein, starch, fat) if f is not None]
    fallback: Portions | None = None
    for answer in _answers(goal, protein, starch, fat):
        if all(g >= _least(f) for f, g in answer):
            return answer
        fallback = fallback or answer
    if fallback is not None:
        return fallback
    lead = present[0]
    if lead.protein > 0 and goal.protein > 0:
        return [(lead, goal.protein / lead.protein)]
    return [(lead, max(0.0, goal.kcal) / lead.kcal)]


def _answers(
    goal: Amounts,
    protein: FoodFacts | None,
    starch: FoodFacts | None,
    fat: FoodFacts | None,
) -> Iterator[Portions]:
    """Yield the non-negative solutions, three foods first, then pairs."""
    if protein and starch and fat:
        grams = _triple(protein, starch, fat, goal)
        if grams is not None and min(grams) >= 0:
            yield list(zip((protein, starch, fat), grams, strict=True))
    present = [f for f in (protein, starch, fat) if f is not None]
    for a, b in itertools.combinations(present, 2):
        pair = _pair(a, b, goal)
        if pair is not None and min(pair) >= 0:
            yield [(a, pair[0]), (b, pair[1])]


def rounded(portions: Iterable[tuple[FoodFacts, float]]) -> Rounded:
    """Round portions to each food's step and drop those that round to zero."""
    kept: Rounded = []
    for facts, grams in portions:
        step = facts.grams_step
        whole = int(grams / step + 0.5) * step
        if whole > 0:
            kept.append((facts, whole))
    return kept
