"""Crash recovery: workers killed mid-batch, and several workers at once.

These run ``packetstudio worker`` as real processes and kill them with
SIGKILL, as a power cut or a crash would.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import JobStatus
from packetstudio.queue.plan import plan_packets
from packetstudio.store import Database
from packetstudio.store.clients import add_clients
from packetstudio.store.models import Packet

pytestmark = pytest.mark.slow

BATCH = 300
READY_LINE = re.compile(r"Job (\d+) ready")
CLAIM_LINE = re.compile(r"claimed job (\d+)")


def fill_queue(db: Database, count: int = BATCH) -> list[int]:
    """Queue ``count`` packets for demo clients; return the job ids."""
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(count, seed=11)])
    requests = plan_packets(db, None, "all").requests[:count]
    assert len(requests) == count
    return jobs.enqueue(db, requests)


def start_worker(url: str, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = os.environ | {"PACKETSTUDIO_LEASE_S": "2", "PACKETSTUDIO_BACKOFF_S": "0.1"}
    with log.open("ab") as stderr:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-m", "packetstudio", "--db", url, "-v", "worker", *extra],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
        )


def wait_for_ready(db: Database, at_least: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if jobs.stats(db).counts.get(JobStatus.READY, 0) >= at_least:
            return
        time.sleep(0.05)
    pytest.fail(f"fewer than {at_least} packets ready after {timeout} s")


def finish(process: subprocess.Popen[bytes], timeout: float = 300) -> None:
    assert process.wait(timeout) == 0


def assert_every_packet_ready_once(db: Database, job_ids: list[int], logs: str) -> None:
    assert jobs.stats(db).counts == {JobStatus.READY: len(job_ids)}
    with db.read() as session:
        packets = session.scalars(select(Packet)).all()
        assert len(packets) == len(job_ids)
        assert all(p.status == "ready" and p.content for p in packets)
    finished = Counter(int(n) for n in READY_LINE.findall(logs))
    assert set(finished) == set(job_ids), "every job finished"
    assert max(finished.values()) == 1, "no job's result was stored twice"


def test_a_worker_killed_mid_batch_loses_nothing_on_restart(
    sqlite_url: str, tmp_path: Path
) -> None:
    db = Database.open(sqlite_url)
    job_ids = fill_queue(db)
    log = tmp_path / "worker.log"

    first = start_worker(sqlite_url, log, "--threads", "2")
    wait_for_ready(db, at_least=40)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert jobs.stats(db).counts.get(JobStatus.READY, 0) < BATCH, "killed mid-batch"

    finish(start_worker(sqlite_url, log, "--until-empty"))

    assert_every_packet_ready_once(db, job_ids, log.read_text())
    with db.read() as session:
        assert session.connection().exec_driver_sql(
            "PRAGMA integrity_check"
        ).scalar() == ("ok")
    db.close()


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("pg", marks=pytest.mark.postgres)]
)
def test_two_workers_at_once_never_run_a_job_twice(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = str(
        request.getfixturevalue("sqlite_url" if backend == "sqlite" else "postgres_url")
    )
    db = Database.open(url)
    job_ids = fill_queue(db)
    logs = [tmp_path / "a.log", tmp_path / "b.log"]

    workers = [
        start_worker(url, path, "--until-empty", "--threads", "2") for path in logs
    ]
    for worker in workers:
        finish(worker)

    text = "".join(path.read_text() for path in logs)
    claims = Counter(int(n) for n in CLAIM_LINE.findall(text))
    assert set(claims) == set(job_ids), "no job lost"
    assert max(claims.values()) == 1, "no job claimed twice"
    per_worker = [len(CLAIM_LINE.findall(path.read_text())) for path in logs]
    assert min(per_worker) > 0, "both workers took part"
    assert_every_packet_ready_once(db, job_ids, text)
    db.close()
