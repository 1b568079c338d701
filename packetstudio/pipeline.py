"""One job from intake to stored packet: the only place a job is carried out.

:func:`process` is idempotent: the packet row is updated in place, so a job
that runs twice after a crash leaves exactly one result, and a worker that
lost its lease stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from packetstudio.queue import jobs
from packetstudio.queue.errors import classify
from packetstudio.queue.jobs import (
    ClaimedJob,
    JobStatus,
    LeaseLost,
    PacketResult,
    QueueConfig,
)
from packetstudio.store.clients import read_stored_intake
from packetstudio.store.database import Database
from packetstudio.store.settings import read_branding
from packetstudio.store.templates import read_template

if TYPE_CHECKING:
    from packetstudio.making import MadePacket

log = logging.getLogger(__name__)

# make_packet's signature; a RenderPool's ``make`` runs it in a process.
Make = Callable[..., "MadePacket"]


def build(
    db: Database,
    job: ClaimedJob,
    as_of: date | None = None,
    make: Make | None = None,
) -> PacketResult:
    """Make the packet for ``job`` from the client's current intake.

    The content is generated and the handout rendered, with the packet
    type's current template and the gym's stored branding, by ``make``: in
    this thread by default, or in a :class:`~packetstudio.pdf.pool.RenderPool`
    process.
    """
    with db.reading() as connection:  # one snapshot of everything the job uses
        client = read_stored_intake(connection, job.client_id)
        source, template_version = read_template(connection, job.packet_type)
        branding = read_branding(connection)
    if make is None:
        from packetstudio.making import make_packet

        make = make_packet
    made = make(job.packet_type, client.data, source, branding, client.full_name, as_of)
    return PacketResult(
        content=made.content,
        intake_version=client.version,
        generator_version=made.generator_version,
        pdf=made.pdf,
        page_count=made.page_count,
        template_version=template_version,
    )


def process(
    db: Database,
    job: ClaimedJob,
    config: QueueConfig = QueueConfig(),
    make: Make | None = None,
) -> JobStatus:
    """Carry out a claimed job and record its outcome; return the job's new status.

    Never raises for a failure of the job itself: that is recorded on the job
    (retried or failed). Returns ``cancelled`` when the lease was lost, in
    which case nothing was stored.
    """
    try:
        result = build(db, job, make=make)
        jobs.finish(db, job, result)
        return JobStatus.READY
    except LeaseLost:
        log.warning("Job %s: lease lost; result discarded", job.id)
        return JobStatus.CANCELLED
    except Exception as exc:  # every failure is recorded on the job
        error = classify(exc)
        try:
            return jobs.fail(db, job, error, config)
        except LeaseLost:
            return JobStatus.CANCELLED
