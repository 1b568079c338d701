"""What rendering a handout gives back, apart from ReportLab.

A render process returns one of these to the queue's process, which then
needs no ReportLab of its own to receive it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedHandout:
    """A rendered handout: the PDF and how many pages it has."""

    pdf: bytes
    page_count: int
