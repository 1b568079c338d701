"""The headless worker: real jobs through the real pipeline, and failing ones."""

from __future__ import annotations

import errno
import itertools
import subprocess
import sys
import threading
import time
from datetime import datetime
from typing import Any

import pytest

from packetstudio import pipeline
from packetstudio.generators import NotApplicable
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.errors import classify
from packetstudio.queue.jobs import ClaimedJob, JobStatus, QueueConfig
from packetstudio.queue.plan import PlanError, plan_packets
from packetstudio.queue.worker import Worker
from packetstudio.store import Database
from packetstudio.store.clients import add_client
from tests.conftest import example

FAST = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=5)


def failing_first(times: int, exc: Exception) -> tuple[Any, list[datetime]]:
    """A process step that raises ``exc`` on the first ``times`` attempts."""
    attempts: list[datetime] = []
    lock = threading.Lock()

    def process(db: Database, job: ClaimedJob, config: QueueConfig) -> JobStatus:
        with lock:
            attempts.append(datetime.now())
            count = len(attempts)
        if count <= times:
            try:
                raise exc
            except Exception as caught:
                return jobs.fail(db, job, classify(caught), config)
        return pipeline.process(db, job, config)

    return process, attempts


@pytest.fixture
def client_id(db: Database) -> int:
    return add_client(db, parse_intake(example("general")))


def test_the_worker_makes_every_queued_packet_and_stops_when_empty(
    db: Database, client_id: int
) -> None:
    athlete = add_client(db, parse_intake(example("athlete")))
    plan = plan_packets(db, None, "all")
    jobs.enqueue(db, plan.requests)

    stats = Worker(db, threads=2, config=FAST, idle_s=0.05).run(until_empty=True)

    assert stats.ready == len(plan.requests)
    assert jobs.stats(db).counts == {JobStatus.READY: len(plan.requests)}
    assert (athlete, "performance") in plan.requests
    assert (client_id, "performance") not in plan.requests


WORK_THE_QUEUE = """
import sys
from packetstudio.queue.worker import Worker
from packetstudio.store import Database

db = Database.open(sys.argv[1])
stats = Worker(db, threads=2, idle_s=0.05).run(until_empty=True)
assert stats.ready == int(sys.argv[2]), stats
loaded = [m for m in sys.modules if m.startswith("sqlalchemy.orm")]
assert not loaded, loaded
"""


def test_a_worker_claims_and_stores_packets_without_the_orm(
    db_url: str, client_id: int, db: Database
) -> None:
    """Every job's claim, reads and result go through table statements, which
    cost a fraction of the ORM's; it loads only for failures and changes by
    hand."""
    requests = [(client_id, "nutrition"), (client_id, "workout")]
    jobs.enqueue(db, requests)

    done = subprocess.run(
        [sys.executable, "-c", WORK_THE_QUEUE, db_url, str(len(requests))],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert jobs.stats(db).counts == {JobStatus.READY: len(requests)}


def empties_the_queue(worker: Worker, within_s: float) -> bool:
    """Run ``worker`` until the queue is empty; False if it still runs after
    ``within_s`` (its thread is left behind, as a daemon)."""
    running = threading.Thread(
        target=worker.run, kwargs={"until_empty": True}, daemon=True
    )
    running.start()
    running.join(within_s)
    return not running.is_alive()


def test_threads_waiting_for_more_work_see_the_last_job_end_at_once(
    db: Database, client_id: int
) -> None:
    """With the queue empty, a thread that was waiting does not wait out its
    idle time, or the leases of the jobs still running (ten minutes each
    here), before the worker can stop."""
    jobs.enqueue(db, [(client_id, "nutrition"), (client_id, "workout")])
    long_leases = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=600)
    worker = Worker(db, threads=3, config=long_leases, idle_s=600)

    assert empties_the_queue(worker, within_s=120)
    assert worker.stats.ready == 2


