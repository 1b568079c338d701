"""The GUI's queue runner: jobs on a QThreadPool, results as signals."""

from __future__ import annotations

from typing import Any

from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import JobStatus, QueueConfig
from packetstudio.store import Database
from packetstudio.store.clients import add_client
from packetstudio.ui.runner import QueueRunner
from tests.conftest import example

FAST = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=10)


def test_queued_jobs_run_on_the_pool_and_report_through_signals(
    qtbot: Any, sqlite_db: Database
) -> None:
    general = add_client(sqlite_db, parse_intake(example("general")))
    youth = add_client(sqlite_db, parse_intake(example("youth")))
    ids = jobs.enqueue(
        sqlite_db, [(general, "nutrition"), (general, "workout"), (youth, "workout")]
    )
    runner = QueueRunner(sqlite_db, threads=2, config=FAST, poll_ms=50)
    started: list[tuple[int, int, str, int]] = []
    finished: dict[int, str] = {}
    runner.job_started.connect(lambda *args: started.append(args))
    runner.job_finished.connect(
        lambda job_id, status: finished.update({job_id: status})
    )

    runner.start()
    qtbot.waitUntil(lambda: len(finished) == 3, timeout=30_000)
    assert runner.stop()

    assert sorted(finished) == ids
    assert finished[ids[0]] == finished[ids[1]] == "ready"
    assert finished[ids[2]] == "failed", "a workout packet refuses a 12-year-old"
    assert sorted(s[0] for s in started) == ids
    assert {s[3] for s in started} == {1}
    assert jobs.stats(sqlite_db).counts == {JobStatus.READY: 2, JobStatus.FAILED: 1}


def test_stopping_the_runner_leaves_no_job_running(
    qtbot: Any, sqlite_db: Database
) -> None:
    client = add_client(sqlite_db, parse_intake(example("general")))
    jobs.enqueue(sqlite_db, [(client, "nutrition"), (client, "workout")])
    runner = QueueRunner(sqlite_db, threads=1, config=FAST, poll_ms=50)
    with qtbot.waitSignal(runner.job_started, timeout=10_000):
        runner.start()
    runner.stop()
    assert JobStatus.RUNNING not in jobs.stats(sqlite_db).counts
