"""Tables: ruled, striped, with header rows repeated on every page.

Table cells are the bulk of a handout, and ReportLab's paragraphs are costly
in their hundreds, so each cell takes the cheapest form that draws it right:
a pre-broken string when all of it is in one weight, a :class:`TextBlock`
when its lines differ in weight, a paragraph only when a line mixes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, inch, mm
from reportlab.platypus import Table, TableStyle
from reportlab.platypus.tables import CellStyle

from packetstudio.pdf.fonts import BOLD, REGULAR
from packetstudio.pdf.markup import Node
from packetstudio.pdf.text import paragraph, plain, plain_lines
from packetstudio.pdf.theme import INK, RULE, STRIPE, WHITE, Theme
from packetstudio.pdf.widgets import HandoutTable, break_words

# Tables up to this share of a page move to the next page whole.
SHORT_TABLE = 0.35
CELL_SIZE = 9.0
# ReportLab measures string cells at 1.2 times the font size; every cell
# uses that leading so that strings and paragraphs line up.
CELL_LEADING = CELL_SIZE * 1.2
PAD_X = 5.0

_UNITS = {"cm": cm, "mm": mm, "in": inch, "pt": 1.0}
_WIDTH = re.compile(r"\s*(?:(\d+(?:\.\d+)?)\s*(cm|mm|in|pt|%)?|(\d*)\*)\s*")
_ALIGNS = {"left": "LEFT", "right": "RIGHT", "center": "CENTER"}


class _CellStyle(CellStyle):  # type: ignore[misc]
    """ReportLab's style of one cell, with the handout's defaults.

    ReportLab applies every table style command to every cell it covers;
    defaults on the class instead of commands for font, colour, padding and
    alignment keep building a table of hundreds of cells cheap.
    """

    fontname = REGULAR
    fontsize = CELL_SIZE
    leading = CELL_LEADING
    color = INK
    valign = "TOP"
    leftPadding = PAD_X
    rightPadding = PAD_X
    topPadding = 3.5
    bottomPadding = 4.5


def column_widths(
    spec: str | None, count: int, total: float, node: Node
) -> list[float]:
    """Return column widths in points from a ``widths`` attribute.

    Each entry is a length ("3cm", "20mm", "1.5in", "40pt", "40"), a share
    of the text column ("25%") or a star ("*", "2*") sharing what is left.

    Raises:
        TemplateFailure: the spec is malformed, has the wrong number of
            entries, or is wider than the page.
    """
    entries = spec.split(",") if spec else ["*"] * count
    if len(entries) != count:
        raise node.fail(f"widths has {len(entries)} entries for {count} columns")
    fixed: list[float | None] = []
    stars: list[float] = []
    for entry in entries:
        match = _WIDTH.fullmatch(entry)
        if match is None:
            raise node.fail(f"cannot read the width {entry.strip()!r}")
        number, unit, star = match.groups()
        if number is None:
            share = float(star or 1)
            if share <= 0:
                raise node.fail(f"the width {entry.strip()!r} shares nothing")
            fixed.append(None)
            stars.append(share)
        elif unit == "%":
            fixed.append(total * float(number) / 100)
        else:
            fixed.append(float(number) * _UNITS[unit or "pt"])
    left = total - sum(w for w in fixed if w is not None)
    if left < -0.5:
        raise node.fail("the columns are wider than the page")
    share = max(left, 0) / sum(stars) if stars else 0
    star_widths = iter(stars)
    return [w if w is not None else next(star_widths) * share for w in fixed]


def header_count(rows: Sequence[Node]) -> int:
    """Return how many leading rows are headers, repeated on every page.

    Raises:
        TemplateFailure: a header flag is not 0 or 1, or a header row comes
            after a body row.
    """
    count = 0
    for index, row in enumerate(rows):
        flag = row.attrs.get("header", "0")
        if flag not in ("0", "1"):
            raise row.fail('header must be "1" or "0"')
        if flag == "1":
            if count != index:
                raise row.fail("header rows must come first")
            count += 1
    return count


@dataclass
class _Cells:
    """Builds the cells of one table and the style commands they need."""

    theme: Theme
    headers: int
    commands: list[tuple[Any, ...]] = field(default_factory=list)
    aligned: dict[tuple[int, str], list[int]] = field(default_factory=dict)

    def cell(self, node: Node, column: int, row: int, width: float) -> Any:
        """Return the cheapest cell value that draws ``node`` right."""
        align = node.attrs.get("align", "left")
        if align not in _ALIGNS:
            raise node.fail("align must be left, right or center")
        header = row < self.headers
        at = (column, row)
        if align != "left":
            self.aligned.setdefault((column, align), []).append(row)
        lines = plain_lines(node)
        if lines is None:
            return paragraph(node, self.theme, self._style(header, align))
        weights = {bold or header for bold, text in lines if text}
        if len(weights) > 1:
            return plain(lines, self._style(header, align))
        bold = weights == {True}
        if bold and not header:
            self.commands.append(("FONT", at, at, BOLD, CELL_SIZE, CELL_LEADING))
        font = BOLD if bold else REGULAR
        inner = width - 2 * PAD_X
        broken = (break_words(t, font, CELL_SIZE, inner) or [""] for _, t in lines)
        return "\n".join(line for lines_ in broken for line in lines_)

    def style_commands(self) -> list[tuple[Any, ...]]:
        """Return the per-cell commands, alignments merged into column runs.

        One command per run of rows keeps the table's styling cheap: ReportLab
        applies every command to every cell it covers.
        """
        merged: list[tuple[Any, ...]] = []
        for (column, align), rows in self.aligned.items():
            start = previous = rows[0]
            for row in [*rows[1:], None]:
                if row is not None and row == previous + 1:
                    previous = row
                    continue
                merged.append(
                    ("ALIGN", (column, start), (column, previous), _ALIGNS[align])
                )
                if row is not None:
                    start = previous = row
        return [*merged, *self.commands]

    def _style(self, header: bool, align: str) -> ParagraphStyle:
        base = self.theme.header_cell if header else self.theme.cell
        if align == "left":
            return base
        alignment = TA_RIGHT if align == "right" else TA_CENTER
        return ParagraphStyle(f"{base.name}_{align}", parent=base, alignment=alignment)


def table_from_markup(node: Node, theme: Theme) -> Table:
    """Return the table for a ``<table>`` element.

    Raises:
        TemplateFailure: the table is empty, its rows differ in length, or
            a width or alignment is wrong.
    """
    rows = node.elements
    if not rows:
        raise node.fail("a table needs at least one <tr>")
    headers = header_count(rows)
    count = len(rows[0].elements)
    widths = column_widths(node.attrs.get("widths"), count, theme.frame_width, node)
    cells = _Cells(theme, headers)
    data: list[list[Any]] = []
    for index, row in enumerate(rows):
        if len(row.elements) != count:
            raise row.fail(f"has {len(row.elements)} cells; the first row has {count}")
        data.append(
            [
                cells.cell(c, column, index, widths[column])
                for column, c in enumerate(row.elements)
            ]
        )
    return grid(theme, data, widths, headers, extra=cells.style_commands())


def grid(
    theme: Theme,
    data: list[list[Any]],
    widths: list[float],
    headers: int,
    *,
    row_heights: list[float | None] | None = None,
    keep: float = SHORT_TABLE,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """Return a ruled, striped table whose header rows repeat across pages.

    Args:
        keep: the table moves to the next page whole, instead of splitting,
            if it is at most this share of a page tall.
        extra: style commands for single cells, applied last.
    """
    commands: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, headers), (-1, -1), 0.4, RULE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
        ("ROWBACKGROUNDS", (0, headers), (-1, -1), [WHITE, STRIPE]),
    ]
    if headers:
        commands += [
            ("BACKGROUND", (0, 0), (-1, headers - 1), theme.brand),
            ("TEXTCOLOR", (0, 0), (-1, headers - 1), WHITE),
            ("FONT", (0, 0), (-1, headers - 1), BOLD, CELL_SIZE, CELL_LEADING),
        ]
    return HandoutTable(
        data,
        colWidths=widths,
        rowHeights=row_heights,
        cellStyles=[[_CellStyle("cell") for _ in widths] for _ in data],
        repeatRows=headers,
        style=TableStyle([*commands, *extra]),
        hAlign="LEFT",
        keep_height=keep * theme.later_frame_height,
    )


def header_cells(names: Sequence[str], widths: Sequence[float]) -> list[str]:
    """Return header cells for plain column names, broken to fit."""
    return [
        "\n".join(break_words(name, BOLD, CELL_SIZE, width - 2 * PAD_X) or [""])
        for name, width in zip(names, widths, strict=True)
    ]
