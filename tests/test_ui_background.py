"""Work run off the GUI thread reports back on the GUI thread, in order."""

from __future__ import annotations

import threading
import time
from typing import Any

from PySide6.QtCore import QObject

from packetstudio.ui.background import Background


def test_outcomes_arrive_on_the_gui_thread_in_the_order_the_work_was_given(
    qtbot: Any,
) -> None:
    background = Background()
    gui = threading.get_ident()
    ran_on: set[int] = set()
    arrived: list[tuple[str, int, int]] = []

    def work(n: int) -> int:
        ran_on.add(threading.get_ident())
        if n % 7 == 3:
            raise ValueError(f"task {n} refused")
        return n * n

    def succeeded(n: int, result: int) -> None:
        arrived.append(("ok", n, result))
        assert threading.get_ident() == gui

    def failed(n: int, exc: BaseException) -> None:
        assert isinstance(exc, ValueError) and str(exc) == f"task {n} refused"
        arrived.append(("failed", n, 0))
        assert threading.get_ident() == gui

    count = 600  # many short tasks: each outcome crosses threads on its own
    for n in range(count):
        background.run(
            lambda n=n: work(n),
            lambda result, n=n: succeeded(n, result),
            lambda exc, n=n: failed(n, exc),
        )
    qtbot.waitUntil(lambda: len(arrived) == count, timeout=20_000)

    assert [n for _, n, _ in arrived] == list(range(count))
    assert all(
        (kind, result) == (("failed", 0) if n % 7 == 3 else ("ok", n * n))
        for kind, n, result in arrived
    )
    assert gui not in ran_on
    assert background.pending == 0


def test_work_asked_for_after_stop_is_not_run(qtbot: Any) -> None:
    background = Background()
    ran: list[int] = []
    background.run(lambda: ran.append(1), lambda _: None, lambda _: None)
    assert background.stop()
    background.run(lambda: ran.append(2), lambda _: None, lambda _: None)
    assert background.wait()
    qtbot.wait(50)
    assert ran == [1]
    assert background.pending == 0


def test_a_background_deleted_with_its_window_skips_the_callbacks(qtbot: Any) -> None:
    window = QObject()
    background = Background(window)
    started = threading.Event()
    finished = threading.Event()
    called: list[object] = []

    def slow() -> str:
        started.set()
        time.sleep(0.3)
        finished.set()
        return "late"

    background.run(slow, called.append, called.append)
    assert started.wait(5)
    window.deleteLater()  # deleted by the event loop while the task runs
    qtbot.wait(600)

    assert finished.is_set()
    assert called == []
