"""The queue's own cost per job, and throughput with 1 and 2 worker threads.

Overhead per job (enqueue, claim, finish) is measured on SQLite and, when
``PACKETSTUDIO_TEST_PG_URL`` points at a server, on PostgreSQL. Its baseline,
in the same run on the same database, is three plain write transactions
(insert a row, then update it twice), the least any durable queue must do.
Each figure is the median of several rounds; the rounds of the queue and of
its baseline take turns.

Throughput baseline (``--throughput``): the same packets built by calling
the pipeline's build step in a loop, with no queue at all.

    python -m benchmarks.bench_queue [--jobs 100] [--runs 5] [--throughput]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from benchmarks.common import Figure, save, table
from packetstudio import pipeline
from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import PacketResult, QueueConfig
from packetstudio.queue.plan import plan_packets
from packetstudio.queue.worker import Worker
from packetstudio.store import Database
from packetstudio.store.clients import add_clients

RESULT = PacketResult(content={"bench": True}, intake_version=1, generator_version="b")


def _fresh_database(url: str, clients: int) -> Database:
    db = Database.open(url)
    add_clients(db, [parse_intake(raw) for raw in demo_intakes(clients, seed=2)])
    return db


def overhead_per_job(db: Database, requests: list[tuple[int, str]]) -> float:
    """Milliseconds per job to enqueue, claim and finish, with no work."""
    start = time.perf_counter()
    jobs.enqueue(db, requests)
    for _ in requests:
        job = jobs.claim(db, "bench", QueueConfig())
        assert job is not None
        jobs.finish(db, job, RESULT)
    return (time.perf_counter() - start) * 1000 / len(requests)


def plain_writes(db: Database, count: int) -> float:
    """Milliseconds per plain insert-and-two-updates, the baseline."""
    table = f"bench_rows_{uuid.uuid4().hex[:8]}"
    with db.engine.begin() as connection:
        connection.execute(
            text(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, n INT)")
        )
    start = time.perf_counter()
    for i in range(count):
        with db.write() as session:
            session.execute(
                text(f"INSERT INTO {table} (id, n) VALUES (:i, 0)"), {"i": i}
            )
        for _ in range(2):
            with db.write() as session:
                session.execute(
                    text(f"UPDATE {table} SET n = n + 1 WHERE id = :i"), {"i": i}
                )
    return (time.perf_counter() - start) * 1000 / count


def throughput(db: Database, threads: int, count: int) -> float:
    """Jobs per second through the full pipeline with ``threads`` threads."""
    requests = plan_packets(db, None, "all").requests[:count]
    jobs.enqueue(db, requests)
    start = time.perf_counter()
    Worker(db, threads=threads, idle_s=0.01).run(until_empty=True)
    return len(requests) / (time.perf_counter() - start)


def direct_build_rate(db: Database, count: int) -> float:
    """Packets per second building directly, without the queue."""
    requests = plan_packets(db, None, "all").requests[:count]
    ids = jobs.enqueue(db, requests)
    claimed = [jobs.claim(db, "bench", QueueConfig(lease_s=3600)) for _ in ids]
    start = time.perf_counter()
    for job in claimed:
        assert job is not None
        pipeline.build(db, job)
    return len(claimed) / (time.perf_counter() - start)


def _databases(folder: Path) -> list[tuple[str, str]]:
    urls = [("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}")]
    admin = os.environ.get("PACKETSTUDIO_TEST_PG_URL")
    if admin:
        name = f"ps_bench_{uuid.uuid4().hex[:8]}"
        _pg_admin(admin, f'CREATE DATABASE "{name}"')
        urls.append(("PostgreSQL", admin.rsplit("/", 1)[0] + f"/{name}"))
    return urls


def _pg_admin(admin_url: str, statement: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def overhead(label: str, url: str, count: int, runs: int) -> Figure:
    """The median overhead per job over ``runs`` rounds of ``count`` jobs."""
    db = _fresh_database(url, clients=count * runs)
    requests = plan_packets(db, None, "all").requests
    queue, plain = [], []
    for n in range(runs):
        plain.append(plain_writes(db, count))
        queue.append(overhead_per_job(db, requests[n * count : (n + 1) * count]))
    db.close()
    return Figure(
        f"queue overhead per job, {label}",
        "ms",
        statistics.median(queue),
        statistics.median(plain),
        "3 plain write transactions",
        "<= 2x",
    )


def throughputs(folder: Path, count: int) -> list[Figure]:
    figures = []
    for threads in (1, 2):
        db = _fresh_database(f"sqlite:///{folder}/t{threads}.sqlite3", clients=count)
        rate = throughput(db, threads, count)
        db.close()
        direct_db = _fresh_database(f"sqlite:///{folder}/d{threads}.sqlite3", count)
        direct = direct_build_rate(direct_db, count)
        direct_db.close()
        figures.append(
            Figure(
                f"throughput, {threads} thread(s), SQLite",
                "/s",
                rate,
                direct,
                "build in a loop",
            )
        )
    return figures


def run(count: int, runs: int = 5, with_throughput: bool = False) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        for label, url in _databases(Path(folder)):
            try:
                figures.append(overhead(label, url, count, runs))
            finally:
                if label == "PostgreSQL":
                    admin = os.environ["PACKETSTUDIO_TEST_PG_URL"]
                    name = url.rsplit("/", 1)[1]
                    _pg_admin(admin, f'DROP DATABASE IF EXISTS "{name}"')
        if with_throughput:
            figures += throughputs(Path(folder), count)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=100, help="jobs per round")
    parser.add_argument("--runs", type=int, default=5, help="rounds")
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="also jobs per second through the pipeline, rendering in threads",
    )
    args = parser.parse_args()
    figures = run(args.jobs, args.runs, args.throughput)
    if not os.environ.get("PACKETSTUDIO_TEST_PG_URL"):
        print("PostgreSQL left out: set PACKETSTUDIO_TEST_PG_URL to include it")
    print(table("Queue overhead", figures))
    print(f"\nwritten to {save('queue', figures)}")


if __name__ == "__main__":
    main()
