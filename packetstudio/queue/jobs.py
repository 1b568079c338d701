"""The durable packet queue: jobs in the database, claimed under a lease.

Every state change is one short write transaction, so a crash or power cut at
any moment leaves each job either where it was or where it went, never lost.
A worker claims a job by taking a lease (``leased_by``, ``lease_expires_at``)
and renews it while the job runs. A lease that runs out means the worker died;
the job is then claimed again by whoever asks next. Results are only stored by
the worker that still holds the lease, so a late worker cannot overwrite a
newer result.

On PostgreSQL a claim locks the row it takes with ``FOR UPDATE SKIP LOCKED``,
so several desktops claim different jobs concurrently; SQLite ignores that
clause, and the claim relies on the write lock of ``BEGIN IMMEDIATE`` instead.

Claiming and finishing run for every job, so they use table statements built
once at import, on a plain connection: building a statement and passing it
through the ORM cost several times more than SQLite takes to run it
(benchmarks/bench_queue.py). The queue's counts and recent jobs are read the
same way; the ORM loads only for the rarer changes (queueing, a failed
attempt, retrying, cancelling) that touch several rows of a job and its
packet.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Update,
    and_,
    bindparam,
    case,
    delete,
    func,
    or_,
    select,
    update,
)

from packetstudio.store import tables
from packetstudio.store.database import Database

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from packetstudio.store.models import Job, Packet

log = logging.getLogger(__name__)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
FINISHED = (JobStatus.READY, JobStatus.FAILED, JobStatus.CANCELLED)

# A worker that dies again and again on the same job (a power cut is not the
# job's fault, but a job that crashes its worker every time is) ends failed.
MAX_INTERRUPTIONS = 5


@dataclass(frozen=True)
class QueueConfig:
    """How the queue retries and leases.

    Attributes:
        backoff_s: delay before the second attempt; it doubles for each
            further attempt, with ``jitter`` (a fraction) either way.
        lease_s: how long a claim holds without renewal; a worker renews it
            about every third of this.
    """

    max_attempts: int = 3
    backoff_s: float = 2.0
    backoff_max_s: float = 300.0
    jitter: float = 0.25
    lease_s: float = 60.0

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Return the delay in seconds after failed attempt number ``attempt``."""
        base = min(self.backoff_max_s, self.backoff_s * 2.0 ** (attempt - 1))
        return float(base * (1 + rng.uniform(-self.jitter, self.jitter)))


class LeaseLost(Exception):
    """The worker no longer holds the job: it expired, was cancelled or taken."""


@dataclass(frozen=True)
class ClaimedJob:
    """A job a worker holds the lease on."""

    id: int
    packet_id: int
    client_id: int
    packet_type: str
    attempt: int
    worker_id: str


@dataclass(frozen=True)
class JobError:
    """Why an attempt failed.

    Attributes:
        kind: a short machine word (``invalid_intake``, ``disk_full``, ...).
        message: plain words for the front desk.
        permanent: retrying cannot help; the job fails at once.
    """

    kind: str
    message: str
    permanent: bool


@dataclass(frozen=True)
class PacketResult:
    """What a finished job stores with its packet."""

    content: dict[str, Any]
    intake_version: int
    generator_version: str
    pdf: bytes | None = None
    page_count: int | None = None
    template_version: int | None = None


