"""Stopping template code that runs past its time limit.

Templates are data that staff edit, and two loops inside each other over
``range(99999)`` keep a render busy for hours. :func:`run_within` stops the
code it runs once the limit has passed: a watchdog thread raises
:class:`RanTooLong` inside the thread that renders, with CPython's
``PyThreadState_SetAsyncExc``.

Why this way, rather than the others:

- The exception lands between any two bytecodes the rendering thread runs:
  template code, Jinja's runtime or a filter. A loop whose body neither
  prints nor calls anything stops like any other, which a check in the
  output loop or in ``range`` would never see.
- It costs nothing while the template runs, and a few microseconds a
  render to watch it.
- ``sys.settrace`` would see only the lines of template code, made that
  code 4 times slower when measured (the nutrition handout 14 % slower in
  all), and would put aside a debugger's or a coverage tool's tracer for as
  long as a template runs.
- A process per render would cost a process start (a third of a second
  with ReportLab and the fonts) on every preview, and killing a busy pool
  process would take the whole pool down with it.

The exception can never be raised once :func:`run_within` has ended: the
watchdog raises it only while holding the lock of the run, and the run takes
that lock for good, in one call, as it ends. Should the exception land where
it is swallowed (a finaliser that happened to run in the rendering thread
prints it and carries on), the watchdog raises it again a moment later.

Like every exception from another thread, it is raised only between
bytecodes: a single built-in call that runs long in C is not stopped. The
sandbox's bounds on sizes keep those short.
"""

from __future__ import annotations

import ctypes
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from typing import TypeVar

# A default template's code takes 0.3-2 ms, so either limit leaves well
# over a thousand times that. The editor's is shorter so that a runaway
# preview never holds up the next one, or closing the editor, for long;
# a template that passes it has room to spare in jobs on a busy machine.
TEMPLATE_TIME_LIMIT = 10.0
PREVIEW_TIME_LIMIT = 3.0
# How soon the watchdog raises again in a run that swallowed the exception.
RETRY_S = 0.1

T = TypeVar("T")

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
_set_async_exc.restype = ctypes.c_int


class RanTooLong(BaseException):
    """Raised inside code that ran past the limit :func:`run_within` gave it.

    A BaseException, as KeyboardInterrupt is, so that no ``except
    Exception`` in Jinja or in a filter catches it on its way out.
    """


class _Run:
    """One call of :func:`run_within`, as the watchdog sees it.

    Attributes:
        thread: the thread the call runs on.
        due: when the watchdog should next stop it (monotonic seconds).
        ended: held for good by the call's own thread once the call ends.
    """

    def __init__(self, seconds: float) -> None:
        self.thread = threading.get_ident()
        self.due = time.monotonic() + seconds
        self.ended = threading.Lock()

    def stop(self) -> bool:
        """On the watchdog's thread: raise RanTooLong in the call if it runs.

        Returns:
            False once the call has ended (nothing was raised).
        """
        if not self.ended.acquire(blocking=False):
            return False
        try:
            _set_async_exc(self.thread, RanTooLong)
        finally:
            self.ended.release()
        return True


class _Watchdog:
    """The one thread per process that stops runs past their limit."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: list[tuple[float, int, _Run]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, run: _Run) -> None:
        with self._changed:
            heapq.heappush(self._due, (run.due, next(self._order), run))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._watch_all, name="template-time-limit", daemon=True
                )
                self._thread.start()
            if self._due[0][2] is run:
                self._changed.notify()

    def forget(self, run: _Run) -> None:
        with self._changed:
            self._due = [entry for entry in self._due if entry[2] is not run]
            heapq.heapify(self._due)

    def _watch_all(self) -> None:
        with self._changed:
            while True:
                self._stop_due(time.monotonic())
                wait = self._due[0][0] - time.monotonic() if self._due else None
                self._changed.wait(wait)

    def _stop_due(self, now: float) -> None:
        # A run's own thread holds the condition only in watch(), before the
        # run can be stopped, and in forget(), once it no longer can: the
        # exception never leaves the condition locked.
        while self._due and self._due[0][0] <= now:
            _, _, run = heapq.heappop(self._due)
            if run.stop():
                run.due = now + RETRY_S
                heapq.heappush(self._due, (run.due, next(self._order), run))


_watchdog = _Watchdog()


def run_within(seconds: float, work: Callable[[], T]) -> T:
    """Return ``work()``, stopping it with RanTooLong after ``seconds``.

    Not reentrant: one run at a time on a thread.

    Raises:
        RanTooLong: ``work`` ran past ``seconds``, or was about to end then.
    """
    run = _Run(seconds)
    try:
        _watchdog.watch(run)
        return work()
    finally:
        # One call, in this frame, so nothing can run between it and the
        # end of ``work``: from here on the watchdog raises nothing more,
        # and one it raised just before surfaces here, as this call returns.
        run.ended.acquire()
        _set_async_exc(run.thread, ctypes.py_object())  # drop any still pending
        _watchdog.forget(run)
