"""Timing helpers shared by the benchmarks, and their table and JSON output."""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its baseline from the same run."""

    name: str
    unit: str
    median: float
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.median / self.baseline  # type: ignore[operator]


def median_ms(action: Callable[[], object], runs: int, warmup: int = 1) -> float:
    """Return the median wall time of ``action`` in milliseconds."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def table(title: str, figures: list[Figure]) -> str:
    """Return the figures as a plain-text table."""
    lines = [title, "=" * len(title)]
    header = f"{'figure':<42} {'median':>12} {'baseline':>12} {'ratio':>7}  target"
    lines += [header, "-" * len(header)]
    for f in figures:
        base = "" if f.baseline is None else f"{f.baseline:.2f}"
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        value = f"{f.median:>9.2f} {f.unit:<2}"
        lines.append(f"{f.name:<42} {value} {base:>12} {ratio:>7}  {f.target}")
    return "\n".join(lines)


def save(name: str, figures: list[Figure]) -> Path:
    """Write the figures as JSON to benchmarks/results/<name>.json."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "benchmark": name,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": _cpus()},
        "figures": [asdict(f) | {"ratio": f.ratio} for f in figures],
    }
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def _cpus() -> int:
    return os.cpu_count() or 1