@dataclass(frozen=True)
class JobRecord:
    """A job as the queue panel and the command line show it."""

    id: int
    client_id: int
    client_name: str
    packet_id: int
    packet_type: str
    status: JobStatus
    attempts: int
    max_attempts: int
    run_after: datetime
    leased_by: str | None
    last_error_kind: str | None
    last_error_message: str | None
    errors: list[dict[str, Any]]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def duration_s(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()


@dataclass(frozen=True)
class QueueStats:
    """Counts per state and the last hour's throughput.

    ``per_minute`` is the packets made in the last hour divided by the
    minutes from the first of them starting until now (at least one minute),
    so that it shows a batch's pace while it runs rather than spreading a
    burst over the whole hour.
    """

    counts: dict[JobStatus, int]
    finished_last_hour: int
    per_minute: float
    mean_duration_s: float | None
    oldest_waiting_since: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {s.value: self.counts.get(s, 0) for s in JobStatus}
        document["finished_last_hour"] = self.finished_last_hour
        document["per_minute"] = round(self.per_minute, 2)
        document["mean_duration_s"] = (
            None if self.mean_duration_s is None else round(self.mean_duration_s, 3)
        )
        document["oldest_waiting_since"] = (
            self.oldest_waiting_since.isoformat() if self.oldest_waiting_since else None
        )
        return document


_JOBS = tables.jobs
_PACKETS = tables.packets
_CLIENTS = tables.clients

_NOW = select(func.now())


def _uses_server_clock(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _aware(value: datetime) -> datetime:
    return value.astimezone(UTC)


def clock(connection: Connection) -> datetime:
    """Return the current time by the database's clock.

    Several desktops share one PostgreSQL server, and their own clocks may
    disagree by more than a lease; the server's clock is the one they share.
    """
    if _uses_server_clock(connection):
        value = connection.scalar(_NOW)
        assert isinstance(value, datetime)
        return _aware(value)
    return datetime.now(UTC)


def now_in(session: Session) -> datetime:
    """Return the current time by the database's clock, in a session."""
    return clock(session.connection())


def _set_status(session: Session, packet: Packet, status: str, at: datetime) -> None:
    packet.status = status
    packet.updated_at = at
    session.execute(
        update(_CLIENTS)
        .where(_CLIENTS.c.id == packet.client_id)
        .values(packet_status=status)
    )


# -- enqueue -----------------------------------------------------------------


def enqueue(
    db: Database,
    requests: list[tuple[int, str]],
    config: QueueConfig = QueueConfig(),
) -> list[int]:
    """Queue a packet of each (client id, packet type); return the job ids.

    A packet that already has a queued or running job keeps it: its id is
    returned instead of a second job. The whole batch is one transaction of
    a few set-wise statements, so queueing 1,000 packets takes moments.
    """
    wanted = list(dict.fromkeys(requests))
    with db.write() as session:
        at = now_in(session)
        packets = _packets_for(session, wanted)
        active = _active_jobs(session, [p.id for p in packets.values()])
        fresh = [
            _new_job(packets[r], config, at)
            for r in wanted
            if packets[r].id not in active
        ]
        session.add_all(fresh)
        for job in fresh:
            _reset_packet(packets[(job.client_id, job.packet_type)], at)
        session.flush()
        _mark_clients(session, {job.client_id for job in fresh}, JobStatus.QUEUED)
        active.update({job.packet_id: job.id for job in fresh})
        return [active[packets[r].id] for r in requests]


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _packets_for(
    session: Session, wanted: list[tuple[int, str]]
) -> dict[tuple[int, str], Packet]:
    """Return the packet row of each request, creating the missing ones."""
    from packetstudio.store.models import Packet

    packets: dict[tuple[int, str], Packet] = {}
    for chunk in _chunks(sorted({c for c, _ in wanted})):
        for packet in session.scalars(
            select(Packet).where(Packet.client_id.in_(chunk))
        ):
            packets[(packet.client_id, packet.packet_type)] = packet
    missing = [
        Packet(client_id=c, packet_type=t, attempts=0)
        for c, t in wanted
        if (c, t) not in packets
    ]
    session.add_all(missing)
    session.flush()
    packets.update({(p.client_id, p.packet_type): p for p in missing})
    return packets


def _active_jobs(session: Session, packet_ids: list[int]) -> dict[int, int]:
    """Return packet id -> id of its queued or running job."""
    active: dict[int, int] = {}
    for chunk in _chunks(packet_ids):
        rows = session.execute(
            select(_JOBS.c.packet_id, _JOBS.c.id).where(
                _JOBS.c.packet_id.in_(chunk), _JOBS.c.status.in_(ACTIVE)
            )
        )
        active.update({packet_id: job_id for packet_id, job_id in rows})
    return active


def _new_job(packet: Packet, config: QueueConfig, at: datetime) -> Job:
    from packetstudio.store.models import Job

    return Job(
        packet_id=packet.id,
        client_id=packet.client_id,
        packet_type=packet.packet_type,
        status=JobStatus.QUEUED,
        attempts=0,
        max_attempts=config.max_attempts,
        interruptions=0,
        run_after=at,
        errors=[],
        created_at=at,
        updated_at=at,
    )


def _reset_packet(packet: Packet, at: datetime) -> None:
    packet.status = JobStatus.QUEUED
    packet.error_message = None
    packet.error_kind = None
    packet.attempts = 0
    packet.updated_at = at


def _mark_clients(session: Session, client_ids: set[int], status: str) -> None:
    for chunk in _chunks(sorted(client_ids)):
        session.execute(
            update(_CLIENTS)
            .where(_CLIENTS.c.id.in_(chunk))
            .values(packet_status=status)
        )


# -- claim, renew, finish, fail ---------------------------------------------


# On PostgreSQL the statements read the time from the server, now(): every
# desktop shares its clock, and asking for it separately would cost claim and
# finish a round trip each. SQLite, on one computer, takes the time bound in.
_LOCAL_NOW: ColumnElement[datetime] = bindparam("now")
_SERVER_NOW: ColumnElement[datetime] = func.now()


def _next_due(now: ColumnElement[datetime]) -> Select[Any]:
    """The next due job: a queued one whose time has come, or a running one
    whose lease ran out. Locked, and skipped by other claims, until the claim
    commits. Its ``now`` column is the time the claim was made."""
    return (
        select(
            _JOBS.c.id,
            _JOBS.c.packet_id,
            _JOBS.c.client_id,
            _JOBS.c.packet_type,
            _JOBS.c.status,
            _JOBS.c.attempts,
            now.label("now"),
        )
        .where(
            or_(
                and_(_JOBS.c.status == JobStatus.QUEUED, _JOBS.c.run_after <= now),
                and_(
                    _JOBS.c.status == JobStatus.RUNNING,
                    _JOBS.c.lease_expires_at < now,
                ),
            )
        )
        .order_by(_JOBS.c.run_after, _JOBS.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


_START_JOB = (
    update(_JOBS)
    .where(_JOBS.c.id == bindparam("job_id"))
    .values(
        status=JobStatus.RUNNING,
        attempts=bindparam("attempts"),
        leased_by=bindparam("worker_id"),
        lease_expires_at=bindparam("lease_until"),
        started_at=bindparam("now"),
        updated_at=bindparam("now"),
    )
)
_START_PACKET = (
    update(_PACKETS)
    .where(_PACKETS.c.id == bindparam("packet_id"))
    .values(
        status=JobStatus.RUNNING,
        attempts=bindparam("attempts"),
        updated_at=bindparam("now"),
    )
)


def _finish_job(now: ColumnElement[datetime]) -> Update:
    """Mark a job ready; only the worker holding its lease may, and no row
    changed means LeaseLost."""
    return (
        update(_JOBS)
        .where(
            _JOBS.c.id == bindparam("job_id"),
            _JOBS.c.status == JobStatus.RUNNING,
            _JOBS.c.leased_by == bindparam("worker_id"),
        )
        .values(
            status=JobStatus.READY,
            finished_at=now,
            updated_at=now,
            leased_by=None,
            lease_expires_at=None,
        )
    )


def _finish_packet(now: ColumnElement[datetime]) -> Update:
    return (
        update(_PACKETS)
        .where(_PACKETS.c.id == bindparam("packet_id"))
        .values(
            status=JobStatus.READY,
            content=bindparam("content"),
            pdf=bindparam("pdf"),
            page_count=bindparam("page_count"),
            intake_version=bindparam("intake_version"),
            generator_version=bindparam("generator_version"),
            template_version=bindparam("template_version"),
            error_message=None,
            error_kind=None,
            ready_at=now,
            updated_at=now,
        )
    )


# Built once, for each clock: keyed by whether the server's clock is used.
_NEXT_DUE = {False: _next_due(_LOCAL_NOW), True: _next_due(_SERVER_NOW)}
_FINISH_JOB = {False: _finish_job(_LOCAL_NOW), True: _finish_job(_SERVER_NOW)}
_FINISH_PACKET = {
    False: _finish_packet(_LOCAL_NOW),
    True: _finish_packet(_SERVER_NOW),
}
_CLIENT_STATUS = (
    update(_CLIENTS)
    .where(_CLIENTS.c.id == bindparam("client_id"))
    .values(packet_status=bindparam("status"))
)


def claim(
    db: Database, worker_id: str, config: QueueConfig = QueueConfig()
) -> ClaimedJob | None:
    """Take the next due job under a lease, or return None if none is due.

    Queued jobs whose ``run_after`` has come are taken oldest first; a running
    job whose lease has expired is taken back from its dead worker.
    """
    with db.writing() as connection:
        server_clock = _uses_server_clock(connection)
        local = {} if server_clock else {"now": datetime.now(UTC)}
        due = connection.execute(_NEXT_DUE[server_clock], local).first()
        if due is None:
            return None
        at = _aware(due.now) if server_clock else local["now"]
        attempts = due.attempts + 1
        if due.status == JobStatus.RUNNING:
            if _reclaim_interrupted(connection, due.id, at):
                return None
            attempts = due.attempts  # the interrupted attempt is carried on

        connection.execute(
            _START_JOB,
            {
                "job_id": due.id,
                "attempts": attempts,
                "worker_id": worker_id,
                "lease_until": at + timedelta(seconds=config.lease_s),
                "now": at,
            },
        )
        connection.execute(
            _START_PACKET, {"packet_id": due.packet_id, "attempts": attempts, "now": at}
        )
        connection.execute(
            _CLIENT_STATUS, {"client_id": due.client_id, "status": JobStatus.RUNNING}
        )
        log.info("Worker %s claimed job %s (attempt %s)", worker_id, due.id, attempts)
        return ClaimedJob(
            due.id, due.packet_id, due.client_id, due.packet_type, attempts, worker_id
        )


def _reclaim_interrupted(connection: Connection, job_id: int, at: datetime) -> bool:
    """Record that the job's worker died; return True if the job now fails.

    Through the ORM, in the claim's transaction: rare, and it changes the
    job, its packet and its client together.
    """
    from sqlalchemy.orm import Session

    with Session(bind=connection) as session:
        return _reclaim(session, job_id, at)


def _reclaim(session: Session, job_id: int, at: datetime) -> bool:
    from packetstudio.store.models import Job, Packet

    job = session.get(Job, job_id)
    assert job is not None
    job.interruptions += 1
    message = (
        "The computer or program making this packet stopped before it finished; "
        "it was started again."
    )
    job.errors = [
        *job.errors,
        _error_entry(job, "interrupted", message, at, job.leased_by),
    ]
    log.warning("Job %s: lease of %s expired; taking it back", job.id, job.leased_by)
    if job.interruptions < MAX_INTERRUPTIONS:
        session.flush()  # before the claim's own statements change the row
        return False
    packet = session.get(Packet, job.packet_id)
    assert packet is not None  # jobs cascade with their packet
    text = (
        f"The program stopped {job.interruptions} times while making this packet. "
        "Check the log, then retry it."
    )
    _end_failed(session, job, packet, "interrupted", text, at)
    session.flush()
    return True


def _error_entry(
    job: Job, kind: str, message: str, at: datetime, worker: str | None
) -> dict[str, Any]:
    return {
        "attempt": job.attempts,
        "kind": kind,
        "message": message,
        "at": at.isoformat(),
        "worker": worker,
    }


def renew(db: Database, job: ClaimedJob, config: QueueConfig = QueueConfig()) -> bool:
    """Extend the lease on ``job``; return False if the worker no longer holds it."""
    with db.writing() as connection:
        at = clock(connection)
        result = connection.execute(
            update(_JOBS)
            .where(
                _JOBS.c.id == job.id,
                _JOBS.c.status == JobStatus.RUNNING,
                _JOBS.c.leased_by == job.worker_id,
            )
            .values(lease_expires_at=at + timedelta(seconds=config.lease_s))
        )
        return bool(result.rowcount)


def _held(session: Session, job: ClaimedJob) -> tuple[Job, Packet]:
    from packetstudio.store.models import Job, Packet

    row = session.scalars(select(Job).where(Job.id == job.id).with_for_update()).first()
    if row is None or row.status != JobStatus.RUNNING or row.leased_by != job.worker_id:
        raise LeaseLost(f"job {job.id} is no longer held by {job.worker_id}")
    packet = session.get(Packet, row.packet_id)
    assert packet is not None
    return row, packet


def finish(db: Database, job: ClaimedJob, result: PacketResult) -> None:
    """Store the packet's result and mark job and packet ready.

    Raises:
        LeaseLost: the worker no longer holds the job; nothing was stored.
    """
    with db.writing() as connection:
        server_clock = _uses_server_clock(connection)
        local = {} if server_clock else {"now": datetime.now(UTC)}
        held = connection.execute(
            _FINISH_JOB[server_clock],
            {"job_id": job.id, "worker_id": job.worker_id, **local},
        )
        if not held.rowcount:
            # Leaving the block with an error rolls the transaction back.
            raise LeaseLost(f"job {job.id} is no longer held by {job.worker_id}")
        connection.execute(
            _FINISH_PACKET[server_clock],
            {
                "packet_id": job.packet_id,
                "content": result.content,
                "pdf": result.pdf,
                "page_count": result.page_count,
                "intake_version": result.intake_version,
                "generator_version": result.generator_version,
                "template_version": result.template_version,
                **local,
            },
        )
        connection.execute(
            _CLIENT_STATUS, {"client_id": job.client_id, "status": JobStatus.READY}
        )
    log.info(
        "Job %s ready: %s packet for client %s", job.id, job.packet_type, job.client_id
    )


def fail(
    db: Database,
    job: ClaimedJob,
    error: JobError,
    config: QueueConfig = QueueConfig(),
    rng: random.Random | None = None,
) -> JobStatus:
    """Record a failed attempt; queue a retry after a backoff, or fail the job.

    Returns the job's new status (queued for a retry, or failed).

    Raises:
        LeaseLost: the worker no longer holds the job; nothing was recorded.
    """
    with db.write() as session:
        at = now_in(session)
        row, packet = _held(session, job)
        row.errors = [
            *row.errors,
            _error_entry(row, error.kind, error.message, at, job.worker_id),
        ]
        row.leased_by = None
        row.lease_expires_at = None
        if error.permanent or row.attempts >= row.max_attempts:
            _end_failed(session, row, packet, error.kind, error.message, at)
            return JobStatus.FAILED
        delay = config.backoff(row.attempts, rng or random.Random())
        row.status = JobStatus.QUEUED
        row.run_after = at + timedelta(seconds=delay)
        row.last_error_kind = error.kind
        row.last_error_message = error.message
        row.updated_at = at
        _set_status(session, packet, JobStatus.QUEUED, at)
    log.warning(
        "Job %s attempt %s failed (%s); retrying in %.1f s",
        job.id,
        job.attempt,
        error.kind,
        delay,
    )
    return JobStatus.QUEUED


def _end_failed(
    session: Session, job: Job, packet: Packet, kind: str, message: str, at: datetime
) -> None:
    job.status = JobStatus.FAILED
    job.last_error_kind = kind
    job.last_error_message = message
    job.finished_at = at
    job.updated_at = at
    job.leased_by = None
    job.lease_expires_at = None
    packet.error_kind = kind
    packet.error_message = message
    _set_status(session, packet, JobStatus.FAILED, at)
    log.error("Job %s failed (%s) after %s attempts", job.id, kind, job.attempts)


def release(db: Database, worker_id: str) -> int:
    """Give back every job ``worker_id`` holds, unstarted; return how many.

    Called when a worker shuts down with jobs still running: they go back to
    the queue at once, and the interrupted attempt does not count.
    """
    with db.writing() as connection:
        at = clock(connection)
        held = connection.execute(
            select(_JOBS.c.id, _JOBS.c.packet_id, _JOBS.c.client_id).where(
                _JOBS.c.status == JobStatus.RUNNING, _JOBS.c.leased_by == worker_id
            )
        ).all()
        if not held:
            return 0
        unstarted = case((_JOBS.c.attempts > 0, _JOBS.c.attempts - 1), else_=0)
        connection.execute(
            update(_JOBS)
            .where(_JOBS.c.id.in_([job.id for job in held]))
            .values(
                status=JobStatus.QUEUED,
                attempts=unstarted,
                leased_by=None,
                lease_expires_at=None,
                run_after=at,
                updated_at=at,
            )
        )
        connection.execute(
            update(_PACKETS)
            .where(_PACKETS.c.id.in_([job.packet_id for job in held]))
            .values(status=JobStatus.QUEUED, updated_at=at)
        )
        connection.execute(
            update(_CLIENTS)
            .where(_CLIENTS.c.id.in_({job.client_id for job in held}))
            .values(packet_status=JobStatus.QUEUED)
        )
        return len(held)


# -- by hand -----------------------------------------------------------------


def cancel(db: Database, job_id: int) -> bool:
    """Cancel a queued or running job; return False if it had already finished.

    A running job's worker finds out when it next renews or finishes, and its
    result is discarded.
    """
    from packetstudio.store.models import Job, Packet

    with db.write() as session:
        job = session.get(Job, job_id)
        if job is None or job.status not in ACTIVE:
            return False
        at = now_in(session)
        job.status = JobStatus.CANCELLED
        job.cancelled_at = at
        job.finished_at = at
        job.updated_at = at
        job.leased_by = None
        job.lease_expires_at = None
        packet = session.get(Packet, job.packet_id)
        assert packet is not None
        _set_status(session, packet, JobStatus.CANCELLED, at)
    log.info("Job %s cancelled", job_id)
    return True


def retry(db: Database, job_ids: list[int] | None = None) -> int:
    """Queue failed jobs again with fresh attempts; all failed jobs if no ids.

    Their earlier errors are kept. Returns how many were queued.
    """
    from packetstudio.store.models import Job, Packet

    with db.write() as session:
        at = now_in(session)
        query = select(Job).where(Job.status == JobStatus.FAILED)
        if job_ids is not None:
            query = query.where(Job.id.in_(job_ids))
        jobs = session.scalars(query).all()
        for job in jobs:
            job.status = JobStatus.QUEUED
            job.attempts = 0
            job.interruptions = 0
            job.run_after = at
            job.finished_at = None
            job.updated_at = at
            packet = session.get(Packet, job.packet_id)
            assert packet is not None
            packet.error_kind = None
            packet.error_message = None
            _set_status(session, packet, JobStatus.QUEUED, at)
        return len(jobs)


def cleanup(db: Database, older_than: timedelta) -> int:
    """Delete finished job records older than ``older_than``; packets stay."""
    with db.writing() as connection:
        cutoff = clock(connection) - older_than
        result = connection.execute(
            delete(_JOBS).where(
                _JOBS.c.status.in_(FINISHED), _JOBS.c.finished_at < cutoff
            )
        )
        return int(result.rowcount)


# -- reading -----------------------------------------------------------------


def stats(db: Database) -> QueueStats:
    """Return counts per state, and throughput over the last hour."""
    with db.reading() as connection:
        at = clock(connection)
        counts = {
            JobStatus(status): count
            for status, count in connection.execute(
                select(_JOBS.c.status, func.count()).group_by(_JOBS.c.status)
            )
        }
        hour_ago = at - timedelta(hours=1)
        finished = connection.execute(
            select(_JOBS.c.started_at, _JOBS.c.finished_at).where(
                _JOBS.c.status == JobStatus.READY, _JOBS.c.finished_at >= hour_ago
            )
        ).all()
        oldest = connection.scalar(
            select(func.min(_JOBS.c.created_at)).where(
                _JOBS.c.status == JobStatus.QUEUED
            )
        )
    durations = [
        (end - start).total_seconds() for start, end in finished if start and end
    ]
    began = min((start or end for start, end in finished), default=at)
    minutes = max(1.0, (at - max(began, hour_ago)).total_seconds() / 60)
    return QueueStats(
        counts=counts,
        finished_last_hour=len(finished),
        per_minute=len(finished) / minutes,
        mean_duration_s=sum(durations) / len(durations) if durations else None,
        oldest_waiting_since=oldest,
    )


def pending(db: Database) -> tuple[int, datetime | None]:
    """Return how many jobs are queued or running, and when the next one is due.

    The time is the earliest moment any of them can be claimed: a queued
    job's ``run_after`` or a running job's lease expiry.
    """
    with db.reading() as connection:
        rows = connection.execute(
            select(_JOBS.c.status, _JOBS.c.run_after, _JOBS.c.lease_expires_at).where(
                _JOBS.c.status.in_(ACTIVE)
            )
        ).all()
    due = [
        run_after if status == JobStatus.QUEUED else lease
        for status, run_after, lease in rows
    ]
    known = [d for d in due if d is not None]
    return len(rows), min(known) if known else None


# A JobRecord's columns; the client's name comes from the clients table.
_RECORD_COLUMNS = (
    "id",
    "client_id",
    "packet_id",
    "packet_type",
    "status",
    "attempts",
    "max_attempts",
    "run_after",
    "leased_by",
    "last_error_kind",
    "last_error_message",
    "errors",
    "created_at",
    "started_at",
    "finished_at",
)
_RECORDS = select(
    *(_JOBS.c[name] for name in _RECORD_COLUMNS),
    _CLIENTS.c.full_name.label("client_name"),
).join(_CLIENTS, _CLIENTS.c.id == _JOBS.c.client_id)


def recent(db: Database, limit: int = 50) -> list[JobRecord]:
    """Return the most recently changed jobs, newest first."""
    statement = _RECORDS.order_by(_JOBS.c.updated_at.desc(), _JOBS.c.id.desc())
    with db.reading() as connection:
        rows = connection.execute(statement.limit(limit)).all()
    return [_record(row._asdict()) for row in rows]


def get(db: Database, job_id: int) -> JobRecord | None:
    with db.reading() as connection:
        row = connection.execute(_RECORDS.where(_JOBS.c.id == job_id)).first()
    return None if row is None else _record(row._asdict())


def _record(values: dict[str, Any]) -> JobRecord:
    status, errors = JobStatus(values["status"]), list(values["errors"])
    return JobRecord(**values | {"status": status, "errors": errors})
