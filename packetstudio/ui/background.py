"""Running short database work off the GUI thread, with a callback for each outcome."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Outcome(QObject):
    """Delivers a task's result or exception to the GUI thread.

    Signals:
        succeeded(result)
        failed(exception)
    """

    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], outcome: _Outcome) -> None:
        super().__init__()
        self._work = work
        self._outcome = outcome

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # every failure reaches the GUI as a signal
            self._outcome.failed.emit(exc)
        else:
            self._outcome.succeeded.emit(result)


class Background(QObject):
    """Runs work such as queueing a batch of packets on a pool thread.

    The callbacks run on the GUI thread. Tasks run one at a time, in the
    order given, so a second click cannot overtake the first.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending: set[_Outcome] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        outcome = _Outcome(self)
        self._pending.add(outcome)
        outcome.succeeded.connect(on_success)
        outcome.failed.connect(on_failure)
        outcome.succeeded.connect(lambda _: self._done(outcome))
        outcome.failed.connect(lambda _: self._done(outcome))
        self._pool.start(_Task(work, outcome))

    @Slot()
    def _done(self, outcome: _Outcome) -> None:
        self._pending.discard(outcome)
        outcome.deleteLater()

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for queued tasks (on quit); True if they all finished."""
        return self._pool.waitForDone(msecs)
