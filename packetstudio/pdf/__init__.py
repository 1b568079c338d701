"""Handout PDFs with ReportLab: branding, fonts, markup, layout, charts.

No Qt here; the preview and printing in the GUI read the PDF bytes this
package produces. :func:`render_handout` is the entry point. ReportLab is
imported on first use of it, not with the package, so the app's window can
open before it is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packetstudio.pdf.branding import Branding
from packetstudio.pdf.rendered import RenderedHandout

if TYPE_CHECKING:
    from packetstudio.pdf.render import render_handout

__all__ = ["Branding", "RenderedHandout", "render_handout"]


def __getattr__(name: str) -> Any:
    if name == "render_handout":
        from packetstudio.pdf.render import render_handout

        return render_handout
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
