"""Median time to render each packet type's handout, from the examples.

Baseline, in the same run: a plain ReportLab document with the same number
of pages (the same fonts registered, simple paragraphs, one page template).
The handout should cost at most twice the plain document.

    python -m benchmarks.bench_pdf [--runs 15]  (or: python benchmarks/bench_pdf.py)
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from benchmarks.common import Figure, save, table
from packetstudio.pdf import Branding, RenderedHandout, render_handout
from packetstudio.pdf.fonts import REGULAR, register_fonts
from packetstudio.templates.defaults import (
    default_template,
    sample_client_name,
    sample_content,
)
from packetstudio.vocabulary import PacketType

RUNS = 15
AS_OF = date(2026, 12, 3)
BRANDING = Branding(
    gym_name="Northside Strength Club",
    phone="+1 207 555 0142",
    website="northsidestrength.example",
    coach_name="Sam Rivera",
)
TEXT = (
    "Stand tall with the feet about shoulder-width apart, brace the middle "
    "and move through a comfortable range. Keep two or three good "
    "repetitions in reserve and rest fully between sets. "
)


def interleaved_ms(actions: list[Callable[[], object]], runs: int) -> list[float]:
    """Return the median wall time of each action in milliseconds.

    The actions take turns, so a burst of load on the machine slows them
    alike instead of skewing one of them.
    """
    times: list[list[float]] = [[] for _ in actions]
    for _ in range(runs):
        for action, samples in zip(actions, times, strict=True):
            start = time.perf_counter()
            action()
            samples.append((time.perf_counter() - start) * 1000)
    return [statistics.median(samples) for samples in times]


def plain_document(paragraphs: int) -> int:
    """Build a plain letter document of numbered paragraphs; return its pages."""
    style = ParagraphStyle("plain", fontName=REGULAR, fontSize=10, leading=14)
    document = SimpleDocTemplate(io.BytesIO(), pagesize=LETTER)
    document.build([Paragraph(f"{n}. {TEXT}", style) for n in range(paragraphs)])
    return int(document.page)


def paragraphs_for(pages: int) -> int:
    """Return the fewest paragraphs that make a plain document of ``pages``."""
    count = max(1, round(pages * 40 / plain_document(40)) - 8)
    while plain_document(count) < pages:
        count += 1
    return count


def handout(packet_type: PacketType) -> Callable[[], RenderedHandout]:
    """Return a function rendering the example handout of ``packet_type``."""
    content = sample_content(packet_type)
    source = default_template(packet_type)
    name = sample_client_name(packet_type)
    return lambda: render_handout(
        packet_type.value, content, source, BRANDING, name, AS_OF
    )


def run(runs: int = RUNS) -> list[Figure]:
    """Measure every packet type; return one figure each."""
    register_fonts()
    figures = []
    for packet_type in PacketType:
        render = handout(packet_type)
        pages = render().page_count  # also warms the per-process caches
        count = paragraphs_for(pages)
        plain = partial(plain_document, count)
        ms, baseline = interleaved_ms([render, plain], runs)
        figures.append(
            Figure(
                f"{packet_type.value} handout ({pages} pages)",
                "ms",
                ms,
                baseline,
                f"plain document, {pages} pages",
                "<= 2x",
            )
        )
    return figures


def main() -> None:
    """Print the table and write benchmarks/results/pdf.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS, metavar="N")
    figures = run(parser.parse_args().runs)
    print(table("Handout PDF per packet type", figures))
    print(f"\nwritten to {save('pdf', figures)}")


if __name__ == "__main__":
    main()
