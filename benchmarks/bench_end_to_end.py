"""A batch of packets from enqueue to every PDF stored, by the real worker.

Demo clients get every packet type that applies to them (``packets enqueue
--all-clients --type all``), then ``packetstudio worker --threads N
--until-empty`` makes them in a fresh process: N threads, each handing its
renders to one of N render processes, as the app does. The time runs from
the enqueue until the worker has exited with every PDF stored, so it
includes the worker's start.

Baseline, in the same run: plain ReportLab documents with the same page
counts as the PDFs just made (counted in the PDFs), built one after another
in one fresh process, with bench_pdf's plain document. Targets: 1 worker
within 2x the baseline; 2 workers at least 1.6x as fast as 1. The same
documents built by two processes at once show what the second core was
worth while the batch ran (other programs may be using it).

    python -m benchmarks.bench_end_to_end [--packets 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from benchmarks.bench_pdf import paragraphs_for, plain_document
from benchmarks.common import Figure, compile_bytecode, save, table
from packetstudio.demo import demo_intakes
from packetstudio.generators import applicable_types
from packetstudio.intake import Intake, parse_intake
from packetstudio.pdf.fonts import register_fonts
from packetstudio.queue import jobs
from packetstudio.queue.plan import plan_packets
from packetstudio.store import Database
from packetstudio.store.clients import add_clients
from packetstudio.store.database import backup_sqlite
from packetstudio.store.models import Packet

SEED = 11
TIMEOUT_S = 900
# Each page object of a PDF, not the page tree (/Pages).
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def clients_for(packets: int) -> list[Intake]:
    """Return the first demo clients whose packets add up to ``packets``."""
    today = date.today()
    intakes: list[Intake] = []
    planned = 0
    for raw in demo_intakes(packets, seed=SEED):  # never fewer than one each
        intake = parse_intake(raw)
        intakes.append(intake)
        planned += len(applicable_types(intake, today))
        if planned >= packets:
            break
    return intakes


def template_database(folder: Path, packets: int) -> Path:
    """Write a database of demo clients for about ``packets`` packets."""
    path = folder / f"template-{packets}.sqlite3"
    db = Database.open(f"sqlite:///{path}")
    add_clients(db, clients_for(packets))
    db.close()
    return path


def worker_run(template: Path, folder: Path, workers: int) -> tuple[float, Path]:
    """Enqueue every packet and run the worker; return (seconds, database)."""
    path = folder / f"run-{workers}-{time.monotonic_ns()}.sqlite3"
    backup_sqlite(template, path)
    url = f"sqlite:///{path}"
    command = [sys.executable, "-m", "packetstudio", "--db", url, "worker"]
    command += ["--threads", str(workers), "--until-empty"]
    start = time.perf_counter()
    db = Database.open(url)
    jobs.enqueue(db, plan_packets(db, None, "all").requests)
    db.close()
    subprocess.run(command, check=True, timeout=TIMEOUT_S, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, path


def pages_made(path: Path) -> list[int]:
    """Return the page count of every stored PDF; fail if one is missing."""
    db = Database.open(f"sqlite:///{path}")
    with db.read() as session:
        rows = session.execute(select(Packet.pdf, Packet.page_count)).all()
    db.close()
    pdfs = [pdf for pdf, _ in rows if pdf is not None]
    if len(pdfs) < len(rows):
        raise RuntimeError(f"{len(rows) - len(pdfs)} packets have no PDF")
    pages = [len(PAGE_OBJECT.findall(pdf)) for pdf in pdfs]
    if pages != [count for _, count in rows]:
        raise RuntimeError("the PDFs' pages differ from their stored page counts")
    return pages


def plain_run(paragraphs: list[int], folder: Path, processes: int = 1) -> float:
    """Build the plain documents in fresh processes; return their seconds.

    With several processes each builds its share at the same time, which
    shows how much a second core is worth on this machine right now.
    """
    commands = []
    for n in range(processes):
        listing = folder / f"paragraphs-{n}.json"
        listing.write_text(json.dumps(paragraphs[n::processes]), encoding="utf-8")
        commands.append(
            [
                sys.executable,
                "-m",
                "benchmarks.bench_end_to_end",
                "--plain",
                str(listing),
            ]
        )
    start = time.perf_counter()
    children = [subprocess.Popen(command) for command in commands]
    if any(child.wait(timeout=TIMEOUT_S) for child in children):
        raise RuntimeError("building the plain documents failed")
    return time.perf_counter() - start


def build_plain(listing: Path) -> None:
    """In the baseline process: build every plain document in a loop."""
    register_fonts()
    for count in json.loads(listing.read_text(encoding="utf-8")):
        plain_document(count)


def paragraphs_per_document(pages: list[int]) -> list[int]:
    register_fonts()
    sizes = {count: paragraphs_for(count) for count in set(pages)}
    return [sizes[count] for count in pages]


@dataclass
class Batch:
    """The seconds of every run of one batch size, and what it made."""

    packets: int = 0
    pages: int = 0
    one_worker: list[float] = field(default_factory=list)
    two_workers: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    plain_two: list[float] = field(default_factory=list)

    def runs(self) -> dict[str, list[float]]:
        """Every run's seconds, rounded, by what ran."""
        return {
            name: [round(s, 2) for s in seconds]
            for name, seconds in (
                ("1 worker", self.one_worker),
                ("2 workers", self.two_workers),
                ("plain, 1 process", self.plain),
                ("plain, 2 processes", self.plain_two),
            )
        }

    def figures(self) -> list[Figure]:
        one = statistics.median(self.one_worker)
        two = statistics.median(self.two_workers)
        plain = statistics.median(self.plain)
        runs = len(self.plain)
        label = f"{self.packets} packets" + (" (1 run)" if runs == 1 else "")
        base = f"plain ReportLab, {self.pages} pages in one process"
        figures = [
            Figure(f"end to end, 1 worker, {label}", "s", one, plain, base, "<= 2x"),
            Figure(f"end to end, 2 workers, {label}", "s", two, plain, base),
            Figure(
                f"2 workers vs 1 (packets/s), {label}",
                "/s",
                self.packets / two,
                self.packets / one,
                "1 worker, packets/s",
                ">= 1.6x",
            ),
        ]
        figures.append(
            Figure(
                f"plain, 2 processes vs 1, {label}",
                "/s",
                self.packets / statistics.median(self.plain_two),
                self.packets / plain,
                "1 process, documents/s",
                note="what a second core was worth during this run",
            )
        )
        return figures