def test_a_job_ending_while_a_thread_looks_at_the_queue_still_wakes_it(
    db: Database, client_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last job ends after an idle thread has counted it as running but
    before that thread starts waiting: the thread must not sleep through the
    news for its whole idle time (ten minutes here)."""
    jobs.enqueue(db, [(client_id, "nutrition")])
    counted = threading.Event()
    first_count = threading.Lock()
    real_pending = jobs.pending
    worker: Worker

    def pending(database: Database) -> tuple[int, datetime | None]:
        result = real_pending(database)
        if first_count.acquire(blocking=False):  # the idle thread, the first time
            counted.set()
            # Let the job end, and its thread tell the others, before waiting.
            while worker.stats.ready == 0:
                time.sleep(0.01)
            time.sleep(0.2)
        return result

    def process(database: Database, job: ClaimedJob, config: QueueConfig) -> JobStatus:
        assert counted.wait(30)
        return pipeline.process(database, job, config)

    monkeypatch.setattr(jobs, "pending", pending)
    worker = Worker(
        db, threads=2, config=QueueConfig(lease_s=600), idle_s=600, process=process
    )

    assert empties_the_queue(worker, within_s=60)
    assert worker.stats.ready == 1
    assert jobs.stats(db).counts == {JobStatus.READY: 1}


def test_transient_failures_succeed_within_three_attempts_with_growing_delays(
    db: Database, client_id: int
) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    process, attempts = failing_first(2, OSError(errno.EIO, "I/O error"))
    config = QueueConfig(backoff_s=0.2, jitter=0.0, lease_s=5)

    Worker(db, config=config, idle_s=0.02, process=process).run(until_empty=True)

    record = jobs.get(db, job_id)
    assert record is not None and record.status is JobStatus.READY
    assert record.attempts == 3
    assert [e["kind"] for e in record.errors] == ["io", "io"]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.2
    assert gaps[1] >= 0.4
    assert gaps[1] > gaps[0]


def test_a_permanent_failure_fails_after_one_attempt(
    db: Database, client_id: int
) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    refusal = NotApplicable("Youth packets are for ages 7 to 17; this client is 36.")
    process, attempts = failing_first(5, refusal)

    Worker(db, config=FAST, idle_s=0.02, process=process).run(until_empty=True)

    record = jobs.get(db, job_id)
    assert record is not None and record.status is JobStatus.FAILED
    assert len(attempts) == 1
    assert record.last_error_message == str(refusal)


def test_a_job_failing_three_times_ends_failed_with_each_error(
    db: Database, client_id: int
) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    process, attempts = failing_first(5, OSError(errno.ENOSPC, "No space left"))

    Worker(db, config=FAST, idle_s=0.02, process=process).run(until_empty=True)

    record = jobs.get(db, job_id)
    assert record is not None and record.status is JobStatus.FAILED
    assert len(attempts) == 3
    assert [e["kind"] for e in record.errors] == ["disk_full"] * 3
    assert "disk is full" in (record.last_error_message or "")


def test_a_packet_type_that_does_not_apply_fails_with_its_reason(
    db: Database, client_id: int
) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "youth")])
    Worker(db, config=FAST, idle_s=0.02).run(until_empty=True)
    record = jobs.get(db, job_id)
    assert record is not None and record.status is JobStatus.FAILED
    assert record.last_error_kind == "not_applicable"
    assert "ages 7 to 17" in (record.last_error_message or "")
    assert record.attempts == 1


def test_planning_all_types_follows_who_each_packet_is_for(db: Database) -> None:
    youth = add_client(db, parse_intake(example("youth")))
    general = add_client(db, parse_intake(example("general")))
    plan = plan_packets(db, None, "all")
    assert sorted(t for c, t in plan.requests if c == youth) == ["nutrition", "youth"]
    assert sorted(t for c, t in plan.requests if c == general) == [
        "nutrition",
        "workout",
    ]


def test_planning_a_named_type_that_does_not_fit_one_client_is_refused(
    db: Database, client_id: int
) -> None:
    with pytest.raises(PlanError, match="Youth packets are for ages 7 to 17"):
        plan_packets(db, [client_id], "youth")
    with pytest.raises(PlanError, match="No client has id 999"):
        plan_packets(db, [999], "nutrition")


def test_stopping_the_worker_leaves_nothing_running(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition"), (client_id, "workout")])
    started = threading.Event()
    release = threading.Event()

    def slow(db: Database, job: ClaimedJob, config: QueueConfig) -> JobStatus:
        started.set()
        release.wait(10)
        return pipeline.process(db, job, config)

    worker = Worker(db, config=FAST, idle_s=0.02, shutdown_s=0.2, process=slow)
    runner = threading.Thread(target=worker.run)
    runner.start()
    assert started.wait(10)
    worker.stop()
    runner.join(10)
    release.set()

    counts = jobs.stats(db).counts
    assert JobStatus.RUNNING not in counts
    assert counts.get(JobStatus.QUEUED, 0) + counts.get(JobStatus.READY, 0) == 2
    # The job left behind finds its lease gone; let it end before the
    # database closes.
    for thread in threading.enumerate():
        if thread.name.startswith("worker-"):
            thread.join(10)
