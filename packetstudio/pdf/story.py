"""From the checked markup tree to ReportLab flowables.

One small function per element; tables live in :mod:`packetstudio.pdf.tables`
and text in :mod:`packetstudio.pdf.text`. The story also checks that the
handout is complete: sources and disclaimer always, and the physician notice
whenever the client needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import cm, mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from packetstudio.pdf.charts import CHARTS, ChartUnavailable
from packetstudio.pdf.markup import Node
from packetstudio.pdf.tables import (
    column_widths,
    grid,
    header_cells,
    table_from_markup,
)
from packetstudio.pdf.text import paragraph, plain
from packetstudio.pdf.theme import INK, RULE, Theme
from packetstudio.pdf.widgets import HandoutTable, Para, TickBox

MAX_LOG_ROWS = 100
LEAD_CHARS = 300
LOG_ROW_HEIGHT = 8 * mm
BULLET = "\u2022"
PHYSICIAN_TITLE = "See a physician before starting"
CONVENTIONS_INTRO = (
    "These are PacketStudio conventions: choices made by PacketStudio, not "
    "the text of a guideline."
)


@dataclass
class Story:
    """Flowables being built, and which elements the handout has shown."""

    theme: Theme
    content: Mapping[str, Any]
    seen: set[str] = field(default_factory=set)


Builder = Callable[[Story, Node], list[Flowable]]


def build_story(root: Node, theme: Theme, content: Mapping[str, Any]) -> list[Flowable]:
    """Return the flowables for a handout's markup tree.

    Raises:
        TemplateFailure: an element's attributes or contents are wrong, or the
            handout leaves out the sources, the disclaimer, or a physician
            notice the client needs.
    """
    story = Story(theme, content)
    flowables: list[Flowable] = []
    previous = ""
    for node in root.elements:
        built = build_block(story, node)
        if previous in ("h1", "h2") and _is_lead(node):
            for flowable in built:
                flowable.keepWithNext = 1
        flowables.extend(built)
        previous = node.tag
    _check_complete(story, root)
    return flowables


def _is_lead(node: Node) -> bool:
    """Whether ``node`` is a short paragraph introducing what follows it.

    Such a paragraph right after a heading stays on the page of what comes
    next, with the heading, rather than ending a page on its own.
    """
    return node.tag == "p" and len(node.text()) <= LEAD_CHARS


def build_block(story: Story, node: Node) -> list[Flowable]:
    """Return the flowables of one block element, noting that it was shown."""
    kind = node.attrs.get("kind") if node.tag == "notice" else None
    story.seen.add(f"notice:{kind}" if kind else node.tag)
    return BUILDERS[node.tag](story, node)


def _check_complete(story: Story, root: Node) -> None:
    for tag in ("sources", "disclaimer"):
        if tag not in story.seen:
            raise root.fail(f"the handout must include <{tag}/>")
    if story.content.get("needs_clearance") and "notice:physician" not in story.seen:
        raise root.fail(
            'this client needs the <notice kind="physician"> notice, but the '
            "template leaves it out"
        )


# -- headings and text blocks --------------------------------------------------


def _h1(story: Story, node: Node) -> list[Flowable]:
    theme = story.theme
    rule = HRFlowable(
        width="100%", thickness=0.8, color=theme.brand, spaceBefore=1, spaceAfter=6
    )
    rule.keepWithNext = 1  # the rule belongs to its heading
    # A new section never starts in the last few centimetres of a page.
    return [CondPageBreak(4 * cm), paragraph(node, theme, theme.h1), rule]


def _h2(story: Story, node: Node) -> list[Flowable]:
    return [paragraph(node, story.theme, story.theme.h2)]


def _p(story: Story, node: Node) -> list[Flowable]:
    return [paragraph(node, story.theme, story.theme.body)]


def _ul(story: Story, node: Node) -> list[Flowable]:
    theme = story.theme
    return [paragraph(item, theme, theme.bullet, BULLET) for item in node.elements]


def _pagebreak(story: Story, node: Node) -> list[Flowable]:
    return [PageBreak()]


def _keep(story: Story, node: Node) -> list[Flowable]:
    """Keep the blocks inside on one page when a page can hold them."""
    inner: list[Flowable] = []
    for child in node.elements:
        inner.extend(build_block(story, child))
    return [KeepTogether(inner)]


def _table(story: Story, node: Node) -> list[Flowable]:
    return [table_from_markup(node, story.theme), Spacer(1, 8)]


def _title(node: Node, theme: Theme) -> list[Flowable]:
    if "title" not in node.attrs:
        return []
    return [Para(escape(node.attrs["title"]), theme.h2)]


# -- boxes ---------------------------------------------------------------------


def _glance(story: Story, node: Node) -> list[Flowable]:
    """The "at a glance" box: labelled values in a grid on a pale wash."""
    theme = story.theme
    items = node.elements
    if not items:
        raise node.fail("needs at least one <item>")
    cells: list[Any] = []
    for item in items:
        if "label" not in item.attrs:
            raise item.fail("an at-a-glance item needs a label")
        label = plain([(False, item.attrs["label"])], theme.glance_label)
        cells.append([label, paragraph(item, theme, theme.glance_value)])
    columns = 3 if len(items) > 4 else 2
    cells += [""] * (-len(cells) % columns)
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    title = Para(escape(node.attrs.get("title", "At a glance")), theme.box_title)
    table = Table(
        [[title] + [""] * (columns - 1), *rows],
        colWidths=[theme.frame_width / columns] * columns,
        style=TableStyle(
            [
                ("SPAN", (0, 0), (-1, 0)),
                ("BACKGROUND", (0, 0), (-1, -1), theme.brand_tint),
                ("BOX", (0, 0), (-1, -1), 1.2, theme.brand),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("TOPPADDING", (0, 0), (-1, 0), 9),
            ]
        ),
        hAlign="LEFT",
    )
    return [table, Spacer(1, 10)]


def _notice(story: Story, node: Node) -> list[Flowable]:
    """A framed notice: the physician one is boxed in black with a bar."""
    theme = story.theme
    kind = node.attrs["kind"]
    if kind not in ("physician", "info"):
        raise node.fail('kind must be "physician" or "info"')
    title = node.attrs.get("title", PHYSICIAN_TITLE if kind == "physician" else "")
    inner: list[Flowable] = [Para(escape(title), theme.box_title)] if title else []
    for child in node.elements:
        inner.extend(build_block(story, child))
    # The physician notice is boxed in black with a solid bar of the brand
    # colour down its left side (a narrow first column): it must stand out
    # on a black-and-white print too.
    bar = 2.2 * mm if kind == "physician" else 0
    box = Table(
        [["", inner]],
        colWidths=[bar, theme.frame_width - bar],
        style=TableStyle(
            [
                *_notice_frame(kind, theme),
                ("LEFTPADDING", (0, 0), (0, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, -1), 0),
                ("LEFTPADDING", (1, 0), (1, -1), 12),
                ("RIGHTPADDING", (1, 0), (1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        ),
        hAlign="LEFT",
    )
    return [box, Spacer(1, 10)]


def _notice_frame(kind: str, theme: Theme) -> list[tuple[Any, ...]]:
    if kind == "physician":
        return [
            ("BACKGROUND", (0, 0), (0, -1), theme.brand),
            ("BOX", (0, 0), (-1, -1), 1.5, INK),
        ]
    return [
        ("BOX", (0, 0), (-1, -1), 0.8, theme.brand),
        ("BACKGROUND", (0, 0), (-1, -1), theme.brand_tint),
    ]


# -- things to fill in by hand -------------------------------------------------


def _log(story: Story, node: Node) -> list[Flowable]:
    """A blank log: named columns over empty rows tall enough to write in."""
    theme = story.theme
    columns = [c.strip() for c in node.attrs["columns"].split(",") if c.strip()]
    if not columns:
        raise node.fail("columns needs at least one name")
    rows = _whole_number(node, "rows", MAX_LOG_ROWS)
    numbered = node.attrs.get("numbered")
    if numbered is not None:
        if not numbered.strip():
            raise node.fail("numbered names the column of row numbers")
        columns.insert(0, numbered.strip())
    spec = node.attrs.get("widths")
    if spec is None and numbered is not None:
        spec = ",".join(["1.4cm"] + ["*"] * (len(columns) - 1))
    widths = column_widths(spec, len(columns), theme.frame_width, node)
    body = [
        [str(n + 1) if numbered is not None else ""] + [""] * (len(columns) - 1)
        for n in range(rows)
    ]
    heights: list[float | None] = [None, *[LOG_ROW_HEIGHT] * rows]
    table = grid(
        theme,
        [header_cells(columns, widths), *body],
        widths,
        1,
        row_heights=heights,
        keep=1.0,
    )
    return [*_title(node, theme), table, Spacer(1, 8)]


def _whole_number(node: Node, name: str, maximum: int) -> int:
    text = node.attrs[name].strip()
    # isdigit() also accepts digits such as "²" that int() cannot read.
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= maximum:
        raise node.fail(f"{name} must be a whole number from 1 to {maximum}")
    return int(text)


def _checklist(story: Story, node: Node) -> list[Flowable]:
    """Items beside empty boxes, drawn rather than typed, to tick by hand."""
    theme = story.theme
    items = node.elements
    if not items:
        raise node.fail("needs at least one <item>")
    rows: list[list[Any]] = []
    for item in items:
        if "label" in item.attrs:
            raise item.fail("a checklist item has no label; write its text inside")
        rows.append([TickBox(10, INK, nudge=1), paragraph(item, theme, theme.body)])
    table = HandoutTable(
        rows,
        keep_height=theme.later_frame_height,
        colWidths=[8 * mm, theme.frame_width - 8 * mm],
        style=TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        ),
        hAlign="LEFT",
    )
    return [*_title(node, theme), table, Spacer(1, 8)]


# -- charts, sources, conventions, disclaimer ----------------------------------


def _chart(story: Story, node: Node) -> list[Flowable]:
    name = node.attrs["name"]
    maker = CHARTS.get(name)
    if maker is None:
        known = ", ".join(sorted(CHARTS))
        raise node.fail(f"unknown chart {name!r} (known: {known})")
    try:
        drawing = maker(story.content, story.theme, story.theme.frame_width)
    except ChartUnavailable as exc:
        raise node.fail(str(exc)) from None
    return [drawing, Spacer(1, 8)]


def _sources(story: Story, node: Node) -> list[Flowable]:
    """Every source behind the packet's numbers, numbered, with its use."""
    style = story.theme.small_bullet
    flowables: list[Flowable] = []
    for number, source in enumerate(story.content.get("sources", []), start=1):
        lines = [
            (False, source["citation"]),
            (False, f"Used for: {source['used_for']}."),
        ]
        flowables.append(plain(lines, style, f"{number}."))
    return flowables


def _conventions(story: Story, node: Node) -> list[Flowable]:
    """PacketStudio's own choices, introduced as such."""
    theme = story.theme
    flowables: list[Flowable] = [plain([(False, CONVENTIONS_INTRO)], theme.small)]
    for text in story.content.get("conventions", []):
        flowables.append(plain([(False, text)], theme.small_bullet, BULLET))
    return flowables


def _disclaimer(story: Story, node: Node) -> list[Flowable]:
    theme = story.theme
    text = plain([(False, str(story.content.get("disclaimer", "")))], theme.small)
    box = Table(
        [[text]],
        colWidths=[theme.frame_width],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
        hAlign="LEFT",
    )
    return [Spacer(1, 8), box]


BUILDERS: dict[str, Builder] = {
    "h1": _h1,
    "h2": _h2,
    "p": _p,
    "ul": _ul,
    "table": _table,
    "glance": _glance,
    "notice": _notice,
    "chart": _chart,
    "log": _log,
    "checklist": _checklist,
    "pagebreak": _pagebreak,
    "keep": _keep,
    "sources": _sources,
    "conventions": _conventions,
    "disclaimer": _disclaimer,
}
