"""The filters PacketStudio adds to Jinja's, writing values for people.

Numbers with thousands separators, stored words as text, rest times, and the
amounts of :mod:`~packetstudio.templates.units` in the handout's units. Each
keeps its own bounds, so the sandbox adds them as they are; the text each
makes is counted in the render's budget.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from packetstudio.templates import units
from packetstudio.templates.bounds import check_printable, check_size
from packetstudio.templates.budget import counted


def number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators: ``1446 -> "1,446"``."""
    if isinstance(decimals, int):
        check_size("|number", decimals)
    return counted(f"{value:,.{decimals}f}")


def label(value: str) -> str:
    """Turn a stored word into text: ``"off_season" -> "Off season"``."""
    check_printable("|label on", value)
    text = str(value).replace("_", " ").strip()
    return counted(text[:1].upper() + text[1:])


def sentence(value: str) -> str:
    """Capitalise the first letter only: ``"push pull legs" -> "Push pull legs"``."""
    check_printable("|sentence on", value)
    text = str(value)
    return counted(text[:1].upper() + text[1:])


def duration(seconds: int) -> str:
    """Write a rest time: ``90 -> "90 s"``, ``150 -> "2 min 30 s"``."""
    if seconds < 120:
        return counted(f"{seconds} s")
    minutes, rest = divmod(int(seconds), 60)
    return counted(f"{minutes} min {rest} s" if rest else f"{minutes} min")


def _counted(func: Callable[..., str]) -> Callable[..., str]:
    """Return a unit filter that counts the text it makes in the render's budget.

    The wrapper keeps the filter's attributes, so Jinja still passes it the
    context.
    """

    @wraps(func)
    def counted_filter(*args: Any, **kwargs: Any) -> str:
        return counted(func(*args, **kwargs))

    return counted_filter


FILTERS: dict[str, Callable[..., str]] = {
    "number": number,
    "label": label,
    "sentence": sentence,
    "duration": duration,
    "mass": _counted(units.mass),
    "volume": _counted(units.volume),
    "food_mass": _counted(units.food_mass),
}
