"""The bundled DejaVu Sans, registered with ReportLab once per process.

ReportLab keeps its font registry in module state, so registration happens
once, under a lock: the queue may render handouts on several threads.
"""

from __future__ import annotations

import logging
import threading

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from packetstudio.paths import resource

log = logging.getLogger(__name__)

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = REGULAR

_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_lock = threading.Lock()
_registered = threading.Event()


def register_fonts() -> None:
    """Register the handout fonts with ReportLab, if not yet done.

    The family has two weights; its italic faces map to the upright ones, so
    markup asking for italics never fails on a missing face.
    """
    if _registered.is_set():
        return
    with _lock:
        if _registered.is_set():
            return
        for name, filename in _FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource("fonts", filename))))
        addMapping(FAMILY, 0, 0, REGULAR)
        addMapping(FAMILY, 1, 0, BOLD)
        addMapping(FAMILY, 0, 1, REGULAR)
        addMapping(FAMILY, 1, 1, BOLD)
        _registered.set()
        log.debug("Registered the handout fonts")
