"""Working through the queue: the lease keeper and the headless worker.

The GUI's thread pool and ``packetstudio worker`` share :func:`work_one` and
:class:`LeaseKeeper`; only the threads around them differ.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from packetstudio.queue import jobs
from packetstudio.queue.jobs import ClaimedJob, JobStatus, QueueConfig
from packetstudio.store.database import Database, DatabaseError

if TYPE_CHECKING:
    from packetstudio.pipeline import Make

log = logging.getLogger(__name__)

Process = Callable[[Database, ClaimedJob, QueueConfig], JobStatus]


def run_pipeline(
    db: Database,
    job: ClaimedJob,
    config: QueueConfig = QueueConfig(),
    make: Make | None = None,
) -> JobStatus:
    """Carry out ``job`` with :func:`packetstudio.pipeline.process`.

    The pipeline is imported with the first job, so that the app's window
    opens without waiting for it.
    """
    from packetstudio import pipeline

    return pipeline.process(db, job, config, make=make)


def job_threads(packets_at_once: int, render_processes: int) -> int:
    """Return how many threads make ``packets_at_once`` packets at a time.

    Each render process gets a second thread: while one thread waits for its
    packet, the other claims and reads the next job, which the render
    process would otherwise wait for. Measured on 2 cores with one render
    process, a 250-packet batch took 2.6x the time of plain ReportLab
    documents of its pages with one thread, and 1.9-2.1x with two.
    """
    return packets_at_once + render_processes


def new_worker_id() -> str:
    """Return a worker id unique across desktops and restarts."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseKeeper:
    """Renews the leases of the jobs a worker holds, from its own thread.

    Renewal runs about three times per lease, so a job that takes longer than
    one lease is not taken back while its worker is alive.
    """

    def __init__(self, db: Database, config: QueueConfig) -> None:
        self._db = db
        self._config = config
        self._held: dict[int, ClaimedJob] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="lease-keeper", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self._config.lease_s)

    def hold(self, job: ClaimedJob) -> None:
        with self._lock:
            self._held[job.id] = job

    def drop(self, job: ClaimedJob) -> None:
        with self._lock:
            self._held.pop(job.id, None)

    def _run(self) -> None:
        interval = self._config.lease_s / 3
        while not self._stop.wait(interval):
            with self._lock:
                held = list(self._held.values())
            for job in held:
                self._renew(job)

    def _renew(self, job: ClaimedJob) -> None:
        try:
            renewed = jobs.renew(self._db, job, self._config)
            if not renewed:
                # Usually the job has just finished and is about to be
                # dropped; a job really cancelled or taken over is reported
                # when its result is refused (LeaseLost).
                log.debug("Job %s is no longer held; stop renewing it", job.id)
                self.drop(job)
        except Exception as exc:  # a missed renewal is retried next round
            _warn("Could not renew the lease of job %s", exc, job.id)


def _warn(message: str, exc: Exception, *args: object) -> None:
    """Log a handled failure: the database's in plain words, a bug with details."""
    if isinstance(exc, DatabaseError):
        log.warning(f"{message}: %s", *args, exc)
    else:
        log.warning(message, *args, exc_info=exc)


def work_one(
    db: Database,
    worker_id: str,
    config: QueueConfig,
    keeper: LeaseKeeper,
    process: Process = run_pipeline,
    on_claimed: Callable[[ClaimedJob], None] | None = None,
) -> tuple[ClaimedJob, JobStatus] | None:
    """Claim the next due job and carry it out; None if no job was due.

    ``on_claimed`` is told of the job as soon as it is claimed, before it runs.
    """
    job = jobs.claim(db, worker_id, config)
    if job is None:
        return None
    if on_claimed is not None:
        on_claimed(job)
    keeper.hold(job)
    try:
        return job, process(db, job, config)
    finally:
        keeper.drop(job)


