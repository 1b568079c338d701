"""Making one packet from a stored intake: its content, then its handout.

This is the part of a job that only computes: no database, no queue. It is a
module-level function of plain, picklable arguments, so the queue hands it
to a render process (:class:`packetstudio.pdf.pool.RenderPool`) with
everything it needs and gets the packet back, while the queue's own process
only claims, reads and stores. Generating the content costs about a
twentieth of rendering the handout, and doing both in the render process
keeps that work off the app's own process, where it would compete with the
window for the interpreter.

The generators and ReportLab load with the first packet (or :func:`prepare`),
not with this module: the process that asks for packets needs only
:class:`MadePacket` to receive them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from typing import Any

from packetstudio.pdf.branding import Branding
from packetstudio.templates.time_limit import TEMPLATE_TIME_LIMIT
from packetstudio.vocabulary import PacketType


@dataclass(frozen=True)
class MadePacket:
    """A packet's content (as JSON values) and its handout.

    Attributes:
        content: the content the handout was rendered from, as stored.
        generator_version: the version of the generators that made it.
        pdf: the handout.
        page_count: the handout's pages.
    """

    content: dict[str, Any]
    generator_version: str
    pdf: bytes
    page_count: int


def make_packet(
    packet_type: str,
    intake: Mapping[str, Any],
    template_source: str,
    branding: Branding,
    client_name: str,
    as_of: date | None = None,
    *,
    time_limit: float = TEMPLATE_TIME_LIMIT,
) -> MadePacket:
    """Generate one packet's content from a stored intake and render its handout.

    Args:
        packet_type: the packet type's value, "nutrition".
        intake: the client's intake as stored (``Intake.to_json_dict``).
        template_source: the handout template's text.
        branding: the gym's branding.
        client_name: the client's full name, as it should be printed.
        as_of: the day the packet is made for; today by default.
        time_limit: the seconds the template's code may run.

    Raises:
        NotApplicable: the packet type does not suit this client.
        pydantic.ValidationError: the stored intake is no longer valid.
        TemplateFailure: the template, or the markup it produced, is wrong.
    """
    from packetstudio.generators import GENERATOR_VERSION, generate
    from packetstudio.intake import Intake
    from packetstudio.pdf.render import render_handout

    client = Intake.from_stored(intake)
    content = generate(PacketType(packet_type), client, as_of=as_of)
    data = content.model_dump(mode="json")
    handout = render_handout(
        packet_type,
        data,
        template_source,
        branding,
        client_name,
        content.as_of,
        time_limit=time_limit,
    )
    return MadePacket(data, GENERATOR_VERSION, handout.pdf, handout.page_count)


def prepare() -> None:
    """Load everything making a packet uses, so that the first one is not slower.

    The intake model, ReportLab and the fonts, every generator and the
    libraries they read.
    """
    from packetstudio.generators import generator_for
    from packetstudio.library import load_library
    from packetstudio.pdf.fonts import register_fonts

    import_module("packetstudio.intake")
    import_module("packetstudio.pdf.render")
    register_fonts()
    load_library()
    for packet_type in PacketType:
        generator_for(packet_type)
