"""One handout from a packet's content: the entry point of PDF rendering.

:func:`render_handout` is a pure, module-level function of plain, picklable
arguments, so the queue can run it in a worker process: template text and
content in, PDF bytes out. The steps are the sandboxed template (markup),
the markup parser (a checked tree), the story builder (flowables) and the
document (pages).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.doctemplate import LayoutError

from packetstudio import __version__
from packetstudio.pdf.branding import Branding
from packetstudio.pdf.document import Furniture, Metadata, build_pdf
from packetstudio.pdf.fonts import register_fonts
from packetstudio.pdf.markup import parse_markup
from packetstudio.pdf.rendered import RenderedHandout
from packetstudio.pdf.story import build_story
from packetstudio.pdf.theme import MUTED_HEX, Theme
from packetstudio.templates.errors import TemplateFailure
from packetstudio.templates.sandbox import render_markup
from packetstudio.templates.time_limit import TEMPLATE_TIME_LIMIT
from packetstudio.vocabulary import PacketType

log = logging.getLogger(__name__)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """Write a date the same way in every locale: "3 December 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def packet_label(packet_type: PacketType) -> str:
    """Return the packet type as a client reads it: "Nutrition"."""
    return packet_type.value.capitalize()


@lru_cache(maxsize=8)
def theme_for(branding: Branding) -> Theme:
    """Return the theme of a branding, built once per process."""
    return Theme(branding)


def template_context(
    packet_type: PacketType,
    content: Mapping[str, Any],
    branding: Branding,
    client_name: str,
    as_of: date,
) -> dict[str, Any]:
    """Return the variables a template sees (listed in docs/templates.md)."""
    words = client_name.split()
    return {
        "content": content,
        "client": {"name": client_name, "first_name": words[0] if words else ""},
        "packet": {
            "type": packet_type.value,
            "label": packet_label(packet_type),
            "date": long_date(as_of),
            "as_of": as_of.isoformat(),
        },
        "gym": {
            "name": branding.gym_name,
            "address": branding.address,
            "phone": branding.phone,
            "website": branding.website,
            "coach": branding.coach_name,
        },
        "units": branding.units,
    }


def render_handout(
    packet_type: str,
    content: Mapping[str, Any],
    template_source: str,
    branding: Branding,
    client_name: str,
    as_of: date,
    *,
    time_limit: float = TEMPLATE_TIME_LIMIT,
) -> RenderedHandout:
    """Render one handout to PDF.

    Args:
        packet_type: the packet type's value, "nutrition".
        content: the packet's content as JSON values (``model_dump(mode="json")``).
        template_source: the handout template's text.
        branding: the gym's branding.
        client_name: the client's full name, as it should be printed.
        as_of: the day the packet was made for.
        time_limit: the seconds the template's code may run.

    Raises:
        TemplateFailure: the template, or the markup it produced, is wrong,
            or the template ran past ``time_limit``.
    """
    kind = PacketType(packet_type)
    register_fonts()
    theme = theme_for(branding)
    context = template_context(kind, content, branding, client_name, as_of)
    root = parse_markup(render_markup(template_source, context, time_limit))
    title = root.attrs.get("title") or f"{packet_label(kind)} packet for {client_name}"
    story = [
        *title_block(theme, kind, client_name, root.attrs.get("subtitle"), as_of),
        *build_story(root, theme, content),
    ]
    furniture = Furniture(theme, client_name, f"{packet_label(kind)} packet")
    try:
        pdf, pages = build_pdf(
            story, furniture, _metadata(kind, title, branding, client_name)
        )
    except LayoutError as exc:
        raise TemplateFailure(
            f"something in the handout is too big for a page ({exc})"
        ) from None
    log.debug("Rendered a %s handout of %s pages", kind.value, pages)
    return RenderedHandout(pdf, pages)


def title_block(
    theme: Theme, kind: PacketType, client_name: str, subtitle: str | None, as_of: date
) -> list[Flowable]:
    """Return page 1's opening: packet type, client's name, date and coach."""
    coach = theme.branding.coach_name
    details = f"Prepared on {long_date(as_of)}"
    if coach:
        details += f"  \u00b7  Coach: {escape(coach)}"
    flowables: list[Flowable] = [
        Paragraph(f"{packet_label(kind).upper()} PACKET", theme.kicker),
        Paragraph(escape(client_name), theme.client_name),
    ]
    if subtitle:
        flowables.append(Paragraph(escape(subtitle), theme.subtitle))
    flowables += [
        Paragraph(f'<font color="{MUTED_HEX}">{details}</font>', theme.body),
        Spacer(1, 6),
    ]
    return flowables


def _metadata(
    kind: PacketType, title: str, branding: Branding, client_name: str
) -> Metadata:
    author = branding.gym_name
    if branding.coach_name:
        author = f"{branding.coach_name}, {branding.gym_name}"
    return Metadata(
        title=title,
        author=author,
        subject=f"{packet_label(kind)} packet for {client_name}",
        creator=f"PacketStudio {__version__}",
        keywords=f"PacketStudio, {kind.value}, handout",
    )
