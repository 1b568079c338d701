"""Reference cycles are collected on the GUI thread, never on a pool thread."""

from __future__ import annotations

import gc
import threading
from typing import Any, ClassVar

from packetstudio.ui.collector import GuiThreadCollector


class Cycle:
    """Garbage that only the cyclic collector can free; notes where it was freed."""

    freed_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.current_thread().name)


def allocate_on_a_pool_thread() -> None:
    def churn() -> None:
        for _ in range(5):
            Cycle()
        # Twice the threshold of cyclic garbage: the interpreter would
        # collect here, on this thread, if automatic collection were on.
        for _ in range(2 * gc.get_threshold()[0]):
            loop: list[object] = []
            loop.append(loop)

    thread = threading.Thread(target=churn, name="pool")
    thread.start()
    thread.join()


def test_cycles_made_on_a_pool_thread_are_freed_on_the_gui_thread(qtbot: Any) -> None:
    Cycle.freed_on.clear()

    allocate_on_a_pool_thread()
    assert Cycle.freed_on == [], "nothing is collected off the GUI thread"

    qtbot.waitUntil(lambda: len(Cycle.freed_on) == 5, timeout=3000)
    assert set(Cycle.freed_on) == {threading.current_thread().name}


def test_stopping_hands_collection_back_to_the_interpreter(qtbot: Any) -> None:
    collector = GuiThreadCollector()
    Cycle.freed_on.clear()
    Cycle()

    collector.stop()

    assert Cycle.freed_on == [threading.current_thread().name]
    assert gc.isenabled()
