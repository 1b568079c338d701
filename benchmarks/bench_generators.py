"""Median time to generate each packet type's content, from the examples.

Baseline, in the same run: validating the same intake with ``parse_intake``,
the cheapest step every packet goes through.

    python -m benchmarks.bench_generators [--runs 200]
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from functools import partial

from benchmarks.common import Figure, median_ms, save, table
from packetstudio.generators import applicable_types, generate
from packetstudio.intake import parse_intake
from packetstudio.library import load_library
from packetstudio.paths import resource

RUNS = 200
AS_OF = date(2026, 12, 3)


def run(runs: int = RUNS) -> list[Figure]:
    library = load_library()
    figures = []
    for path in sorted(resource("examples").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        intake = parse_intake(raw)
        baseline = median_ms(partial(parse_intake, raw), runs)
        for packet_type in applicable_types(intake, AS_OF):
            ms = median_ms(
                partial(generate, packet_type, intake, library=library, as_of=AS_OF),
                runs,
            )
            figures.append(
                Figure(
                    f"{packet_type.value} ({path.stem} example)",
                    "ms",
                    ms,
                    baseline,
                    "parse_intake",
                    "< 5 ms",
                )
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS, metavar="N")
    figures = run(parser.parse_args().runs)
    print(table("Content generation per packet type", figures))
    print(f"\nwritten to {save('generators', figures)}")


if __name__ == "__main__":
    main()
