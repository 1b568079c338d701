"""The gym's branding on every handout: name, logo, colour, contact, paper."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

Paper = Literal["letter", "a4"]
PAPERS: tuple[Paper, ...] = ("letter", "a4")
Units = Literal["metric", "imperial"]
UNITS: tuple[Units, ...] = ("metric", "imperial")
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
DEFAULT_COLOUR = "#0F5E66"
# WCAG's threshold for body text; checked in colour and in greyscale, since
# most handouts come off a black-and-white printer.
MIN_CONTRAST = 4.5
MAX_TEXT = 200

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")


@dataclass(frozen=True)
class Branding:
    """How a gym's handouts look and whom they name.

    Validated on creation: a bad value raises :class:`ValueError` naming the
    field, so a settings screen can point at it.

    Attributes:
        gym_name: printed on the first page's header and every footer.
        logo_path: a PNG or JPEG shown on the first page; None for a
            monogram of the gym's initials.
        brand_colour: "#RRGGBB" for headings and table headers; it must keep
            a contrast of 4.5:1 against white paper, in colour and in grey.
        address: one line on the first page.
        phone: on the first page and in every footer.
        website: on the first page and in every footer.
        coach_name: the coach named on the first page, if any.
        paper: "letter" or "a4".
        units: "metric" or "imperial", for body weights and drinks in the
            handouts (the formulas themselves are shown in their own units).
    """

    gym_name: str = "PacketStudio"
    logo_path: Path | None = None
    brand_colour: str = DEFAULT_COLOUR
    address: str = ""
    phone: str = ""
    website: str = ""
    coach_name: str = ""
    paper: Paper = "letter"
    units: Units = "metric"

    def __post_init__(self) -> None:
        for name in ("gym_name", "address", "phone", "website", "coach_name"):
            _check_text(name, getattr(self, name))
        if not self.gym_name.strip():
            raise ValueError("gym_name: the gym's name cannot be blank")
        _check_colour(self.brand_colour)
        if self.paper not in PAPERS:
            raise ValueError(f"paper: must be 'letter' or 'a4', not {self.paper!r}")
        if self.units not in UNITS:
            raise ValueError(
                f"units: must be 'metric' or 'imperial', not {self.units!r}"
            )
        if self.logo_path is not None:
            _check_logo(self.logo_path)

    @property
    def contact(self) -> str:
        """The phone and website, as one line for footers."""
        return "  |  ".join(p for p in (self.phone, self.website) if p)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Return the names of the fields, in order."""
        return tuple(f.name for f in fields(cls))

    def to_json(self) -> dict[str, Any]:
        """Return the fields as JSON values (the logo as a path string)."""
        values: dict[str, Any] = {n: getattr(self, n) for n in self.field_names()}
        values["logo_path"] = None if self.logo_path is None else str(self.logo_path)
        return values


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str):
        raise ValueError(f"{name}: must be text, not {type(value).__name__}")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{name}: at most {MAX_TEXT} characters")
    if any(ord(c) < 32 for c in value):
        raise ValueError(f"{name}: must be one line, without control characters")


def _check_colour(colour: object) -> None:
    if not isinstance(colour, str) or not _HEX.fullmatch(colour):
        raise ValueError(f"brand_colour: must be a colour like #0F5E66, not {colour!r}")
    contrast = min(contrast_with_white(colour), grey_contrast_with_white(colour))
    if contrast < MIN_CONTRAST:
        raise ValueError(
            f"brand_colour: {colour} is too light to read on white paper "
            f"(contrast {contrast:.1f}:1 in colour or greyscale; at least "
            f"{MIN_CONTRAST}:1 is needed). Choose a darker colour."
        )


def _check_logo(path: object) -> None:
    if not isinstance(path, Path):
        raise ValueError(f"logo_path: must be a file path, not {path!r}")
    if path.suffix.lower() not in LOGO_SUFFIXES:
        raise ValueError(f"logo_path: {path.name} is not a PNG or JPEG image")
    if not path.is_file():
        raise ValueError(f"logo_path: the logo file {path} does not exist")


def rgb(colour: str) -> tuple[int, int, int]:
    """Return the red, green and blue of "#RRGGBB", 0-255 each."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _linear(channel: float) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Return the WCAG relative luminance of "#RRGGBB", 0 (black) to 1."""
    red, green, blue = (_linear(c) for c in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def grey_level(colour: str) -> float:
    """Return the grey a black-and-white printer makes of a colour (Rec. 601)."""
    red, green, blue = rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue


def contrast_with_white(colour: str) -> float:
    """Return the WCAG contrast ratio of a colour against white, 1 to 21."""
    return 1.05 / (luminance(colour) + 0.05)


def grey_contrast_with_white(colour: str) -> float:
    """Return the contrast against white of the colour printed in grey."""
    return 1.05 / (_linear(grey_level(colour)) + 0.05)
