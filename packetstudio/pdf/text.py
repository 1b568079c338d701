"""Text inside the markup: ReportLab paragraph markup, or plain lines.

Text in the tree is plain (the markup parser has already decoded it), so it
is escaped again here for ReportLab's paragraph mini-markup, which only ever
sees the ``<b>``, ``<font>`` and ``<br/>`` this module writes itself.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from packetstudio.pdf.fonts import BOLD
from packetstudio.pdf.markup import Node
from packetstudio.pdf.theme import Theme
from packetstudio.pdf.widgets import Para, TextBlock


def inline(node: Node, theme: Theme) -> str:
    """Return a node's text as ReportLab paragraph markup."""
    parts: list[str] = []
    for child in node.children:
        if isinstance(child, str):
            parts.append(escape(child))
        elif child.tag == "br":
            parts.append("<br/>")
        elif child.tag == "b":
            parts.append(f"<b>{inline(child, theme)}</b>")
        else:
            # One family in two weights: emphasis is drawn in the brand colour.
            colour = theme.branding.brand_colour
            parts.append(f'<font color="{colour}">{inline(child, theme)}</font>')
    return " ".join("".join(parts).split())


def paragraph(
    node: Node, theme: Theme, style: ParagraphStyle, bullet: str | None = None
) -> Flowable:
    """Return a node's text as a paragraph in ``style``.

    Plain text, or text whose lines are each all bold or all regular, gets a
    light :class:`TextBlock`; anything richer a ReportLab paragraph.
    """
    lines = plain_lines(node)
    if lines is None:
        return Para(inline(node, theme), style, bulletText=bullet)
    return plain(lines, style, bullet)


def plain(
    lines: list[tuple[bool, str]], style: ParagraphStyle, bullet: str | None = None
) -> TextBlock:
    """Return (bold, text) lines as a :class:`TextBlock` in ``style``."""
    regular = style.fontName
    segments = [(BOLD if bold else regular, text) for bold, text in lines]
    return TextBlock(segments, style, bullet)


class _Mixed(Exception):
    """A line mixes weights or colours."""


def plain_lines(node: Node) -> list[tuple[bool, str]] | None:
    """Return a node's lines as (bold, text), or None if a line mixes styles.

    Lines are separated by ``<br/>``. A line qualifies when all of it is bold
    or none of it is, and nothing in the node is ``<i>``. Empty text gives no
    lines at all.
    """
    lines: list[list[tuple[bool, str]]] = [[]]

    def walk(parent: Node, bold: bool) -> None:
        for child in parent.children:
            if isinstance(child, str):
                lines[-1].append((bold, child))
            elif child.tag == "br":
                lines.append([])
            elif child.tag == "b":
                walk(child, True)
            else:
                raise _Mixed

    try:
        walk(node, False)
    except _Mixed:
        return None
    result: list[tuple[bool, str]] = []
    for parts in lines:
        weights = {bold for bold, text in parts if text.strip()}
        if len(weights) > 1:
            return None
        text = " ".join("".join(text for _, text in parts).split())
        result.append((weights.pop() if weights else False, text))
    return [] if result == [(False, "")] else result