def measure(packets: int, runs: int, folder: Path) -> Batch:
    """Time 1 worker, 2 workers and the baselines, ``runs`` times in turn.

    The baselines are the plain documents built by one process, and by two
    processes at once: what a second core was worth at the time.
    """
    template = template_database(folder, packets)
    batch = Batch()
    paragraphs: list[int] = []
    for _ in range(runs):
        for workers, times in ((1, batch.one_worker), (2, batch.two_workers)):
            seconds, made = worker_run(template, folder, workers)
            times.append(seconds)
            if not paragraphs:
                pages = pages_made(made)
                paragraphs = paragraphs_per_document(pages)
                batch.packets, batch.pages = len(pages), sum(pages)
            made.unlink()
        batch.plain.append(plain_run(paragraphs, folder))
        batch.plain_two.append(plain_run(paragraphs, folder, processes=2))
    return batch


def run(packets: int, runs: int) -> Batch:
    with tempfile.TemporaryDirectory() as folder:
        return measure(packets, runs, Path(folder))


def main() -> None:
    compile_bytecode()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packets", type=int, default=1000, metavar="N")
    parser.add_argument("--runs", type=int, default=3, metavar="N")
    parser.add_argument("--plain", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.plain is not None:
        build_plain(args.plain)
        return
    batch = run(args.packets, args.runs)
    figures = batch.figures()
    print(table("End to end: enqueue to every PDF stored", figures))
    runs = batch.runs()
    for name, seconds in runs.items():
        print(f"every run, {name}: {seconds} s")
    print(f"\nwritten to {save('end_to_end', figures, runs_s=runs)}")


if __name__ == "__main__":
    main()
