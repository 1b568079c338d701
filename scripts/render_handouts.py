"""Render the first page of each packet type's handout into docs/handouts/.

The example intakes in resources/examples, the bundled default templates and
a sample gym's branding; run it again after changing a template or the
layout, and look at the pictures:

    QT_QPA_PLATFORM=offscreen python scripts/render_handouts.py
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.pdf_png, when run as a script

from reportlab import rl_config  # noqa: E402

from packetstudio.pdf import Branding, render_handout  # noqa: E402
from packetstudio.templates.defaults import (  # noqa: E402
    default_template,
    sample_client_name,
    sample_content,
)
from packetstudio.vocabulary import PacketType  # noqa: E402
from tests.pdf_png import render_pages  # noqa: E402

OUT = ROOT / "docs" / "handouts"
DPI = 100
AS_OF = date(2026, 12, 3)
SAMPLE_GYM = Branding(
    gym_name="Northside Strength Club",
    address="214 Harbour Street, Portland, ME 04101",
    phone="+1 207 555 0142",
    website="northsidestrength.example",
    coach_name="Sam Rivera",
)


def render_first_page(packet_type: PacketType) -> Path:
    """Write docs/handouts/<packet type>.png; return its path."""
    handout = render_handout(
        packet_type.value,
        sample_content(packet_type),
        default_template(packet_type),
        SAMPLE_GYM,
        sample_client_name(packet_type),
        AS_OF,
    )
    [page] = render_pages(handout.pdf, OUT, dpi=DPI, pages=[0], stem=packet_type.value)
    return page.rename(OUT / f"{packet_type.value}.png")


def main() -> int:
    """Render every packet type's first page; print the files written."""
    rl_config.invariant = 1  # the same input gives the same picture
    OUT.mkdir(parents=True, exist_ok=True)
    for packet_type in PacketType:
        print(render_first_page(packet_type).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
