"""Python's cyclic garbage collector, run on the GUI thread only."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

# Often enough that garbage never piles up for long, rarely enough to cost
# nothing: a pass over the youngest generation takes well under a millisecond.
INTERVAL_MS = 200


class GuiThreadCollector(QObject):
    """Collects reference cycles from a timer on the GUI thread.

    The interpreter's automatic collection runs in whichever thread happens
    to allocate past its threshold. On a pool thread (a queue read, a job) it
    may free a cycle that holds widgets, timers or other Qt objects of the
    GUI thread, and destroying those from another thread crashes the app.
    So automatic collection is switched off while this collector runs, and
    it collects from the GUI thread with the interpreter's own thresholds,
    one generation at a time, as the interpreter would have.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        gc.disable()
        self._timer.start()

    @Slot()
    def collect_due(self) -> None:
        """Collect the oldest generation whose count has passed its threshold."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return
        generation = 0
        for older in (1, 2):
            if counts[older] > thresholds[older]:
                generation = older
        gc.collect(generation)

    def stop(self) -> None:
        """Collect everything now, on this thread, and hand back to the interpreter."""
        self._timer.stop()
        gc.collect()
        gc.enable()
