"""Handout PDFs with ReportLab: branding, fonts, markup, layout, charts.

No Qt here; the preview and printing in the GUI read the PDF bytes this
package produces. :func:`render_handout` is the entry point. ReportLab is
imported on first use of it, not with the package, so the app's window can
open before it is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packetstudio.pdf.branding import Branding

if TYPE_CHECKING:
    from packetstudio.pdf.render import RenderedHandout, render_handout

__all__ = ["Branding", "RenderedHandout", "render_handout"]


def __getattr__(name: str) -> Any:
    if name in ("RenderedHandout", "render_handout"):
        from packetstudio.pdf import render

        return getattr(render, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
