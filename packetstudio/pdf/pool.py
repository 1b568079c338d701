"""Making packets in worker processes, so that a batch uses every core.

ReportLab is pure-Python work that holds the GIL: measured here on 2 cores,
two threads render 1.01-1.05x faster than one, two processes 1.91-1.95x.
The queue's threads therefore hand each packet to a process, which generates
its content and renders its handout (:func:`packetstudio.making.make_packet`),
and wait for it. That also keeps the work off the app's own process, where
it would compete with the window for the interpreter.

Each render process has a pipe of its own, and the thread that renders
sends the job down it and reads the answer back itself. (A
``ProcessPoolExecutor`` passes every job and result through two threads of
its own in the calling process; on 2 cores they took over a third of what
the queue's process did for each packet.)

A process takes a second job while it works on one (:data:`QUEUED_JOBS`),
so that it starts the next the moment it sends an answer back, instead of
waiting for the thread with the next job to be woken and sent it.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import multiprocessing
import os
import pickle
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from datetime import date
from multiprocessing.connection import Connection
from multiprocessing.context import SpawnContext, SpawnProcess
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING, Any

from packetstudio.pdf.branding import Branding
from packetstudio.templates.time_limit import TEMPLATE_TIME_LIMIT

if TYPE_CHECKING:
    from packetstudio.making import MadePacket
    from packetstudio.pdf.rendered import RenderedHandout

log = logging.getLogger(__name__)

# How long a render process is given to finish on its own when it is stopped.
STOP_WAIT_S = 5.0
# Jobs a render process holds at once: the one it works on and the next.
QUEUED_JOBS = 2
# What a render process can be asked to run, by name: the functions
# themselves are loaded only in the render processes.
TARGETS = {
    "render": ("packetstudio.pdf.render", "render_handout"),
    "make": ("packetstudio.making", "make_packet"),
}


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
    """In a render process: run what comes down ``connection`` until told to stop.

    Everything a job uses loads first (ReportLab and the fonts, the
    generators and their libraries), so that the first job does not wait for
    it. Every answer is ``(True, value)`` or ``(False, error)``.
    """
    _follow_parent(parent)
    from packetstudio.startup import loading

    # What loads lives as long as the process: kept out of the collector's
    # passes, which then only look at what each job makes.
    with loading():
        from packetstudio.making import prepare

        functions = {name: _load(name) for name in TARGETS}
        prepare()
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):  # the pool's end was closed
            return
        if request is None:
            return
        target, arguments, options = request
        try:
            answer: tuple[bool, Any] = (True, functions[target](*arguments, **options))
        except Exception as exc:  # carried back to the thread that asked
            answer = (False, _portable(exc))
        if not _answer(connection, answer):
            return


def _answer(connection: Connection, answer: tuple[bool, Any]) -> bool:
    """Send ``answer`` back; return False if the pool's end has been closed.

    A pool closed while its process held a job (the app quitting mid-batch,
    a thread interrupted) leaves nobody to read the answer, and the process
    then ends quietly.
    """
    try:
        message = ForkingPickler.dumps(answer)
    except Exception as exc:  # an answer that cannot be pickled
        message = ForkingPickler.dumps(
            (False, RuntimeError(f"{type(exc).__name__}: {exc}"))
        )
    try:
        connection.send_bytes(message)
    except OSError:
        return False
    return True


def _load(target: str) -> Callable[..., Any]:
    module, name = TARGETS[target]
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


def _portable(exc: Exception) -> Exception:
    """Return ``exc`` ready to cross to the asking process, keeping its type.

    The queue sorts failures by their type, so a type that does not survive
    pickling is replaced by a plain error that names it. The traceback does
    not cross; it goes along as a note, for the log of a failure nobody
    expected.
    """
    exc.add_note("In the render process:\n" + "".join(traceback.format_exception(exc)))
    try:
        copy = pickle.loads(pickle.dumps(exc))
    except Exception:  # a type that cannot be rebuilt from its pickle
        copy = None
    if type(copy) is not type(exc):
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc


class RenderPoolBroken(OSError):
    """A render process died; it is replaced, and the job may retry."""


class _Renderer:
    """One render process and the pipe to it.

    Up to :data:`QUEUED_JOBS` threads may use it at once: each sends its
    job, then reads its answer in turn, as the process answers in order.
    """

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
        self._sending = threading.Lock()
        self._turn = threading.Condition()
        self._sent = 0  # jobs sent so far; each sender's number in line
        self._read = 0  # answers read so far
        self._broken = False

    def run(
        self, target: str, arguments: tuple[Any, ...], options: dict[str, Any]
    ) -> tuple[bool, Any]:
        """Send one job; return ``(True, value)`` or ``(False, error)``.

        Raises:
            RenderPoolBroken: the process died (it has been stopped).
        """
        with self._sending:
            ticket = self._sent
            try:
                self.connection.send((target, arguments, options))
            except OSError:
                self._break()
            self._sent += 1
        with self._turn:
            while self._read != ticket and not self._broken:
                self._turn.wait()
            if self._broken:
                raise RenderPoolBroken("a render process stopped unexpectedly")
        try:
            answer: tuple[bool, Any] = self.connection.recv()
        except (EOFError, OSError):
            self._break()
        except BaseException:
            # Interrupted while reading: the answers would be out of line.
            self._break(raise_it=False)
            raise
        with self._turn:
            self._read += 1
            self._turn.notify_all()
        return answer

    def _break(self, *, raise_it: bool = True) -> None:
        """Mark the process as dead for every thread waiting on it, and stop it."""
        with self._turn:
            self._broken = True
            self._turn.notify_all()
        self.stop()
        if raise_it:
            raise RenderPoolBroken("a render process stopped unexpectedly")

    @property
    def broken(self) -> bool:
        """True once a thread found the process dead."""
        return self._broken

    def gone(self) -> bool:
        """Return True if the process has ended; ask only while it holds no job.

        An idle process sends nothing, so anything to read on its pipe is
        the end of it.
        """
        if self._broken:
            return True
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
    """A pool of processes that make packets and render handouts.

    Calling the pool renders a handout, a drop-in for render_handout;
    :meth:`make` makes a whole packet, a drop-in for make_packet. Processes
    start on first use (with the "spawn" method, which is safe beside Qt's
    threads), or all at once with :meth:`warm`, and are reused; each loads
    ReportLab, the fonts and the generators' libraries once. A thread that
    hands a job over takes a free process, or waits for one.
    """

    def __init__(self, processes: int) -> None:
        self.processes = max(1, processes)
        self._context = multiprocessing.get_context("spawn")
        self._lock = threading.Condition()
        self._closed = False
        # One place for each process; None until it is started.
        self._renderers: list[_Renderer | None] = [None] * self.processes
        # The jobs each process holds now; those taken out of the pool (by
        # resize) stay here until their last job is done.
        self._jobs: dict[_Renderer, int] = {}

    def __call__(
        self,
        packet_type: str,
        content: Mapping[str, Any],
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
        arguments = (packet_type, content, template_source, branding, client_name)
        handout: RenderedHandout = self._run(
            "render", (*arguments, as_of), {"time_limit": time_limit}
        )
        return handout

    def make(
        self,
        packet_type: str,
        intake: Mapping[str, Any],
        template_source: str,
        branding: Branding,
        client_name: str,
        as_of: date | None = None,
        *,
        time_limit: float = TEMPLATE_TIME_LIMIT,
    ) -> MadePacket:
        """Make a packet in a pool process; the same arguments as make_packet.

        Raises:
            RenderPoolBroken: the process died while making it; the next
                packet gets a new one.
        """
        arguments = (packet_type, intake, template_source, branding, client_name)
        made: MadePacket = self._run(
            "make", (*arguments, as_of), {"time_limit": time_limit}
        )
        return made

    def _run(
        self, target: str, arguments: tuple[Any, ...], options: dict[str, Any]
    ) -> Any:
        """Run ``target`` in a pool process; return its value or raise its error."""
        renderer = self._take()
        try:
            done, value = renderer.run(target, arguments, options)
        except RenderPoolBroken:
            log.warning("A render process died; a new one starts with the next job")
            self._give_back(renderer)
            raise
        except BaseException:
            self._give_back(renderer)
            raise
        self._give_back(renderer)
        if not done:
            raise value
        return value

    def _take(self) -> _Renderer:
        """Return the process with the fewest jobs, starting one if need be."""
        with self._lock:
            while True:
                if self._closed:
                    raise RenderPoolBroken("the render processes were stopped")
                place = self._place_with_room()
                if place is not None:
                    break
                self._lock.wait()
            renderer = self._renderers[place]
            idle = renderer is not None and not self._jobs.get(renderer)
            if renderer is not None and (renderer.broken or (idle and renderer.gone())):
                if idle:
                    log.warning("A render process died; starting another")
                    renderer.connection.close()
                renderer = None
            if renderer is None:
                renderer = _Renderer(self._context)
                self._renderers[place] = renderer
            self._jobs[renderer] = self._jobs.get(renderer, 0) + 1
            return renderer

    def _place_with_room(self) -> int | None:
        """Return where the process with the fewest jobs (if any room) is."""
        loads = [
            0 if r is None or r.broken else self._jobs.get(r, 0)
            for r in self._renderers
        ]
        if not loads or min(loads) >= QUEUED_JOBS:
            return None
        return loads.index(min(loads))

    def _give_back(self, renderer: _Renderer) -> None:
        """Count one job of ``renderer`` done; stop it if it is no longer wanted.

        One that died is left in its place and replaced when next taken.
        """
        with self._lock:
            left = self._jobs[renderer] - 1
            if left:
                self._jobs[renderer] = left
            else:
                del self._jobs[renderer]
            unwanted = not left and renderer not in self._renderers
            self._lock.notify_all()
        if unwanted and not renderer.gone():
            renderer.stop()

    def warm(self) -> None:
        """Start every process now.

        A process takes about a second to start and load ReportLab, the
        fonts and the libraries; started early, it does that while the first
        jobs are claimed instead of before they are made.
        """
        with self._lock:
            if self._closed:
                return
            self._renderers = [r or _Renderer(self._context) for r in self._renderers]

    def pids(self) -> list[int]:
        """Return the process ids of the render processes started so far."""
        with self._lock:
            renderers = {r for r in self._renderers if r is not None} | set(self._jobs)
        return sorted(r.process.pid for r in renderers if r.process.pid is not None)

    def resize(self, processes: int) -> None:
        """Render in ``processes`` processes from now on.

        Renders in progress finish in their processes; processes beyond the
        new number end as their jobs are done.
        """
        with self._lock:
            self.processes = max(1, processes)
            kept = self._renderers[: self.processes]
            surplus = self._renderers[self.processes :]
            self._renderers = kept + [None] * (self.processes - len(kept))
            idle = [r for r in surplus if r is not None and not self._jobs.get(r)]
            self._lock.notify_all()
        for renderer in idle:
            renderer.stop()

    def close(self) -> None:
        """Stop the processes once the renders in progress are done."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
            while self._jobs:
                self._lock.wait()
            renderers, self._renderers = self._renderers, []
        for renderer in renderers:
            if renderer is not None and not renderer.gone():
                renderer.stop()
