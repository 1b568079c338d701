"""Rendering handouts in worker processes, so a batch uses every core.

ReportLab is pure-Python work that holds the GIL: measured here on 2 cores,
two threads render 1.01-1.05x faster than one, two processes 1.91-1.95x.
The queue's threads therefore hand each render to a process and wait for it,
which also keeps the GUI thread free while a batch runs.

Each render process has a pipe of its own, and the thread that renders
sends the job down it and reads the handout back itself. (A
``ProcessPoolExecutor`` passes every job and result through two threads of
its own in the calling process; on 2 cores they took about a quarter of the
time the queue's process spent on each packet.)
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import TYPE_CHECKING, Any

from packetstudio.pdf.branding import Branding
from packetstudio.templates.time_limit import TEMPLATE_TIME_LIMIT

if TYPE_CHECKING:
    from packetstudio.pdf.rendered import RenderedHandout

log = logging.getLogger(__name__)

# How long a render process is given to finish on its own when it is stopped.
STOP_WAIT_S = 5.0


def _follow_parent(parent: int) -> None:
    """In a render process: exit when the process that started it is gone.

    A worker killed outright (power cut, SIGKILL) cannot stop its pool; its
    render processes would otherwise wait for work forever.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def _serve(connection: Connection, parent: int) -> None:
    """In a render process: render what comes down ``connection`` until told to stop.

    ReportLab and the fonts load first, so that the first render does not
    wait for them. Every answer is ``(True, handout)`` or ``(False, error)``.
    """
    _follow_parent(parent)
    from packetstudio.pdf.fonts import register_fonts
    from packetstudio.pdf.render import render_handout

    register_fonts()
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):  # the pool's end was closed
            return
        if request is None:
            return
        arguments, options = request
        try:
            answer: tuple[bool, Any] = (True, render_handout(*arguments, **options))
        except Exception as exc:  # carried back to the thread that asked
            answer = (False, exc)
        try:
            connection.send(answer)
        except Exception as exc:  # an error that cannot be pickled
            connection.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))


class RenderPoolBroken(OSError):
    """A render process died; it is replaced, and the job may retry."""


