"""Packet generators: pure functions from an intake to a packet's content.

No Qt and no database here. Each packet type has a module with a
``generate(intake, library, as_of)`` function; :func:`generate` dispatches to
it after checking that the packet type applies to the client. The other
modules are the steps those functions use: :mod:`.training` gathers the
exercise ones, and :mod:`.nutrition` names the food ones.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from importlib import import_module

from packetstudio.generators.base import GENERATOR_VERSION, NotApplicable, PacketContent
from packetstudio.generators.eligibility import (
    applicable_types,
    check,
    suggested_types,
)
from packetstudio.intake import Intake
from packetstudio.library import Library, load_library
from packetstudio.vocabulary import PacketType

Generator = Callable[[Intake, Library, date], PacketContent]


def generator_for(packet_type: PacketType) -> Generator:
    module = import_module(f"packetstudio.generators.{packet_type.value}")
    function: Generator = module.generate
    return function


def generate(
    packet_type: PacketType,
    intake: Intake,
    *,
    library: Library | None = None,
    as_of: date | None = None,
) -> PacketContent:
    """Return the content of one packet for ``intake``.

    Args:
        library: the exercise, food and sport libraries; the bundled ones by
            default.
        as_of: the day the packet is made for; today by default. The same
            intake, library and day always give the same packet.

    Raises:
        NotApplicable: the packet type does not suit this client.
    """
    day = as_of or date.today()
    check(packet_type, intake, day)
    return generator_for(packet_type)(intake, library or load_library(), day)


__all__ = [
    "GENERATOR_VERSION",
    "NotApplicable",
    "PacketContent",
    "applicable_types",
    "check",
    "generate",
    "suggested_types",
]
