"""Start-up, search and memory of the app with 50,000 clients.

Each run starts a fresh process (benchmarks/gui_probe.py) on the offscreen
platform and times it from exec until the main window has painted the client
list's first rows; the baseline is a bare QMainWindow shown by a fresh
process of the same Python. The app process then types client names into
the search box a character at a time; each keystroke is timed until the
client model has updated, beside the least any search must do: one count of
the matches straight through sqlite3. Peak memory is the app process's
maximum resident set since exec (VmHWM), beside the bare window's.

    python -m benchmarks.bench_startup [--clients 50000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import Figure, compile_bytecode, save, table
from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.store import Database
from packetstudio.store.clients import add_clients, fold

TIMEOUT_S = 300
CHUNK = 5000
SEED = 5


@dataclass
class Probe:
    """What one child process reported, and how long it took to be ready."""

    ready_s: float
    peak_mb: float
    report: dict[str, Any]


@dataclass
class Runs:
    """Every run's figures, to take medians of."""

    app_s: list[float] = field(default_factory=list)
    bare_s: list[float] = field(default_factory=list)
    app_mb: list[float] = field(default_factory=list)
    bare_mb: list[float] = field(default_factory=list)
    keystroke_ms: list[float] = field(default_factory=list)
    slowest_ms: list[float] = field(default_factory=list)
    count_ms: list[float] = field(default_factory=list)
    typed: dict[str, list[float]] = field(default_factory=dict)


def clients_database(path: Path, clients: int) -> str:
    """Write a database of ``clients`` demo clients; return its URL."""
    url = f"sqlite:///{path}"
    raws = demo_intakes(clients, seed=SEED)
    db = Database.open(url)
    for start in range(0, clients, CHUNK):
        add_clients(db, [parse_intake(raw) for raw in raws[start : start + CHUNK]])
    db.close()
    return url


def names_to_type(path: Path, count: int) -> list[str]:
    """Return ``count`` client names, spread over the list, as typed."""
    with closing(sqlite3.connect(path)) as connection:
        total = connection.execute("SELECT count(*) FROM clients").fetchone()[0]
        names = []
        for n in range(count):
            row = connection.execute(
                "SELECT full_name FROM clients WHERE id = ?",
                (1 + (n * 7919 + total // 3) % total,),
            ).fetchone()
            names.append(fold(row[0]))
    # The offscreen keyboard types ASCII; the search folds accents anyway.
    return [n.encode("ascii", "ignore").decode() for n in names]


def probe(arguments: list[str], environment: dict[str, str]) -> Probe:
    """Run gui_probe with ``arguments`` in a fresh process."""
    command = [sys.executable, "-m", "benchmarks.gui_probe", *arguments]
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        with subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, env=environment, text=True
        ) as child:
            watchdog = threading.Timer(TIMEOUT_S, child.kill)
            watchdog.start()
            assert child.stdout is not None
            ready = child.stdout.readline()
            ready_s = time.perf_counter() - start
            report = child.stdout.readline()
        watchdog.cancel()
        if ready.strip() != "ready" or child.returncode != 0:
            errors.seek(0)
            detail = errors.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"{arguments[0]} probe failed:\n{detail}")
    document = json.loads(report)
    return Probe(ready_s, document.pop("peak_mb"), document)


def count_matches_ms(path: Path, name: str) -> list[float]:
    """Milliseconds to count the matches of each prefix of ``name`` in SQL."""
    times = []
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA case_sensitive_like = ON")
        for end in range(1, len(name) + 1):
            words = fold(name[:end]).split() or [""]
            where = " AND ".join("search_text LIKE ?" for _ in words)
            start = time.perf_counter()
            connection.execute(
                f"SELECT count(*) FROM clients WHERE {where}",
                [f"%{w}%" for w in words],
            ).fetchone()
            times.append((time.perf_counter() - start) * 1000)
    return times


def child_environment(folder: Path) -> dict[str, str]:
    """The offscreen platform, and settings, logs and backups kept aside."""
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"):
        environment[name] = str(folder / name.lower())
    return environment


def measure(clients: int, runs: int, folder: Path) -> Runs:
    path = folder / "clients.sqlite3"
    url = clients_database(path, clients)
    environment = child_environment(folder)
    names = names_to_type(path, runs + 1)
    # Warm-up, not counted: the file cache, and the app's once-a-day backup.
    probe(["bare"], environment)
    probe(["app", url, names[-1]], environment)
    measured = Runs()
    for name in names[:runs]:
        bare = probe(["bare"], environment)
        app = probe(["app", url, name], environment)
        [keystrokes] = app.report["keystrokes"]
        measured.bare_s.append(bare.ready_s)
        measured.bare_mb.append(bare.peak_mb)
        measured.app_s.append(app.ready_s)
        measured.app_mb.append(app.peak_mb)
        measured.keystroke_ms.append(statistics.median(keystrokes))
        measured.slowest_ms.append(max(keystrokes))
        measured.count_ms.append(statistics.median(count_matches_ms(path, name)))
        measured.typed[name] = [round(ms, 1) for ms in keystrokes]
    return measured


def run(clients: int, runs: int) -> tuple[list[Figure], Runs]:
    with tempfile.TemporaryDirectory() as folder:
        measured = measure(clients, runs, Path(folder))
    return figures_of(measured, clients), measured


def figures_of(measured: Runs, clients: int) -> list[Figure]:
    m = statistics.median
    many = f"{clients:,} clients"
    count = "sqlite3 count of the matches"
    return [
        Figure(
            f"cold start to first client rows, {many}",
            "s",
            m(measured.app_s),
            m(measured.bare_s),
            "bare QMainWindow shown",
            "<= 4x",
        ),
        Figure(
            f"search per keystroke, median, {many}",
            "ms",
            m(measured.keystroke_ms),
            m(measured.count_ms),
            count,
            "< 50 ms",
        ),
        Figure(
            f"search, slowest keystroke, {many}",
            "ms",
            m(measured.slowest_ms),
            m(measured.count_ms),
            count,
            "< 50 ms",
        ),
        Figure(
            f"peak memory (RSS), {many}",
            "MB",
            m(measured.app_mb),
            m(measured.bare_mb),
            "bare QMainWindow",
            "< 300 MB",
        ),
    ]


def main() -> None:
    compile_bytecode()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50_000, metavar="N")
    parser.add_argument("--runs", type=int, default=3, metavar="N")
    args = parser.parse_args()
    figures, measured = run(args.clients, args.runs)
    print(table("Start-up, search and memory", figures))
    for name, keystrokes in measured.typed.items():
        print(f"typing {name!r}, ms per keystroke: {keystrokes}")
    path = save("startup", figures, keystrokes_ms=measured.typed)
    print(f"\nwritten to {path}")


if __name__ == "__main__":
    main()
