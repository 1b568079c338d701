"""The bundled default template of each packet type, and sample packets.

The samples are real packets generated from ``resources/examples``: a
template is only accepted once it renders against them.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from typing import Any

from packetstudio.paths import resource
from packetstudio.vocabulary import PacketType

# The day samples are generated for, fixed so that validation never depends
# on today's date (a youth example must stay 7-17, say).
SAMPLE_AS_OF = date(2026, 1, 15)
SAMPLE_INTAKE = {
    PacketType.NUTRITION: "general",
    PacketType.WORKOUT: "general",
    PacketType.PERFORMANCE: "athlete",
    PacketType.YOUTH: "youth",
    PacketType.RECOVERY: "recovery",
}
SAMPLE_CLEARANCE_REASON = (
    "Sample reason: the intake lists a medical condition (shown to check that "
    "the template prints the physician notice)."
)


def template_path_name(packet_type: PacketType) -> str:
    """Return the file name of a packet type's default template."""
    return f"{packet_type.value}.xml.j2"


@cache
def default_template(packet_type: PacketType) -> str:
    """Return the bundled default template text of ``packet_type``."""
    path = resource("templates", template_path_name(packet_type))
    return path.read_text(encoding="utf-8")


@cache
def _sample(packet_type: PacketType) -> tuple[str, str]:
    """Return a sample packet's content as JSON text, and the client's name."""
    from packetstudio.generators import generate
    from packetstudio.intake import parse_intake

    name = SAMPLE_INTAKE[packet_type]
    raw = json.loads(resource("examples", f"{name}.json").read_text("utf-8"))
    intake = parse_intake(raw)
    content = generate(packet_type, intake, as_of=SAMPLE_AS_OF)
    return content.model_dump_json(), intake.full_name


def sample_content(packet_type: PacketType) -> dict[str, Any]:
    """Return a fresh copy of a sample packet's content, as JSON values."""
    text, _ = _sample(packet_type)
    content: dict[str, Any] = json.loads(text)
    return content


def sample_client_name(packet_type: PacketType) -> str:
    """Return the client name of the sample packet for ``packet_type``."""
    return _sample(packet_type)[1]


def samples(packet_type: PacketType) -> list[dict[str, Any]]:
    """Return the sample contents a template must render.

    The example packet as generated, and the same packet needing a physician
    first, so a template that drops the physician notice is caught on save.
    """
    plain = sample_content(packet_type)
    cleared = sample_content(packet_type)
    cleared["needs_clearance"] = True
    cleared["clearance_reasons"] = [
        *cleared.get("clearance_reasons", []),
        SAMPLE_CLEARANCE_REASON,
    ]
    return [plain, cleared]
