"""Running short database work off the GUI thread, with a callback for each outcome."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_Callbacks = tuple[Callable[[Any], None], Callable[[BaseException], None]]


class _Relay(QObject):
    """Carries each task's outcome to the GUI thread (a queued connection).

    One relay serves every task of a ``Background`` and lives as long as it,
    so a pool thread never emits on an object the GUI thread may be deleting.

    Signals:
        done(task_id, succeeded, value): ``value`` is the task's result, or
            the exception it raised.
    """

    done = Signal(int, bool, object)


class _Task(QRunnable):
    def __init__(self, task_id: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._id = task_id
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # every failure reaches the GUI as a signal
            self._relay.done.emit(self._id, False, exc)
        else:
            self._relay.done.emit(self._id, True, result)


class Background(QObject):
    """Runs work such as queueing a batch of packets on a pool thread.

    The callbacks run on the GUI thread. Tasks run one at a time, in the
    order given, so a second click cannot overtake the first. If this object
    is deleted first (its window closed), the callbacks are skipped.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # A child made after the pool: deleting this object deletes the
        # pool, which waits for its task, before the relay it emits on.
        self._relay = _Relay(self)
        self._relay.done.connect(self._deliver)
        self._ids = itertools.count()
        # Callbacks of the tasks queued or running, by task id.
        self._waiting: dict[int, _Callbacks] = {}
        self._stopped = False

    @property
    def pending(self) -> int:
        """How many tasks have not yet had their callback."""
        return len(self._waiting)

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        if self._stopped:
            log.debug("Background work asked for after stop; not run")
            return
        task_id = next(self._ids)
        self._waiting[task_id] = (on_success, on_failure)
        self._pool.start(_Task(task_id, work, self._relay))

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, succeeded: bool, value: Any) -> None:
        on_success, on_failure = self._waiting.pop(task_id)
        if succeeded:
            on_success(value)
        else:
            on_failure(value)

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
