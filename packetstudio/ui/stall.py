"""Measuring how long the GUI thread goes without running its event loop."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer

TICK_MS = 10


class StallMeter(QObject):
    """The longest wait between ticks of a short timer on the GUI thread.

    A tick that comes late means the event loop was busy or blocked for that
    long: the window could not repaint or answer a click.

    Attributes:
        longest: the longest stall since :meth:`start`, in seconds.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last - TICK_MS / 1000)
        self._last = now
