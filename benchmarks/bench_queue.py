"""The queue's own cost per job, and throughput with 1 and 2 worker threads.

Overhead per job (enqueue, claim, finish) is measured on SQLite and, when
``PACKETSTUDIO_TEST_PG_URL`` points at a server, on PostgreSQL. Its baseline,
in the same run on the same database, is one plain write transaction (insert
a row, then update it twice), the least any durable queue must do.

Throughput baseline: the same packets built by calling the pipeline's build
step in a loop, with no queue at all.

    python -m benchmarks.bench_queue [--jobs 200]
"""

from __future__ import annotations

import argparse
import os
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


def overhead_per_job(db: Database, count: int) -> float:
    """Milliseconds per job to enqueue, claim and finish, with no work."""
    requests = plan_packets(db, None, "all").requests[:count]
    start = time.perf_counter()
    jobs.enqueue(db, requests)
    for _ in requests:
        job = jobs.claim(db, "bench", QueueConfig())
        assert job is not None
        jobs.finish(db, job, RESULT)
    return (time.perf_counter() - start) * 1000 / len(requests)


def plain_writes(db: Database, count: int) -> float:
    """Milliseconds per plain insert-and-two-updates, the baseline."""
    with db.engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, n INT)")
        )
    start = time.perf_counter()
    for i in range(count):
        with db.write() as session:
            session.execute(
                text("INSERT INTO bench_rows (id, n) VALUES (:i, 0)"), {"i": i}
            )
        for _ in range(2):
            with db.write() as session:
                session.execute(
                    text("UPDATE bench_rows SET n = n + 1 WHERE id = :i"), {"i": i}
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


def _urls(folder: Path) -> list[tuple[str, str]]:
    urls = [("SQLite", f"sqlite:///{folder / 'bench.sqlite3'}")]
    admin = os.environ.get("PACKETSTUDIO_TEST_PG_URL")
    if admin:
        name = f"ps_bench_{uuid.uuid4().hex[:8]}"
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        urls.append(("PostgreSQL", admin.rsplit("/", 1)[0] + f"/{name}"))
    return urls


def run(count: int) -> list[Figure]:
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        for label, url in _urls(Path(folder)):
            db = _fresh_database(url, clients=count)
            base = plain_writes(db, count)
            per_job = overhead_per_job(db, count)
            figures.append(
                Figure(
                    f"queue overhead per job, {label}", "ms", per_job, base, "3 writes"
                )
            )
            db.close()
        for threads in (1, 2):
            db = _fresh_database(
                f"sqlite:///{folder}/t{threads}.sqlite3", clients=count
            )
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=200)
    figures = run(parser.parse_args().jobs)
    print(table("Queue overhead and throughput", figures))
    print(f"\nwritten to {save('queue', figures)}")


if __name__ == "__main__":
    main()
