"""Running queued jobs on a QThreadPool, with results as signals.

The GUI thread only starts runnables and receives signals; each runnable does
its own database work in its pool thread, through the same
:func:`~packetstudio.queue.worker.work_one` the headless worker uses.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from packetstudio.queue import jobs
from packetstudio.queue.jobs import ClaimedJob, QueueConfig
from packetstudio.queue.worker import (
    LeaseKeeper,
    Process,
    new_worker_id,
    run_pipeline,
    work_one,
)
from packetstudio.store.database import Database

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries a runnable's news to the GUI thread (queued connections).

    Signals:
        claimed(job_id, client_id, packet_type, attempt): a job started.
        finished(job_id, status): a job ended as ready, failed, queued
            (to be retried) or cancelled.
        slot_free(found_work): a runnable ended; ``found_work`` is False
            when there was nothing due to claim.
        crashed(message): claiming or recording failed unexpectedly.
    """

    claimed = Signal(int, int, str, int)
    finished = Signal(int, str)
    slot_free = Signal(bool)
    crashed = Signal(str)


class _JobRunnable(QRunnable):
    """Claims one job and carries it out, in a pool thread."""

    def __init__(self, runner: QueueRunner) -> None:
        super().__init__()
        self._db = runner.db
        self._worker_id = runner.worker_id
        self._config = runner.config
        self._keeper = runner.keeper
        self._relay = runner.relay
        self._process = runner.process

    def run(self) -> None:
        found = False
        try:
            outcome = work_one(
                self._db,
                self._worker_id,
                self._config,
                self._keeper,
                self._process,
                on_claimed=self._announce,
            )
            if outcome is not None:
                found = True
                job, status = outcome
                self._relay.finished.emit(job.id, status.value)
        except Exception as exc:  # every failure must reach the GUI as a signal
            log.warning("A queue runnable failed", exc_info=True)
            self._relay.crashed.emit(str(exc))
        finally:
            self._relay.slot_free.emit(found)

    def _announce(self, job: ClaimedJob) -> None:
        self._relay.claimed.emit(job.id, job.client_id, job.packet_type, job.attempt)


class QueueRunner(QObject):
    """Works through the queue on a thread pool while the app is open.

    Call :meth:`wake` after queueing jobs; a timer also looks for work now
    and then, for jobs queued from other desktops and for retries coming due.

    Signals:
        job_started(job_id, client_id, packet_type, attempt)
        job_finished(job_id, status)
        problem(message): the queue could not be reached; it keeps trying.
    """

    job_started = Signal(int, int, str, int)
    job_finished = Signal(int, str)
    problem = Signal(str)

    def __init__(
        self,
        db: Database,
        *,
        threads: int = 2,
        config: QueueConfig = QueueConfig(),
        poll_ms: int = 2000,
        process: Process = run_pipeline,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.config = config
        self.process = process
        self.worker_id = new_worker_id()
        self.keeper = LeaseKeeper(db, config)
        self.relay = _Relay(self)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._active = 0
        self._stopping = False
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.wake)
        self.relay.claimed.connect(self.job_started)
        self.relay.finished.connect(self.job_finished)
        self.relay.crashed.connect(self.problem)
        self.relay.slot_free.connect(self._on_slot_free)

    @property
    def threads(self) -> int:
        return self.pool.maxThreadCount()

    def set_threads(self, count: int) -> None:
        self.pool.setMaxThreadCount(max(1, count))
        self.wake()

    def start(self) -> None:
        """Start renewing leases and working; idempotent."""
        if not self._timer.isActive():
            self.keeper.start()
            self._timer.start()
        self.wake()

    @Slot()
    def wake(self) -> None:
        """Fill every free thread with a runnable that claims a job."""
        while not self._stopping and self._active < self.pool.maxThreadCount():
            self._active += 1
            self.pool.start(_JobRunnable(self))

    @Slot(bool)
    def _on_slot_free(self, found_work: bool) -> None:
        self._active -= 1
        if found_work:
            self.wake()

    def pause(self, wait_ms: int = 30_000) -> bool:
        """Stop claiming and wait for the running jobs (to restore a backup).

        Returns True if every running job finished within ``wait_ms``.
        """
        self._stopping = True
        self._timer.stop()
        return self.pool.waitForDone(wait_ms)

    def resume(self) -> None:
        """Claim jobs again after :meth:`pause`."""
        self._stopping = False
        self._timer.start()
        self.wake()

    def stop(self, wait_ms: int = 10_000) -> bool:
        """Stop claiming, wait for running jobs, give back any left running.

        Returns True if every running job finished within ``wait_ms``.
        """
        done = self.pause(wait_ms)
        released = jobs.release(self.db, self.worker_id)
        if released:
            log.warning("Gave back %s unfinished jobs to the queue", released)
        self.keeper.stop()
        return done
