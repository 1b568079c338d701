"""Timing helpers shared by the benchmarks, and their table and JSON output."""

from __future__ import annotations

import compileall
import json
import os
import platform
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
CHECKOUT = Path(__file__).resolve().parent.parent


def compile_bytecode() -> None:
    """Compile PacketStudio's and the benchmarks' modules to bytecode first.

    Installing a package compiles its modules, and a running app writes the
    bytecode it lacks. An editable install leaves that to the first import,
    and where PYTHONDONTWRITEBYTECODE is set (some build machines set it)
    every fresh process would compile the sources again: start-up and worker
    figures would time the compiler, not the app.
    """
    for folder in ("packetstudio", "benchmarks"):
        compileall.compile_dir(CHECKOUT / folder, quiet=1)


# "< 5 ms", "<= 2x", ">= 1.6x": a bound on the figure, or on its ratio ("x").
_TARGET = re.compile(r"^\s*(<=|>=|<|>)\s*([0-9.]+)\s*(x?)\b")
_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "<": lambda value, bound: value < bound,
    "<=": lambda value, bound: value <= bound,
    ">": lambda value, bound: value > bound,
    ">=": lambda value, bound: value >= bound,
}


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its baseline from the same run.

    Attributes:
        target: a bound such as ``"< 5 ms"`` on the figure itself, or such
            as ``"<= 2x"`` on its ratio to the baseline; text after the
            bound is a note for the reader.
        note: what the reader should know about this figure (a smaller
            batch than the target names, a server that was not there).
    """

    name: str
    unit: str
    median: float
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.median / self.baseline

    @property
    def status(self) -> str:
        """Return "pass", "MISS", or "" when there is no target to check."""
        match = _TARGET.match(self.target)
        if match is None:
            return ""
        operator, bound, on_ratio = match.groups()
        value = self.ratio if on_ratio else self.median
        if value is None:
            return ""
        return "pass" if _COMPARE[operator](value, float(bound)) else "MISS"

    def to_json(self) -> dict[str, Any]:
        return asdict(self) | {"ratio": self.ratio, "status": self.status}

    @classmethod
    def from_json(cls, document: dict[str, Any]) -> Figure:
        fields = cls.__dataclass_fields__
        return cls(**{k: v for k, v in document.items() if k in fields})


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
    header = (
        f"{'figure':<50} {'median':>12} {'baseline':>10} {'ratio':>7}"
        f"  {'target':<10} status"
    )
    lines += [header, "-" * len(header)]
    for f in figures:
        base = "" if f.baseline is None else _number(f.baseline)
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}x"
        value = f"{_number(f.median):>9} {f.unit:<2}"
        lines.append(
            f"{f.name:<50} {value} {base:>10} {ratio:>7}"
            f"  {f.target:<10} {f.status}".rstrip()
        )
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:.1f}" if abs(value) >= 100 else f"{value:.2f}"


def save(name: str, figures: list[Figure], **extra: Any) -> Path:
    """Write the figures as JSON to benchmarks/results/<name>.json."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    document = {
        "benchmark": name,
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "figures": [f.to_json() for f in figures],
    } | extra
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def load(name: str) -> list[Figure]:
    """Return the figures last written to benchmarks/results/<name>.json."""
    document = json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
    return [Figure.from_json(f) for f in document["figures"]]


def machine() -> dict[str, Any]:
    """Describe the computer and Python the figures were measured on."""
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count() or 1,
        "system": f"{platform.system()} {platform.release()}",
        "processor": _processor(),
        "load_average": _load_average(),
    }


def _processor() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor()
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def _load_average() -> list[float] | None:
    try:
        return [round(n, 2) for n in os.getloadavg()]
    except OSError:
        return None
