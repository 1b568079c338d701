"""Running short database work off the GUI thread, with a callback for each outcome."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Outcome(QObject):
    """Delivers a task's result or exception to the GUI thread.

    The signals reach this object's own slots, queued to the GUI thread. It
    has no parent, so closing the window cannot delete it while its result
    is on the way; if the window is gone by then, the callbacks are skipped.

    Signals:
        succeeded(result)
        failed(exception)
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        background: Background,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        super().__init__()
        self._background = background
        self._on_success = on_success
        self._on_failure = on_failure
        self.succeeded.connect(self._succeeded)
        self.failed.connect(self._failed)

    @Slot(object)
    def _succeeded(self, result: Any) -> None:
        try:
            if shiboken6.isValid(self._background):
                self._on_success(result)
        finally:
            self._finish()

    @Slot(object)
    def _failed(self, exc: BaseException) -> None:
        try:
            if shiboken6.isValid(self._background):
                self._on_failure(exc)
        finally:
            self._finish()

    def _finish(self) -> None:
        self._background.pending.discard(self)
        self.deleteLater()


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
        # Outcomes on their way, kept alive until delivered.
        self.pending: set[_Outcome] = set()
        self._stopped = False

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        if self._stopped:
            log.debug("Background work asked for after stop; not run")
            return
        outcome = _Outcome(self, on_success, on_failure)
        self.pending.add(outcome)
        self._pool.start(_Task(work, outcome))

    def stop(self, msecs: int = 30_000) -> bool:
        """Take no more work and wait for what is queued (the window closes).

        Deleting the pool while a task still runs would wait inside Qt while
        holding Python's lock, which the task needs to finish.
        """
        self._stopped = True
        return self.wait(msecs)

    def wait(self, msecs: int = 30_000) -> bool:
        """Wait for queued tasks (on quit); True if they all finished."""
        return self._pool.waitForDone(msecs)
