"""Type, colour and spacing of a handout, derived from the gym's branding.

One family in two weights, body text at 10 pt, one brand colour for headings
and table headers; everything else in black and greys that stay legible on
a black-and-white printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from packetstudio.pdf.branding import Branding, rgb
from packetstudio.pdf.fonts import BOLD, REGULAR

INK = colors.HexColor("#111111")
MUTED_HEX = "#4A4A4A"
MUTED = colors.HexColor(MUTED_HEX)
RULE = colors.HexColor("#A6A6A6")
STRIPE = colors.HexColor("#F0F0F0")
WHITE = colors.white

MARGIN: float = 18 * mm
BAND_TOP: float = 12 * mm
BAND_HEIGHT: float = 24 * mm
# Top of the text on later pages, and bottom of the text on every page.
LATER_TOP: float = 21 * mm
BOTTOM: float = 19 * mm


def tint(colour: str, strength: float) -> colors.Color:
    """Return ``colour`` mixed with white: 0 is white, 1 the colour itself."""
    red, green, blue = rgb(colour)
    return colors.Color(
        *(1 - strength + strength * c / 255 for c in (red, green, blue))
    )


@dataclass(frozen=True)
class Theme:
    """Page geometry, colours and paragraph styles for one gym's handouts."""

    branding: Branding

    @property
    def page_size(self) -> tuple[float, float]:
        """Width and height of the paper, in points."""
        width, height = LETTER if self.branding.paper == "letter" else A4
        return float(width), float(height)

    @property
    def frame_width(self) -> float:
        """Width of the text column, in points."""
        return self.page_size[0] - 2 * MARGIN

    @property
    def later_frame_height(self) -> float:
        """Height of the text column on pages after the first, in points."""
        return self.page_size[1] - LATER_TOP - BOTTOM

    @cached_property
    def brand(self) -> colors.Color:
        """The brand colour, for headings, table headers and the band."""
        return colors.HexColor(self.branding.brand_colour)

    @cached_property
    def brand_tint(self) -> colors.Color:
        """A pale wash of the brand colour for boxes: light grey in print."""
        return tint(self.branding.brand_colour, 0.09)

    @cached_property
    def body(self) -> ParagraphStyle:
        """Body text: 10 pt on 14."""
        return ParagraphStyle(
            "body",
            fontName=REGULAR,
            fontSize=10,
            leading=14,
            textColor=INK,
            alignment=TA_LEFT,
            spaceAfter=5,
        )

    @cached_property
    def bullet(self) -> ParagraphStyle:
        """A bulleted list item."""
        return ParagraphStyle(
            "bullet",
            parent=self.body,
            leftIndent=13,
            bulletIndent=2,
            bulletFontName=REGULAR,
            bulletFontSize=10,
            spaceAfter=3,
        )

    @cached_property
    def small(self) -> ParagraphStyle:
        """Small print: sources, conventions, the disclaimer."""
        return ParagraphStyle(
            "small", parent=self.body, fontSize=8.5, leading=11.5, spaceAfter=3
        )

    @cached_property
    def small_bullet(self) -> ParagraphStyle:
        """A numbered or bulleted line of small print."""
        return ParagraphStyle(
            "small_bullet",
            parent=self.small,
            leftIndent=15,
            bulletIndent=0,
            bulletFontName=REGULAR,
            bulletFontSize=8.5,
        )

    @cached_property
    def h1(self) -> ParagraphStyle:
        """A section heading, in the brand colour."""
        return ParagraphStyle(
            "h1",
            parent=self.body,
            fontName=BOLD,
            fontSize=15,
            leading=19,
            textColor=self.brand,
            spaceBefore=12,
            spaceAfter=2,
            keepWithNext=1,
        )

    @cached_property
    def h2(self) -> ParagraphStyle:
        """A sub-heading, in the brand colour."""
        return ParagraphStyle(
            "h2",
            parent=self.body,
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            textColor=self.brand,
            spaceBefore=9,
            spaceAfter=4,
            keepWithNext=1,
        )

    @cached_property
    def cell(self) -> ParagraphStyle:
        """Text in a table cell: 9 pt."""
        return ParagraphStyle(
            "cell", parent=self.body, fontSize=9, leading=10.8, spaceAfter=0
        )

    @cached_property
    def header_cell(self) -> ParagraphStyle:
        """Text in a table's header row: bold, white on the brand colour."""
        return ParagraphStyle(
            "header_cell", parent=self.cell, fontName=BOLD, textColor=WHITE
        )

    @cached_property
    def box_title(self) -> ParagraphStyle:
        """The title of a box (at a glance, a notice)."""
        return ParagraphStyle(
            "box_title",
            parent=self.body,
            fontName=BOLD,
            fontSize=11,
            leading=14,
            textColor=self.brand,
            spaceAfter=4,
        )

    @cached_property
    def glance_label(self) -> ParagraphStyle:
        """The small label above a number in the at-a-glance box."""
        return ParagraphStyle(
            "glance_label",
            parent=self.body,
            fontSize=8.5,
            leading=10.5,
            textColor=MUTED,
            spaceAfter=1,
        )

    @cached_property
    def glance_value(self) -> ParagraphStyle:
        """A number in the at-a-glance box: bold, 12 pt."""
        return ParagraphStyle(
            "glance_value",
            parent=self.body,
            fontName=BOLD,
            fontSize=12,
            leading=15,
            spaceAfter=0,
        )

    @cached_property
    def kicker(self) -> ParagraphStyle:
        """The packet type above the client's name on page 1."""
        return ParagraphStyle(
            "kicker",
            parent=self.body,
            fontName=BOLD,
            fontSize=9.5,
            leading=12,
            textColor=self.brand,
            spaceAfter=1,
        )

    @cached_property
    def client_name(self) -> ParagraphStyle:
        """The client's name on page 1: bold, 24 pt."""
        return ParagraphStyle(
            "client_name",
            parent=self.body,
            fontName=BOLD,
            fontSize=24,
            leading=29,
            spaceAfter=1,
        )

    @cached_property
    def subtitle(self) -> ParagraphStyle:
        """The line under the client's name on page 1."""
        return ParagraphStyle(
            "subtitle",
            parent=self.body,
            fontSize=12,
            leading=16,
            textColor=MUTED,
            spaceAfter=3,
        )
