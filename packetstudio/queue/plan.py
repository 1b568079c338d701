"""Deciding which packets to queue for which clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from packetstudio.generators import NotApplicable, applicable_types, check
from packetstudio.store.clients import ClientNotFound, current_intakes
from packetstudio.store.database import Database
from packetstudio.vocabulary import PacketType

ALL_TYPES = "all"


class PlanError(Exception):
    """The request cannot be queued at all; the message says why."""


@dataclass
class Plan:
    """Packets to queue, and the ones left out with their reasons."""

    requests: list[tuple[int, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def plan_packets(
    db: Database,
    client_ids: list[int] | None,
    packet_type: str,
    as_of: date | None = None,
) -> Plan:
    """Return the (client, packet type) pairs to queue.

    ``packet_type`` "all" means every type that applies to each client, so a
    youth packet only for ages 7-17 and a performance packet only for
    athletes. A named type that does not apply to a client is left out with
    the reason; for a single named client that is an error.

    Raises:
        PlanError: an unknown client, or a single client the type does not fit.
    """
    day = as_of or date.today()
    try:
        clients = current_intakes(db, client_ids)
    except ClientNotFound as exc:
        raise PlanError(str(exc)) from None
    plan = Plan()
    for client_id, name, intake in clients:
        if packet_type == ALL_TYPES:
            types = applicable_types(intake, day)
            plan.requests.extend((client_id, t.value) for t in types)
            continue
        try:
            check(PacketType(packet_type), intake, day)
        except NotApplicable as exc:
            if client_ids is not None and len(client_ids) == 1:
                raise PlanError(f"{name}: {exc}") from None
            plan.skipped.append(f"{name} (client {client_id}): {exc}")
            continue
        plan.requests.append((client_id, packet_type))
    return plan
