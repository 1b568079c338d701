"""Workers killed at random moments, over and over: every packet ends ready once.

Each round queues a few packets, starts ``packetstudio worker`` as a real
process and kills it with SIGKILL, as a crash or power cut would, at a
moment drawn from a seeded generator: after its n-th claim plus a fraction
of a second, so during a render, a database write or between jobs. A worker
that runs until the queue is empty follows every few rounds (before any job
could be interrupted MAX_INTERRUPTIONS times and fail for it) and at the end.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import MAX_INTERRUPTIONS, JobStatus
from packetstudio.queue.plan import plan_packets
from packetstudio.store import Database
from packetstudio.store.clients import add_clients
from packetstudio.store.database import sqlite_path

pytestmark = pytest.mark.slow

ROUNDS = 20
BATCH = 4
SEED = 20261203
READY_LINE = re.compile(r"Job (\d+) ready")
CLAIM_LINE = re.compile(r"claimed job (\d+)")


def start_worker(url: str, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = os.environ | {"PACKETSTUDIO_LEASE_S": "2", "PACKETSTUDIO_BACKOFF_S": "0.1"}
    command = [sys.executable, "-m", "packetstudio", "--db", url, "-v", "worker"]
    with log.open("ab") as stderr:  # the child keeps its own copy
        return subprocess.Popen(
            [*command, "--processes", "0", *extra],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
        )


def kill_after_claims(
    worker: subprocess.Popen[bytes], log: Path, claims: int, delay: float
) -> None:
    """Kill the worker ``delay`` seconds after its ``claims``-th claim.

    A worker that claims fewer jobs within 20 s is killed anyway.
    """
    deadline = time.monotonic() + 20
    while len(CLAIM_LINE.findall(log.read_text())) < claims:
        if time.monotonic() > deadline or worker.poll() is not None:
            break
        time.sleep(0.01)
    time.sleep(delay)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)


def drain(url: str, log: Path) -> None:
    """Run a worker until no job is queued or running."""
    assert start_worker(url, log, "--until-empty").wait(120) == 0


def test_workers_killed_at_random_moments_leave_every_packet_ready_once(
    sqlite_url: str, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    db = Database.open(sqlite_url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(40, seed=12)])
    requests = plan_packets(db, None, "all").requests
    assert len(requests) >= ROUNDS * BATCH
    job_ids: list[int] = []
    unfinished_at_kill = 0

    for number in range(ROUNDS):
        job_ids += jobs.enqueue(db, requests[number * BATCH : (number + 1) * BATCH])
        log = tmp_path / f"round-{number:02d}.log"
        threads = rng.choice(["1", "2"])
        worker = start_worker(sqlite_url, log, "--threads", threads)
        kill_after_claims(worker, log, rng.randint(1, BATCH), rng.uniform(0, 0.3))
        ready = jobs.stats(db).counts.get(JobStatus.READY, 0)
        unfinished_at_kill += ready < len(job_ids)
        if (number + 1) % (MAX_INTERRUPTIONS - 1) == 0:
            drain(sqlite_url, tmp_path / f"drain-{number:02d}.log")
    drain(sqlite_url, tmp_path / "drain-last.log")

    logs = "".join(p.read_text() for p in sorted(tmp_path.glob("*.log")))
    assert unfinished_at_kill >= ROUNDS // 2, "most kills came mid-batch"
    assert_every_packet_ready_once(db, job_ids, logs)
    db.close()


def assert_every_packet_ready_once(db: Database, job_ids: list[int], logs: str) -> None:
    assert jobs.stats(db).counts == {JobStatus.READY: len(job_ids)}, "none lost"
    path = sqlite_path(db.url)
    assert path is not None
    with sqlite3.connect(path) as connection:
        packets = connection.execute(
            "SELECT p.id, p.status, p.page_count, substr(p.pdf, 1, 5),"
            " (SELECT count(*) FROM jobs j WHERE j.packet_id = p.id)"
            " FROM packets p"
        ).fetchall()
        check = connection.execute("PRAGMA integrity_check").fetchone()[0]
    connection.close()
    assert len(packets) == len(job_ids), "one packet per job"
    for _id, status, pages, head, job_count in packets:
        assert (status, job_count) == ("ready", 1)
        assert head == b"%PDF-" and pages >= 1
    assert check == "ok"

    stored = Counter(int(n) for n in READY_LINE.findall(logs))
    assert set(stored) <= set(job_ids)
    assert max(stored.values()) == 1, "no job's result was stored twice"
    records = [jobs.get(db, job_id) for job_id in job_ids]
    errors = [e["kind"] for r in records if r is not None for e in r.errors]
    assert set(errors) <= {"interrupted"}
    assert len(errors) >= ROUNDS // 4, "the kills interrupted running jobs"
