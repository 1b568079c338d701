"""The handout's pages: branded first page, slim later pages, footers.

Page 1 opens with a band in the brand colour holding the gym's logo, name
and contact details; later pages carry a slim header. Every footer names the
gym, the client and "Page N of M": the total is only known once the last page
is laid out, so :class:`_FooterCanvas` holds the pages back and draws the
footers when the document is saved, in a single layout pass.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from packetstudio.pdf.fonts import BOLD, REGULAR
from packetstudio.pdf.theme import (
    BAND_HEIGHT,
    BAND_TOP,
    BOTTOM,
    INK,
    LATER_TOP,
    MARGIN,
    MUTED,
    RULE,
    WHITE,
    Theme,
)
from packetstudio.pdf.widgets import KeepWithFirstPart, break_words

log = logging.getLogger(__name__)

FOOTER_RULE = 14 * mm
FOOTER_TEXT = 9.5 * mm
ELLIPSIS = "\u2026"
BAND_SMALL = 8.5


@dataclass(frozen=True)
class Furniture:
    """What the header and footer print besides the branding.

    Attributes:
        packet_label: the packet type in words, "Nutrition packet".
    """

    theme: Theme
    client_name: str
    packet_label: str


@dataclass(frozen=True)
class Metadata:
    """The PDF's document information."""

    title: str
    author: str
    subject: str
    creator: str
    keywords: str


def fit(text: str, font: str, size: float, width: float) -> str:
    """Return ``text``, cut with an ellipsis if wider than ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + ELLIPSIS, font, size) > width:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


def fitting_size(
    text: str, font: str, size: float, smallest: float, width: float
) -> float:
    """Return the largest size from ``size`` down to ``smallest`` that fits."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


@lru_cache(maxsize=8)
def _logo_bytes(path: Path, modified: float) -> bytes:
    """Return the logo file's bytes, read once per file version and process."""
    return path.read_bytes()


def _logo(path: Path, modified: float) -> ImageReader:
    """Return a reader of the logo of its own: readers decode lazily, so one
    shared between threads rendering at once can be caught half-decoded."""
    return ImageReader(io.BytesIO(_logo_bytes(path, modified)))


def initials(name: str) -> str:
    """Return up to two initials of a gym's name for its monogram."""
    words = [w for w in name.split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or "?"


# -- page 1 --------------------------------------------------------------------


def _draw_band(canvas: Canvas, furniture: Furniture) -> None:
    """Draw page 1's band: logo, gym name and address, phone and website."""
    theme = furniture.theme
    branding = theme.branding
    x, y = MARGIN, theme.page_size[1] - BAND_TOP - BAND_HEIGHT
    canvas.setFillColor(theme.brand)
    canvas.roundRect(x, y, theme.frame_width, BAND_HEIGHT, 3 * mm, stroke=0, fill=1)
    badge = BAND_HEIGHT - 7 * mm
    _draw_badge(canvas, furniture, x + 3.5 * mm, y + 3.5 * mm, badge)

    contact = [t for t in (branding.phone, branding.website) if t]
    contact_width = max(
        (stringWidth(t, REGULAR, BAND_SMALL) for t in contact), default=0
    )
    contact_width = min(contact_width, theme.frame_width * 0.35)
    right = x + theme.frame_width - 6 * mm
    text_x = x + badge + 9 * mm
    name_width = right - contact_width - 6 * mm - text_x
    canvas.setFillColor(WHITE)
    _draw_gym_name(canvas, branding.gym_name, branding.address, text_x, y, name_width)
    canvas.setFont(REGULAR, BAND_SMALL)
    middle = y + BAND_HEIGHT / 2
    rows = (
        [middle - 1 * mm]
        if len(contact) == 1
        else [middle + 1.5 * mm, middle - 3.5 * mm]
    )
    for line_y, text in zip(rows, contact, strict=False):
        canvas.drawRightString(
            right, line_y, fit(text, REGULAR, BAND_SMALL, contact_width)
        )


def gym_name_lines(name: str, width: float) -> tuple[list[str], float]:
    """Return the gym's name broken into at most two lines, and the font size.

    The name shrinks from 18 to 13 points to stay on one line; a longer one
    takes two lines at 13 points, cut with an ellipsis if even that is short.
    """
    size = fitting_size(name, BOLD, 18, 13, width)
    if stringWidth(name, BOLD, size) <= width:
        return [name], size
    lines = break_words(name, BOLD, size, width)
    if len(lines) > 2:
        lines = [lines[0], fit(" ".join(lines[1:]), BOLD, size, width)]
    return lines, size


def _draw_gym_name(
    canvas: Canvas, name: str, address: str, x: float, band_y: float, width: float
) -> None:
    """Draw the name (one or two lines) and address, centred in the band."""
    lines, size = gym_name_lines(name, width)
    leading = size * 1.15
    cap = size * 0.75  # roughly the height of a capital above the baseline
    # From the name's last baseline to the address's: clear of descenders.
    address_gap = size * 0.45 + 3.5 * mm if address else 0
    block = (len(lines) - 1) * leading + cap + address_gap
    baseline = band_y + BAND_HEIGHT / 2 + block / 2 - cap
    canvas.setFont(BOLD, size)
    for index, line in enumerate(lines):
        canvas.drawString(x, baseline - index * leading, line)
    if address:
        last = baseline - (len(lines) - 1) * leading
        canvas.setFont(REGULAR, BAND_SMALL)
        canvas.drawString(
            x, last - address_gap, fit(address, REGULAR, BAND_SMALL, width)
        )


def _draw_badge(
    canvas: Canvas, furniture: Furniture, x: float, y: float, size: float
) -> None:
    """Draw the logo on a white tile, or a monogram of the gym's initials."""
    theme = furniture.theme
    branding = theme.branding
    canvas.setFillColor(WHITE)
    canvas.roundRect(x, y, size, size, 2 * mm, stroke=0, fill=1)
    if branding.logo_path is not None:
        path = branding.logo_path
        image = _logo(path, path.stat().st_mtime)
        inset = 1.5 * mm
        canvas.drawImage(
            image,
            x + inset,
            y + inset,
            size - 2 * inset,
            size - 2 * inset,
            preserveAspectRatio=True,
            anchor="c",
            mask="auto",
        )
        return
    letters = initials(branding.gym_name)
    canvas.setFillColor(theme.brand)
    font_size = size * (0.46 if len(letters) > 1 else 0.55)
    canvas.setFont(BOLD, font_size)
    canvas.drawCentredString(x + size / 2, y + size / 2 - font_size * 0.36, letters)


def _draw_first_page(canvas: Canvas, doc: Any, furniture: Furniture) -> None:
    canvas.saveState()
    _draw_band(canvas, furniture)
    canvas.restoreState()


# -- later pages and footers ---------------------------------------------------


def _draw_later_page(canvas: Canvas, doc: Any, furniture: Furniture) -> None:
    theme = furniture.theme
    width, height = theme.page_size
    top = height - 12 * mm
    right = width - MARGIN
    canvas.saveState()
    canvas.setFont(BOLD, 8.5)
    canvas.setFillColor(theme.brand)
    name = fit(theme.branding.gym_name, BOLD, 8.5, theme.frame_width * 0.45)
    canvas.drawString(MARGIN, top, name)
    canvas.setFont(REGULAR, 8.5)
    canvas.setFillColor(MUTED)
    about = f"{furniture.packet_label} for {furniture.client_name}"
    canvas.drawRightString(
        right, top, fit(about, REGULAR, 8.5, theme.frame_width * 0.5)
    )
    canvas.setStrokeColor(theme.brand)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 2.5 * mm, right, top - 2.5 * mm)
    canvas.restoreState()


