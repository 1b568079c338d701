"""Run every benchmark, print one table and write benchmarks/results/all.json.

Each benchmark runs in its own process (so one cannot warm up or slow down
the next) and writes benchmarks/results/<name>.json; this command gathers
them. Every figure stands beside a baseline measured in the same run, with
their ratio, the target and whether it was met. See docs/performance.md.

    python -m benchmarks                  # everything, about 7 minutes
    python -m benchmarks --quick          # smaller batches, fewer runs
    python -m benchmarks --only queue --only pdf
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from benchmarks.common import RESULTS, Figure, compile_bytecode, load, machine, table


@dataclass(frozen=True)
class Benchmark:
    """One benchmark module and its arguments in a full and a quick run."""

    name: str
    title: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    timeout_s: int = 900

    @property
    def module(self) -> str:
        return f"benchmarks.bench_{self.name}"


BENCHMARKS = (
    Benchmark("generators", "content per packet type", (), ("--runs", "30")),
    Benchmark("pdf", "handout PDF per packet type", (), ("--runs", "5")),
    Benchmark(
        "queue",
        "queue overhead per job",
        ("--jobs", "100", "--runs", "5"),
        ("--jobs", "50", "--runs", "3"),
    ),
    Benchmark(
        "startup",
        "start-up, search and memory with 50,000 clients",
        ("--clients", "50000", "--runs", "3"),
        ("--clients", "50000", "--runs", "1"),
    ),
    Benchmark(
        "gui",
        "GUI stalls during a batch",
        ("--clients", "430", "--runs", "3"),
        ("--clients", "40", "--runs", "1"),
    ),
    Benchmark(
        "end_to_end",
        "end to end with the real worker",
        ("--packets", "1000", "--runs", "3"),
        ("--packets", "250", "--runs", "1"),
    ),
)


@dataclass
class Outcome:
    """How one benchmark's run went."""

    name: str
    seconds: float
    error: str = ""


def run_one(benchmark: Benchmark, quick: bool) -> Outcome:
    """Run one benchmark in a fresh process; its output goes to ours."""
    (RESULTS / f"{benchmark.name}.json").unlink(missing_ok=True)
    arguments = benchmark.quick if quick else benchmark.full
    command = [sys.executable, "-m", benchmark.module, *arguments]
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    print(f"\n--- {benchmark.name}: {benchmark.title}", flush=True)
    start = time.perf_counter()
    try:
        subprocess.run(
            command, check=True, timeout=benchmark.timeout_s, env=environment
        )
        error = ""
    except subprocess.TimeoutExpired:
        error = f"did not finish within {benchmark.timeout_s} s"
    except subprocess.CalledProcessError as exc:
        error = f"failed with exit status {exc.returncode}"
    return Outcome(benchmark.name, time.perf_counter() - start, error)


def gather(outcomes: list[Outcome]) -> list[tuple[str, Figure]]:
    figures = []
    for outcome in outcomes:
        if not outcome.error:
            figures += [(outcome.name, f) for f in load(outcome.name)]
    return figures


def write_all(
    outcomes: list[Outcome], figures: list[tuple[str, Figure]], quick: bool
) -> None:
    document = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": quick,
        "seconds": round(sum(o.seconds for o in outcomes), 1),
        "benchmarks": {
            o.name: {"seconds": round(o.seconds, 1), "error": o.error or None}
            for o in outcomes
        },
        "figures": [{"benchmark": name} | f.to_json() for name, f in figures],
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "all.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")


def summary(outcomes: list[Outcome], figures: list[tuple[str, Figure]]) -> str:
    statuses = [f.status for _, f in figures]
    lines = [
        f"{statuses.count('pass')} targets met, {statuses.count('MISS')} missed, "
        f"in {sum(o.seconds for o in outcomes):.0f} s "
        f"({', '.join(f'{o.name} {o.seconds:.0f} s' for o in outcomes)})"
    ]
    lines += [f"{o.name}: {o.error}" for o in outcomes if o.error]
    if not os.environ.get("PACKETSTUDIO_TEST_PG_URL"):
        lines.append("PostgreSQL left out: PACKETSTUDIO_TEST_PG_URL is not set")
    notes = [f"{f.name}: {f.note}" for _, f in figures if f.note]
    return "\n".join(lines + notes)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="smaller batches and fewer runs"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=[b.name for b in BENCHMARKS],
        metavar="NAME",
        help="run only this benchmark (repeatable): "
        + ", ".join(b.name for b in BENCHMARKS),
    )
    args = parser.parse_args()
    chosen = [b for b in BENCHMARKS if not args.only or b.name in args.only]
    compile_bytecode()
    outcomes = [run_one(b, args.quick) for b in chosen]
    figures = gather(outcomes)
    write_all(outcomes, figures, args.quick)
    title = "PacketStudio benchmarks" + (" (quick)" if args.quick else "")
    print()
    print(table(title, [f for _, f in figures]))
    print()
    print(summary(outcomes, figures))
    print(f"\nwritten to {RESULTS / 'all.json'}")
    return 1 if any(o.error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
