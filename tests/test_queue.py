"""The durable queue: enqueue, claim, lease, finish, retry, cancel, stats."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import (
    ClaimedJob,
    JobError,
    JobStatus,
    LeaseLost,
    PacketResult,
    QueueConfig,
)
from packetstudio.store import Database
from packetstudio.store.clients import add_client, delete_client, get_client
from packetstudio.store.models import Job, Packet
from packetstudio.store.packets import packets_for_client
from tests.conftest import example

FAST = QueueConfig(backoff_s=0.01, jitter=0.0, lease_s=30)
TRANSIENT = JobError("io", "The disk hiccuped", permanent=False)
PERMANENT = JobError("not_applicable", "Youth packets are for ages 7 to 17", True)


def result(marker: str = "first") -> PacketResult:
    return PacketResult(
        content={"marker": marker}, intake_version=1, generator_version="test"
    )


@pytest.fixture
def client_id(db: Database) -> int:
    return add_client(db, parse_intake(example("general")))


def job_row(db: Database, job_id: int) -> Job:
    with db.read() as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def packet_row(db: Database, client_id: int, packet_type: str) -> Packet:
    with db.read() as session:
        return session.scalars(
            select(Packet).where(
                Packet.client_id == client_id, Packet.packet_type == packet_type
            )
        ).one()


def expire_lease(db: Database, job_id: int) -> None:
    past = datetime.now(UTC) - timedelta(seconds=5)
    with db.write() as session:
        session.execute(
            update(Job).where(Job.id == job_id).values(lease_expires_at=past)
        )


def make_due(db: Database, job_id: int) -> None:
    past = datetime.now(UTC) - timedelta(seconds=5)
    with db.write() as session:
        session.execute(update(Job).where(Job.id == job_id).values(run_after=past))


# -- enqueue -----------------------------------------------------------------


def test_enqueue_creates_a_queued_job_and_packet(db: Database, client_id: int) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    assert job_row(db, job_id).status == JobStatus.QUEUED
    assert packet_row(db, client_id, "nutrition").status == "queued"
    assert get_client(db, client_id).packet_status == "queued"


def test_enqueueing_a_packet_already_waiting_returns_the_same_job(
    db: Database, client_id: int
) -> None:
    first = jobs.enqueue(db, [(client_id, "workout")])
    again = jobs.enqueue(db, [(client_id, "workout")])
    assert first == again
    assert jobs.stats(db).counts[JobStatus.QUEUED] == 1


# -- claim -------------------------------------------------------------------


def test_claims_take_the_oldest_due_job_and_never_the_same_twice(
    db: Database, client_id: int
) -> None:
    ids = jobs.enqueue(db, [(client_id, "nutrition"), (client_id, "workout")])
    first = jobs.claim(db, "desk-a", FAST)
    second = jobs.claim(db, "desk-b", FAST)
    assert first is not None and second is not None
    assert [first.id, second.id] == ids
    assert first.attempt == 1
    assert jobs.claim(db, "desk-c", FAST) is None
    assert job_row(db, first.id).leased_by == "desk-a"
    assert packet_row(db, client_id, "nutrition").status == "running"


def test_a_job_waiting_for_its_retry_time_is_not_claimed(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition")])
    job = jobs.claim(db, "desk-a", QueueConfig(backoff_s=60, jitter=0))
    assert job is not None
    jobs.fail(db, job, TRANSIENT, QueueConfig(backoff_s=60, jitter=0))
    assert jobs.claim(db, "desk-a", FAST) is None
    make_due(db, job.id)
    assert jobs.claim(db, "desk-a", FAST) is not None


# -- finish and leases -------------------------------------------------------


def test_finishing_stores_the_result_and_marks_the_packet_ready(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition")])
    job = jobs.claim(db, "desk-a", FAST)
    assert job is not None
    jobs.finish(db, job, result())
    packet = packet_row(db, client_id, "nutrition")
    assert (packet.status, packet.content) == ("ready", {"marker": "first"})
    assert job_row(db, job.id).status == JobStatus.READY
    assert job_row(db, job.id).finished_at is not None
    assert get_client(db, client_id).packet_status == "ready"


def test_an_expired_lease_is_claimed_again_and_the_late_worker_cannot_store(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition")])
    dead = jobs.claim(db, "desk-a", FAST)
    assert dead is not None
    expire_lease(db, dead.id)

    taken = jobs.claim(db, "desk-b", FAST)
    assert taken is not None and taken.id == dead.id
    assert taken.attempt == 1, "an interrupted attempt is not the job's fault"
    jobs.finish(db, taken, result("newer"))

    with pytest.raises(LeaseLost):
        jobs.finish(db, dead, result("stale"))
    assert packet_row(db, client_id, "nutrition").content == {"marker": "newer"}
    kinds = [e["kind"] for e in job_row(db, dead.id).errors]
    assert kinds == ["interrupted"]


def test_a_live_lease_is_not_taken(db: Database, client_id: int) -> None:
    jobs.enqueue(db, [(client_id, "nutrition")])
    assert jobs.claim(db, "desk-a", FAST) is not None
    assert jobs.claim(db, "desk-b", FAST) is None


def test_renewing_extends_the_lease_until_the_job_is_cancelled(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition")])
    job = jobs.claim(db, "desk-a", QueueConfig(lease_s=1))
    assert job is not None
    before = job_row(db, job.id).lease_expires_at
    assert jobs.renew(db, job, QueueConfig(lease_s=600))
    after = job_row(db, job.id).lease_expires_at
    assert before is not None and after is not None
    assert after - before > timedelta(seconds=500)

    assert jobs.cancel(db, job.id)
    assert not jobs.renew(db, job, FAST)
    with pytest.raises(LeaseLost):
        jobs.finish(db, job, result())
    assert packet_row(db, client_id, "nutrition").status == "cancelled"


def test_a_worker_that_keeps_dying_on_a_job_fails_it(
    db: Database, client_id: int
) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    for _ in range(jobs.MAX_INTERRUPTIONS):
        assert jobs.claim(db, "desk-a", FAST) is not None
        expire_lease(db, job_id)
    assert jobs.claim(db, "desk-a", FAST) is None
    job = job_row(db, job_id)
    assert job.status == JobStatus.FAILED
    assert job.last_error_kind == "interrupted"


# -- failures and retries ----------------------------------------------------


def test_a_transient_failure_queues_a_retry_with_growing_delays(
    db: Database, client_id: int
) -> None:
    config = QueueConfig(backoff_s=10, jitter=0.0)
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    delays = []
    for attempt in (1, 2):
        job = jobs.claim(db, "desk-a", config)
        assert job is not None and job.attempt == attempt
        failed_at = datetime.now(UTC)
        assert jobs.fail(db, job, TRANSIENT, config) == JobStatus.QUEUED
        delays.append((job_row(db, job_id).run_after - failed_at).total_seconds())
        make_due(db, job_id)
    assert delays[0] == pytest.approx(10, abs=1)
    assert delays[1] == pytest.approx(20, abs=1)


def test_backoff_jitter_stays_within_its_fraction() -> None:
    config = QueueConfig(backoff_s=2, jitter=0.25)
    rng = random.Random(4)
    for attempt, base in ((1, 2), (2, 4), (3, 8)):
        for _ in range(50):
            assert base * 0.75 <= config.backoff(attempt, rng) <= base * 1.25


def test_three_failed_attempts_end_failed_with_every_error_kept(
    db: Database, client_id: int
) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    for attempt in (1, 2, 3):
        job = jobs.claim(db, "desk-a", FAST)
        assert job is not None
        error = JobError("io", f"failure {attempt}", permanent=False)
        status = jobs.fail(db, job, error, FAST)
        make_due(db, job_id)
    assert status == JobStatus.FAILED
    row = job_row(db, job_id)
    assert [e["message"] for e in row.errors] == ["failure 1", "failure 2", "failure 3"]
    assert [e["attempt"] for e in row.errors] == [1, 2, 3]
    packet = packet_row(db, client_id, "nutrition")
    assert (packet.status, packet.error_message) == ("failed", "failure 3")


def test_a_permanent_failure_fails_after_one_attempt_with_its_message(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "youth")])
    job = jobs.claim(db, "desk-a", FAST)
    assert job is not None
    assert jobs.fail(db, job, PERMANENT, FAST) == JobStatus.FAILED
    row = job_row(db, job.id)
    assert row.attempts == 1
    assert row.last_error_message == "Youth packets are for ages 7 to 17"
    assert get_client(db, client_id).packet_status == "failed"


def test_failed_jobs_can_be_retried_by_hand(db: Database, client_id: int) -> None:
    jobs.enqueue(db, [(client_id, "youth")])
    job = jobs.claim(db, "desk-a", FAST)
    assert job is not None
    jobs.fail(db, job, PERMANENT, FAST)

    assert jobs.retry(db) == 1
    row = job_row(db, job.id)
    assert (row.status, row.attempts) == (JobStatus.QUEUED, 0)
    assert len(row.errors) == 1, "the earlier error stays in the history"
    assert packet_row(db, client_id, "youth").error_message is None
    assert jobs.retry(db) == 0


def test_cancelling_a_queued_job_keeps_it_from_running(
    db: Database, client_id: int
) -> None:
    [job_id] = jobs.enqueue(db, [(client_id, "nutrition")])
    assert jobs.cancel(db, job_id)
    assert jobs.claim(db, "desk-a", FAST) is None
    assert not jobs.cancel(db, job_id), "already finished"


def test_releasing_gives_back_running_jobs_without_counting_the_attempt(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition"), (client_id, "workout")])
    assert jobs.claim(db, "desk-a", FAST) is not None
    assert jobs.claim(db, "desk-b", FAST) is not None
    assert jobs.release(db, "desk-a") == 1
    counts = jobs.stats(db).counts
    assert (counts[JobStatus.QUEUED], counts[JobStatus.RUNNING]) == (1, 1)
    again = jobs.claim(db, "desk-c", FAST)
    assert again is not None and again.attempt == 1


def test_releasing_shows_the_packet_queued_again_in_the_client_list(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition")])
    assert jobs.claim(db, "desk-a", FAST) is not None
    assert get_client(db, client_id).packet_status == JobStatus.RUNNING

    jobs.release(db, "desk-a")

    assert get_client(db, client_id).packet_status == JobStatus.QUEUED
    assert packet_row(db, client_id, "nutrition").status == JobStatus.QUEUED


def test_deleting_a_client_removes_their_packets_and_jobs(
    db: Database, client_id: int
) -> None:
    other = add_client(db, parse_intake(example("athlete")))
    jobs.enqueue(db, [(client_id, "nutrition"), (client_id, "workout")])
    [kept] = jobs.enqueue(db, [(other, "nutrition")])

    delete_client(db, client_id)

    assert packets_for_client(db, client_id) == []
    assert jobs.stats(db).counts == {JobStatus.QUEUED: 1}
    assert [record.id for record in jobs.recent(db)] == [kept]


# -- statistics and housekeeping --------------------------------------------


def claim_and(db: Database, action: str) -> ClaimedJob:
    job = jobs.claim(db, "desk-a", FAST)
    assert job is not None
    if action == "finish":
        jobs.finish(db, job, result())
    elif action == "fail":
        jobs.fail(db, job, PERMANENT, FAST)
    return job


def test_stats_count_each_state_and_the_last_hours_throughput(
    db: Database, client_id: int
) -> None:
    other = add_client(db, parse_intake(example("athlete")))
    jobs.enqueue(
        db,
        [
            (client_id, "nutrition"),
            (client_id, "workout"),
            (other, "performance"),
            (other, "nutrition"),
        ],
    )
    claim_and(db, "finish")
    claim_and(db, "fail")
    claim_and(db, "hold")
    stats = jobs.stats(db)
    document: dict[str, Any] = stats.to_json()
    assert {k: document[k] for k in ("queued", "running", "ready", "failed")} == {
        "queued": 1,
        "running": 1,
        "ready": 1,
        "failed": 1,
    }
    assert document["cancelled"] == 0
    assert stats.finished_last_hour == 1
    assert stats.mean_duration_s is not None and stats.mean_duration_s >= 0
    assert stats.oldest_waiting_since is not None


def finished_at_times(db: Database, times: list[tuple[timedelta, timedelta]]) -> None:
    """Finish one job per (started, finished) pair, each that long ago."""
    now = datetime.now(UTC)
    for started_ago, finished_ago in times:
        done = claim_and(db, "finish")
        with db.write() as session:
            session.execute(
                update(Job)
                .where(Job.id == done.id)
                .values(started_at=now - started_ago, finished_at=now - finished_ago)
            )


@pytest.mark.parametrize(
    ("times", "minutes"),
    [
        # A batch still running: its pace since its first job began.
        (
            [(timedelta(minutes=10), timedelta(minutes=9))] * 2
            + [(timedelta(minutes=2), timedelta(minutes=1))] * 2,
            10,
        ),
        # A burst of seconds counts as one minute, not as its seconds.
        ([(timedelta(seconds=3), timedelta(seconds=2))] * 3, 1),
        # A job that began before the hour counts the hour only.
        ([(timedelta(minutes=70), timedelta(minutes=30))], 60),
    ],
)
def test_throughput_is_the_pace_since_the_first_of_the_hours_jobs_began(
    db: Database,
    client_id: int,
    times: list[tuple[timedelta, timedelta]],
    minutes: float,
) -> None:
    other = add_client(db, parse_intake(example("athlete")))
    requests = [
        (client_id, "nutrition"),
        (client_id, "workout"),
        (other, "nutrition"),
        (other, "performance"),
    ]
    jobs.enqueue(db, requests[: len(times)])
    finished_at_times(db, times)

    stats = jobs.stats(db)

    assert stats.finished_last_hour == len(times)
    # The database's clock moves on between writing and reading.
    assert stats.per_minute == pytest.approx(len(times) / minutes, rel=0.01)


def test_cleanup_removes_old_finished_jobs_but_never_packets(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "nutrition"), (client_id, "workout")])
    done = claim_and(db, "finish")
    long_ago = datetime.now(UTC) - timedelta(days=40)
    with db.write() as session:
        session.execute(
            update(Job).where(Job.id == done.id).values(finished_at=long_ago)
        )

    assert jobs.cleanup(db, timedelta(days=30)) == 1
    assert jobs.cleanup(db, timedelta(days=30)) == 0
    assert packet_row(db, client_id, "nutrition").status == "ready"
    assert jobs.stats(db).counts == {JobStatus.QUEUED: 1}


def test_recent_jobs_show_the_client_and_the_error(
    db: Database, client_id: int
) -> None:
    jobs.enqueue(db, [(client_id, "youth")])
    claim_and(db, "fail")
    [record] = jobs.recent(db)
    assert record.client_name == "Maria Lopez"
    assert record.status is JobStatus.FAILED
    assert record.last_error_message == PERMANENT.message
    assert record.duration_s is None or record.duration_s >= 0
