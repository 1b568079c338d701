"""Custom flowables: light text, tick boxes, careful tables and headings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table
from reportlab.platypus.doctemplate import FrameBreak


class TickBox(Flowable):  # type: ignore[misc]
    """An empty square to tick by hand.

    Drawn as a rectangle rather than a box character, which a font may lack.
    """

    def __init__(self, size: float, colour: colors.Color, nudge: float = 0) -> None:
        """Make a box ``size`` points wide, drawn ``nudge`` points lower."""
        super().__init__()
        self.size = size
        self.colour = colour
        self.nudge = nudge

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size + self.nudge

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setStrokeColor(self.colour)
        canvas.setLineWidth(0.9)
        canvas.rect(0, 0, self.size, self.size, stroke=1, fill=0)
        canvas.restoreState()


_CENTRED = ("CENTRE", "CENTER")
_PLAIN_ALIGNMENTS = ("LEFT", "RIGHT", *_CENTRED)


def _plain_cell(value: Any, style: Any) -> bool:
    """True for a cell of plain text drawn as ReportLab draws it, top-aligned."""
    return (
        isinstance(value, str)
        and style.valign == "TOP"
        and style.alignment in _PLAIN_ALIGNMENTS
        and not (style.href or style.destination)
        and not (getattr(style, "direction", None) or getattr(style, "shaping", None))
    )


class HandoutTable(Table):  # type: ignore[misc]
    """A table that only splits across pages when it is long, drawn cheaply.

    A table no taller than ``keep_height`` moves to the next page whole
    rather than leaving a row or two behind; a log or a checklist is kept
    whole whenever a page can hold it.

    The text of its plain (string) cells goes into one text object for the
    whole table, at the places ReportLab's own drawing puts it (a test
    compares the pages pixel by pixel). ReportLab makes a text object for
    every line of every cell; the nutrition handout, the most tabular,
    renders 10 to 14 % faster this way. Cells holding flowables, and any
    cell with a link or right-to-left text, are drawn by ReportLab as usual.
    """

    def __init__(self, *args: Any, keep_height: float = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep_height = keep_height
        self._text: PDFTextObject | None = None
        self._text_style: tuple[str, float, Any] | None = None

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self._height <= self.keep_height:
            return []
        parts: list[Flowable] = super().split(avail_width, avail_height)
        return parts

    def draw(self) -> None:
        self._text = None
        super().draw()
        if self._text is not None:
            self.canv.drawText(self._text)
            self._text = None

    def _drawCell(self, value: Any, style: Any, pos: Any, size: Any) -> None:
        # Overrides ReportLab's drawing of one cell (Table._drawCell).
        if not _plain_cell(value, style):
            super()._drawCell(value, style, pos, size)
            return
        text = self._text_for(style)
        (left, bottom), (width, height) = pos, size
        font, font_size = style.fontname, style.fontsize
        y = bottom + height - style.topPadding - font_size
        for line in value.split("\n"):
            x = left + style.leftPadding
            if style.alignment == "RIGHT":
                x = left + width - style.rightPadding
                x -= stringWidth(line, font, font_size)
            elif style.alignment in _CENTRED:  # between the paddings
                x = left + (width + style.leftPadding - style.rightPadding) / 2
                x -= stringWidth(line, font, font_size) / 2
            text.setTextOrigin(x, y)
            text.textOut(line)
            y -= style.leading

    def _text_for(self, style: Any) -> PDFTextObject:
        """Return the table's text object, set to the font and colour of ``style``."""
        if self._text is None:
            self._text = self.canv.beginText()
            self._text_style = None
        wanted = (style.fontname, style.fontsize, style.color)
        if self._text_style != wanted:
            self._text.setFont(style.fontname, style.fontsize, style.leading)
            self._text.setFillColor(style.color)
            self._text_style = wanted
        return self._text


def stacked_height(flowables: Sequence[Flowable], width: float, canvas: Any) -> float:
    """Return the height of flowables stacked in a frame, spaces merged.

    The first one's space before is left out, as at the top of a frame.
    """
    height = after = 0.0
    for index, flowable in enumerate(flowables):
        _, own = flowable.wrapOn(canvas, width, 0xFFFFFFF)
        if index:
            height += max(flowable.getSpaceBefore() - after, 0)
        after = flowable.getSpaceAfter()
        height += own + after
    return height - after


class KeepWithFirstPart(KeepTogether):  # type: ignore[misc]
    """Keeps headings on the same page as the start of what follows them.

    ReportLab's own :class:`KeepTogether` moves a heading and a long table
    to the next page together, leaving a gap; this one stays put when the
    first part of the table (or paragraph) fits below the heading, and moves
    everything otherwise.
    """

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # ReportLab's version copies the whole frame to measure; this group
        # only ever holds headings and what follows them.
        self._H = stacked_height(self._content, avail_width, self.canv)
        self._wrapInfo = avail_width, avail_height
        return avail_width, 0xFFFFFF  # always asks to be split

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        content: list[Flowable] = self._content[:]
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if avail_height >= self._H or at_top or len(content) < 2:
            return content
        *heads, last = content
        height = stacked_height(heads, avail_width, self.canv)
        # Not at the top of a frame, so the spaces around the headings count.
        gap = max(heads[-1].getSpaceAfter(), last.getSpaceBefore())
        room = avail_height - height - heads[0].getSpaceBefore() - gap - 1
        if room > 0 and last.splitOn(self.canv, avail_width, room):
            return content
        return [FrameBreak(), *content]