def draw_footer(canvas: Canvas, furniture: Furniture, number: int, total: int) -> None:
    """Draw the gym's contact on the left; the client and "Page N of M" right."""
    theme = furniture.theme
    branding = theme.branding
    right = theme.page_size[0] - MARGIN
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, FOOTER_RULE, right, FOOTER_RULE)

    page = f"  \u00b7  Page {number} of {total}"
    client = fit(furniture.client_name, BOLD, 8, theme.frame_width * 0.3)
    client_x = right - stringWidth(page, REGULAR, 8) - stringWidth(client, BOLD, 8)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 8)
    canvas.drawString(client_x, FOOTER_TEXT, client)
    canvas.setFont(REGULAR, 8)
    canvas.drawRightString(right, FOOTER_TEXT, page)

    contact = "  \u00b7  ".join(
        t for t in (branding.gym_name, branding.phone, branding.website) if t
    )
    room = client_x - MARGIN - 8 * mm
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, FOOTER_TEXT, fit(contact, REGULAR, 8, room))
    canvas.restoreState()


class _FooterCanvas(Canvas):  # type: ignore[misc]
    """A canvas that keeps its pages until saving, to print the page total."""

    def __init__(self, *args: Any, furniture: Furniture, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._furniture = furniture
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held)
        for number, state in enumerate(self._held, start=1):
            self.__dict__.update(state)
            draw_footer(self, self._furniture, number, total)
            super().showPage()
        super().save()


# -- the document --------------------------------------------------------------


class HandoutDocument(BaseDocTemplate):  # type: ignore[misc]
    """A letter or A4 document with the first-page and later-page templates."""

    def __init__(
        self, output: io.BytesIO, furniture: Furniture, metadata: Metadata
    ) -> None:
        theme = furniture.theme
        height = theme.page_size[1]
        super().__init__(
            output,
            pagesize=theme.page_size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=LATER_TOP,
            bottomMargin=BOTTOM,
            title=metadata.title,
            author=metadata.author,
            subject=metadata.subject,
            creator=metadata.creator,
            keywords=metadata.keywords,
            keepTogetherClass=KeepWithFirstPart,
        )
        first_top = height - BAND_TOP - BAND_HEIGHT - 5 * mm
        first = Frame(
            MARGIN,
            BOTTOM,
            theme.frame_width,
            first_top - BOTTOM,
            id="first",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        later = Frame(
            MARGIN,
            BOTTOM,
            theme.frame_width,
            height - LATER_TOP - BOTTOM,
            id="later",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [
                PageTemplate(
                    "first",
                    [first],
                    onPage=partial(_draw_first_page, furniture=furniture),
                    autoNextPageTemplate="later",
                ),
                PageTemplate(
                    "later",
                    [later],
                    onPage=partial(_draw_later_page, furniture=furniture),
                ),
            ]
        )


def build_pdf(
    story: Sequence[Flowable], furniture: Furniture, metadata: Metadata
) -> tuple[bytes, int]:
    """Lay out ``story`` and return the PDF bytes and the page count."""
    output = io.BytesIO()
    document = HandoutDocument(output, furniture, metadata)
    document.build(list(story), canvasmaker=partial(_FooterCanvas, furniture=furniture))
    return output.getvalue(), int(document.page)
