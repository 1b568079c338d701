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

from packetstudio.generators import GENERATOR_VERSION, generate
from packetstudio.queue import jobs
from packetstudio.queue.errors import classify
from packetstudio.queue.jobs import (
    ClaimedJob,
    JobStatus,
    LeaseLost,
    PacketResult,
    QueueConfig,
)
from packetstudio.store.clients import read_client
from packetstudio.store.database import Database
from packetstudio.store.settings import read_branding
from packetstudio.store.templates import read_template
from packetstudio.vocabulary import PacketType

if TYPE_CHECKING:
    from packetstudio.pdf.rendered import RenderedHandout

log = logging.getLogger(__name__)

# render_handout's signature; a RenderPool renders the same in a process.
Render = Callable[..., "RenderedHandout"]


def build(
    db: Database,
    job: ClaimedJob,
    as_of: date | None = None,
    render: Render | None = None,
) -> PacketResult:
    """Make the packet for ``job`` from the client's current intake.

    The handout is rendered with the packet type's current template and the
    gym's stored branding, by ``render``: in this thread by default, or in a
    :class:`~packetstudio.pdf.pool.RenderPool` process.
    """
    with db.reading() as connection:  # one snapshot of everything the job uses
        client = read_client(connection, job.client_id)
        source, template_version = read_template(connection, job.packet_type)
        branding = read_branding(connection)
    content = generate(PacketType(job.packet_type), client.intake, as_of=as_of)
    data = content.model_dump(mode="json")
    name, day = client.full_name, content.as_of
    if render is None:
        from packetstudio.pdf.render import render_handout

        render = render_handout
    handout = render(job.packet_type, data, source, branding, name, day)
    return PacketResult(
        content=data,
        intake_version=client.intake_version,
        generator_version=GENERATOR_VERSION,
        pdf=handout.pdf,
        page_count=handout.page_count,
        template_version=template_version,
    )


def process(
    db: Database,
    job: ClaimedJob,
    config: QueueConfig = QueueConfig(),
    render: Render | None = None,
) -> JobStatus:
    """Carry out a claimed job and record its outcome; return the job's new status.

    Never raises for a failure of the job itself: that is recorded on the job
    (retried or failed). Returns ``cancelled`` when the lease was lost, in
    which case nothing was stored.
    """
    try:
        result = build(db, job, render=render)
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