class Para(Paragraph):  # type: ignore[misc]
    """A paragraph that breaks its lines once per width.

    Line breaking depends only on the width, yet tables and kept groups
    wrap the same cell again and again while measuring; remembering the last
    width's result roughly halves the time of a table-heavy handout.
    """

    _wrapped_width: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Splitting may drop the line breaks; wrap again then.
        if avail_width == self._wrapped_width and hasattr(self, "blPara"):
            return self.width, self.height
        size: tuple[float, float] = super().wrap(avail_width, avail_height)
        self._wrapped_width = avail_width
        return size


# Word widths by font and size. Handouts repeat their words ("g", "raw",
# exercise names) hundreds of times, and a dictionary lookup is several
# times cheaper than ReportLab's measuring; cleared when it grows large.
_WIDTHS: dict[tuple[str, float], dict[str, float]] = {}
_MAX_WIDTHS = 50_000


def word_width(word: str, font: str, size: float) -> float:
    """Return the width of ``word`` in points, remembered per process."""
    widths = _WIDTHS.setdefault((font, size), {})
    width = widths.get(word)
    if width is None:
        if len(widths) >= _MAX_WIDTHS:
            widths.clear()
        width = widths[word] = stringWidth(word, font, size)
    return width


def break_words(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points, greedily.

    A word wider than the line is cut between characters rather than left
    to run over the next column.
    """
    space = word_width(" ", font, size)
    lines: list[str] = []
    words: list[str] = []
    used = -space
    for word in text.split():
        measured = word_width(word, font, size)
        if measured > width:
            if words:
                lines.append(" ".join(words))
            *pieces, rest = _cut_word(word, font, size, width)
            lines.extend(pieces)
            words, used = [rest], stringWidth(rest, font, size)
        elif used + space + measured <= width or not words:
            words.append(word)
            used += space + measured
        else:
            lines.append(" ".join(words))
            words, used = [word], measured
    if words:
        lines.append(" ".join(words))
    return lines


def _cut_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces: list[str] = []
    piece = ""
    for char in word:
        if piece and stringWidth(piece + char, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece]


Segment = tuple[str, str]
MIN_LINES = 2
Line = tuple[str, str]


class TextBlock(Flowable):  # type: ignore[misc]
    """Plain text, each line in one font: a light paragraph.

    Most of a handout's text is plain, sometimes with a bold first line.
    ReportLab's :class:`Paragraph` parses markup and measures fragments for
    each of them, hundreds of times per handout; this breaks words greedily
    and draws the lines with one text object, at a fraction of the cost.
    Text mixing weights within a line still goes to a paragraph.

    It splits across pages between lines, and draws an optional bullet
    before its first line as a paragraph's ``bulletText`` would.
    """

    def __init__(
        self,
        segments: Sequence[Segment],
        style: ParagraphStyle,
        bullet: str | None = None,
    ) -> None:
        """Lay out ``segments``: (font name, text) pairs, each starting a line."""
        super().__init__()
        self.segments = segments
        self.style = style
        self.bullet = bullet
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self.lines: list[Line] = []
        self._wrapped_width: float | None = None

    @classmethod
    def _part(
        cls, whole: TextBlock, lines: list[Line], bullet: str | None
    ) -> TextBlock:
        part = cls(whole.segments, whole.style, bullet)
        part.lines = lines
        part._wrapped_width = whole._wrapped_width
        return part

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._wrapped_width:
            style = self.style
            room = avail_width - style.leftIndent - style.rightIndent
            self.lines = [
                (font, line)
                for font, text in self.segments
                for line in break_words(text, font, style.fontSize, room) or [""]
            ]
            self._wrapped_width = avail_width
        self.width = avail_width
        self.height = len(self.lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fits = int(avail_height // self.style.leading)
        # At least two lines on each side: no lone first or last line.
        if fits < MIN_LINES or len(self.lines) - fits < MIN_LINES:
            return []
        return [
            self._part(self, self.lines[:fits], self.bullet),
            self._part(self, self.lines[fits:], None),
        ]

    def draw(self) -> None:
        if not self.lines:
            return
        style = self.style
        size = style.fontSize
        # Baseline one font size below the top, as ReportLab sets table strings.
        y = self.height - size
        text = self.canv.beginText()
        text.setFillColor(style.textColor)
        if self.bullet:
            text.setFont(style.bulletFontName, style.bulletFontSize)
            text.setTextOrigin(style.bulletIndent, y)
            text.textOut(self.bullet)
        font = ""
        for line_font, line in self.lines:
            if line_font != font:
                text.setFont(line_font, size)
                font = line_font
            text.setTextOrigin(self._x(line, font), y)
            text.textOut(line)
            y -= style.leading
        self.canv.drawText(text)

    def _x(self, line: str, font: str) -> float:
        style = self.style
        if style.alignment == TA_LEFT:
            return float(style.leftIndent)
        width = stringWidth(line, font, style.fontSize)
        right = self.width - style.rightIndent
        if style.alignment == TA_RIGHT:
            return float(right - width)
        return float(style.leftIndent + (right - style.leftIndent - width) / 2)
