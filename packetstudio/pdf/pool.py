"""Rendering handouts in worker processes, so a batch uses every core.

ReportLab is pure-Python work that holds the GIL: measured here on 2 cores,
two threads render 1.01-1.05x faster than one, two processes 1.91-1.95x.
The queue's threads therefore hand each render to a process and wait for it,
which also keeps the GUI thread free while a batch runs.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from typing import TYPE_CHECKING, Any

from packetstudio.pdf.branding import Branding
from packetstudio.templates.time_limit import TEMPLATE_TIME_LIMIT

if TYPE_CHECKING:
    from packetstudio.pdf.rendered import RenderedHandout

log = logging.getLogger(__name__)


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


def _warm_up() -> None:
    """In a render process: load ReportLab and the fonts before the first job."""
    from packetstudio.pdf.fonts import register_fonts
    from packetstudio.pdf.render import render_handout  # noqa: F401

    register_fonts()


def _render(*args: Any, **kwargs: Any) -> RenderedHandout:
    """In a render process: :func:`~packetstudio.pdf.render.render_handout`.

    Imported here, so that the process handing out renders never loads
    ReportLab itself.
    """
    from packetstudio.pdf.render import render_handout

    return render_handout(*args, **kwargs)


class RenderPoolBroken(OSError):
    """A render process died; the pool was restarted and the job may retry."""


class RenderPool:
    """A pool of processes that render handouts; a drop-in for render_handout.

    Processes start on first use (with the "spawn" method, which is safe
    beside Qt's threads) and are reused; each registers the fonts once.
    """

    def __init__(self, processes: int) -> None:
        self.processes = max(1, processes)
        self._lock = threading.Lock()
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_follow_parent,
            initargs=(os.getpid(),),
        )

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
        """
        with self._lock:
            executor = self._executor
        future = executor.submit(
            _render,
            packet_type,
            content,
            template_source,
            branding,
            client_name,
            as_of,
            time_limit=time_limit,
        )
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart(executor)
            raise RenderPoolBroken("a render process stopped unexpectedly") from None

    def warm(self) -> None:
        """Start every process now, without waiting for them.

        A process takes about a second to start and load ReportLab and the
        fonts; started early, it does that while the first jobs are claimed
        and generated instead of before their first render.
        """
        with self._lock:
            executor = self._executor
        for _ in range(self.processes):
            executor.submit(_warm_up)

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._executor is broken:
                log.warning("A render process died; starting the pool again")
                self._executor = self._start()
        broken.shutdown(wait=False, cancel_futures=True)

    def resize(self, processes: int) -> None:
        """Render in ``processes`` processes from now on.

        Renders already submitted finish in the old processes, which then end.
        """
        with self._lock:
            old, self.processes = self._executor, max(1, processes)
            self._executor = self._start()
        old.shutdown(wait=False)

    def close(self) -> None:
        """Stop the processes once the renders in progress are done."""
        with self._lock:
            self._executor.shutdown(wait=True, cancel_futures=True)