class _Renderer:
    """One render process and the pipe to it; used by one thread at a time."""

    def __init__(self, context: SpawnContext) -> None:
        self.connection, theirs = context.Pipe()
        self.process: SpawnProcess = context.Process(
            target=_serve,
            args=(theirs, os.getpid()),
            name="packetstudio-render",
            daemon=True,
        )
        self.process.start()
        theirs.close()

    def render(
        self, arguments: tuple[Any, ...], options: dict[str, Any]
    ) -> tuple[bool, Any]:
        """Send one render; return ``(True, handout)`` or ``(False, error)``.

        Raises:
            RenderPoolBroken: the process died (it has been stopped).
        """
        try:
            self.connection.send((arguments, options))
            answer: tuple[bool, Any] = self.connection.recv()
        except (EOFError, OSError):
            self.stop()
            raise RenderPoolBroken("a render process stopped unexpectedly") from None
        return answer

    def gone(self) -> bool:
        """Return True if the process has ended while it was idle.

        An idle process sends nothing, so anything to read on its pipe is
        the end of it.
        """
        try:
            return not self.process.is_alive() or self.connection.poll()
        except OSError:
            return True

    def stop(self) -> None:
        """Ask the process to end; end it if it does not within STOP_WAIT_S."""
        with contextlib.suppress(OSError):  # already gone
            self.connection.send(None)
        self.process.join(STOP_WAIT_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


class RenderPool:
    """A pool of processes that render handouts; a drop-in for render_handout.

    Processes start on first use (with the "spawn" method, which is safe
    beside Qt's threads), or all at once with :meth:`warm`, and are reused;
    each loads ReportLab and registers the fonts once. A thread that renders
    takes a free process, or waits for one.
    """

    def __init__(self, processes: int) -> None:
        self.processes = max(1, processes)
        self._context = multiprocessing.get_context("spawn")
        self._free = threading.Condition()
        self._closed = False
        # A free slot holds a started renderer, or None for one not yet
        # started; _busy counts those rendering now.
        self._slots: list[_Renderer | None] = [None] * self.processes
        self._busy: set[_Renderer] = set()

    def __call__(
        self,
        packet_type: str,
        content: Any,
        template_source: str,
        branding: Branding,
        client_name: str,
        as_of: date,
        *,
        time_limit: float = TEMPLATE_TIME_LIMIT,
    ) -> RenderedHandout:
        """Render in a pool process; the same arguments as render_handout.

        The process stops the template itself once ``time_limit`` has
        passed, so the process stays in the pool for the next render.

        Raises:
            RenderPoolBroken: the process died while rendering; the next
                render gets a new one.
        """
        renderer = self._take()
        arguments = (packet_type, content, template_source, branding, client_name)
        try:
            done, value = renderer.render(
                (*arguments, as_of), {"time_limit": time_limit}
            )
        except RenderPoolBroken:
            log.warning("A render process died; a new one starts with the next job")
            self._give_back(renderer, usable=False)
            raise
        except BaseException:
            # Interrupted between sending and reading: its answer would
            # reach the next render, so the process goes.
            self._give_back(renderer, usable=False)
            renderer.stop()
            raise
        self._give_back(renderer)
        if not done:
            raise value
        return value  # type: ignore[no-any-return]

    def _take(self) -> _Renderer:
        with self._free:
            while not self._slots:
                if self._closed:
                    raise RenderPoolBroken("the render processes were stopped")
                self._free.wait()
            if self._closed:
                raise RenderPoolBroken("the render processes were stopped")
            renderer = self._slots.pop()
            if renderer is not None and renderer.gone():
                log.warning("A render process died while idle; starting another")
                renderer.connection.close()
                renderer = None
            renderer = renderer or _Renderer(self._context)
            self._busy.add(renderer)
            return renderer

    def _give_back(self, renderer: _Renderer, *, usable: bool = True) -> None:
        """Put ``renderer`` back in the pool, or its empty slot if it cannot stay.

        One that is not ``usable``, or beyond the pool's size, or back after
        the pool was closed, is replaced by an empty slot (if the pool wants
        one) and stopped here, unless it was stopped already.
        """
        with self._free:
            self._busy.discard(renderer)
            wanted = not self._closed and (
                len(self._slots) + len(self._busy) < self.processes
            )
            keep = usable and wanted
            if keep:
                self._slots.append(renderer)
            elif wanted:
                self._slots.append(None)
            self._free.notify_all()
        if usable and not keep:
            renderer.stop()

    def warm(self) -> None:
        """Start every process now.

        A process takes about a second to start and load ReportLab and the
        fonts; started early, it does that while the first jobs are claimed
        and generated instead of before their first render.
        """
        with self._free:
            if self._closed:
                return
            self._slots = [r or _Renderer(self._context) for r in self._slots]

    def pids(self) -> list[int]:
        """Return the process ids of the render processes started so far."""
        with self._free:
            renderers = [r for r in self._slots if r is not None] + list(self._busy)
        return [r.process.pid for r in renderers if r.process.pid is not None]

    def resize(self, processes: int) -> None:
        """Render in ``processes`` processes from now on.

        Renders in progress finish in their processes; processes beyond the
        new number end as they come free.
        """
        surplus: list[_Renderer | None] = []
        with self._free:
            self.processes = max(1, processes)
            extra = len(self._slots) + len(self._busy) - self.processes
            while extra > 0 and self._slots:
                surplus.append(self._slots.pop())
                extra -= 1
            missing = self.processes - len(self._slots) - len(self._busy)
            self._slots += [None] * max(0, missing)
            self._free.notify_all()
        for renderer in surplus:
            if renderer is not None:
                renderer.stop()

    def close(self) -> None:
        """Stop the processes once the renders in progress are done."""
        with self._free:
            self._closed = True
            idle, self._slots = self._slots, []
            self._free.notify_all()
            while self._busy:
                self._free.wait()
        for renderer in idle:
            if renderer is not None:
                renderer.stop()
