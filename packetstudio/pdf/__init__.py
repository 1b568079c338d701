"""Handout PDFs with ReportLab: branding, fonts, markup, layout, charts.

No Qt here; the preview and printing in the GUI read the PDF bytes this
package produces. :func:`render_handout` is the entry point.
"""

from packetstudio.pdf.branding import Branding
from packetstudio.pdf.render import RenderedHandout, render_handout

__all__ = ["Branding", "RenderedHandout", "render_handout"]