@dataclass
class WorkerStats:
    ready: int = 0
    failed: int = 0
    retried: int = 0
    lost: int = 0

    @property
    def ended(self) -> int:
        """How many jobs have ended, whatever their status."""
        return self.ready + self.failed + self.retried + self.lost

    def count(self, status: JobStatus) -> None:
        if status is JobStatus.READY:
            self.ready += 1
        elif status is JobStatus.FAILED:
            self.failed += 1
        elif status is JobStatus.QUEUED:
            self.retried += 1
        else:
            self.lost += 1


class Worker:
    """Runs jobs on ``threads`` threads until stopped (or the queue is empty).

    On stop it claims nothing more, lets running jobs finish within
    ``shutdown_s``, and gives back the leases of any still running.
    """

    def __init__(
        self,
        db: Database,
        *,
        threads: int = 1,
        config: QueueConfig = QueueConfig(),
        idle_s: float = 1.0,
        shutdown_s: float = 30.0,
        process: Process = run_pipeline,
    ) -> None:
        self.db = db
        self.worker_id = new_worker_id()
        self.threads = threads
        self.config = config
        self.idle_s = idle_s
        self.shutdown_s = shutdown_s
        self.stats = WorkerStats()
        self._process = process
        self._stop = threading.Event()
        # Guards the stats; notified when a job ends or the worker stops, so
        # that threads waiting for more work look again at once.
        self._changed = threading.Condition()
        self._keeper = LeaseKeeper(db, config)

    def stop(self) -> None:
        """Ask the worker to stop claiming jobs; safe from a signal handler."""
        self._stop.set()
        # Not from a signal handler that interrupted a thread holding it.
        if self._changed.acquire(blocking=False):
            try:
                self._changed.notify_all()
            finally:
                self._changed.release()

    def run(self, *, until_empty: bool = False) -> WorkerStats:
        """Work until :meth:`stop`, or with ``until_empty`` until no job is left.

        "Left" includes jobs running on a worker that died: the worker waits
        out their lease and then runs them itself.
        """
        log.info("Worker %s started with %s threads", self.worker_id, self.threads)
        self._keeper.start()
        pool = [
            threading.Thread(
                target=self._loop,
                args=(until_empty,),
                name=f"worker-{i}",
                daemon=True,  # a job stuck past shutdown_s must not block exit
            )
            for i in range(self.threads)
        ]
        for thread in pool:
            thread.start()
        try:
            while any(t.is_alive() for t in pool) and not self._stop.wait(0.2):
                pass
        except KeyboardInterrupt:
            self.stop()
        self.stop()
        self._shut_down(pool)
        return self.stats

    def _shut_down(self, pool: list[threading.Thread]) -> None:
        deadline = datetime.now(UTC).timestamp() + self.shutdown_s
        for thread in pool:
            thread.join(timeout=max(0.0, deadline - datetime.now(UTC).timestamp()))
        released = jobs.release(self.db, self.worker_id)
        if released:
            log.warning("Gave back %s unfinished jobs to the queue", released)
        self._keeper.stop()
        log.info("Worker %s stopped: %s", self.worker_id, self.stats)

    def _loop(self, until_empty: bool) -> None:
        while not self._stop.is_set():
            try:
                outcome = work_one(
                    self.db, self.worker_id, self.config, self._keeper, self._process
                )
            except Exception as exc:  # the database may be away for a while
                _warn("Could not claim or record a job; trying again", exc)
                self._stop.wait(self.idle_s)
                continue
            if outcome is not None:
                with self._changed:
                    self.stats.count(outcome[1])
                    self._changed.notify_all()
                continue
            if until_empty and not self._wait_for_more():
                return
            if not until_empty:
                self._stop.wait(self.idle_s)

    def _wait_for_more(self) -> bool:
        """Wait until a job may be due; False once no job is queued or running."""
        with self._changed:
            ended = self.stats.ended
        count, next_due = jobs.pending(self.db)
        if count == 0:
            return False
        wait = self.idle_s
        if next_due is not None:
            until_due = (next_due - datetime.now(UTC)).total_seconds()
            wait = min(self.idle_s, max(0.01, until_due))
        with self._changed:
            # A job that ended while the queue was read would notify no one.
            if not self._stop.is_set() and self.stats.ended == ended:
                self._changed.wait(wait)  # or until another thread ends a job
        return True
