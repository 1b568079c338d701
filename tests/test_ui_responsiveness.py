"""The window stays responsive while a batch of packets is generated.

A 10 ms timer on the GUI thread records the longest wait between its ticks
while every client's packets are queued from the menu and generated. This
machine is shared, so a batch disturbed by other processes may be measured
again, up to three batches; benchmarks/bench_gui.py reports the figures.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from packetstudio import pipeline
from packetstudio.demo import demo_intakes
from packetstudio.intake import parse_intake
from packetstudio.pdf.pool import RenderPool
from packetstudio.queue import jobs
from packetstudio.queue.jobs import JobStatus, QueueConfig
from packetstudio.queue.plan import plan_packets
from packetstudio.queue.worker import job_threads
from packetstudio.store import Database
from packetstudio.store.clients import add_clients
from packetstudio.ui.app import tune_collector
from packetstudio.ui.main_window import MainWindow
from packetstudio.ui.runner import QueueRunner
from packetstudio.ui.stall import StallMeter

BATCH = 200
LONGEST_STALL_S = 0.100  # what a person notices as the window freezing
ATTEMPTS = 3


@pytest.fixture(autouse=True)
def restore_collector() -> Iterator[None]:
    """tune_collector changes the whole process; put it back afterwards."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@pytest.fixture
def pool() -> Iterator[RenderPool]:
    rendering = RenderPool(2)
    yield rendering
    rendering.close()


def longest_stall(qtbot: Any, folder: Path, pool: RenderPool) -> float:
    """Run one batch in a fresh database; return the longest GUI stall (s)."""
    db = Database.open(f"sqlite:///{folder / 'batch.sqlite3'}")
    add_clients(db, [parse_intake(r) for r in demo_intakes(110, seed=8)])
    batch = len(plan_packets(db, None, "all").requests)
    assert batch >= BATCH
    settings = QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)
    runner = QueueRunner(
        db,
        threads=job_threads(2, pool.processes),  # as the app does
        config=QueueConfig(lease_s=30),
        poll_ms=200,
        process=partial(pipeline.process, make=pool.make),
    )
    window = MainWindow(db, runner, settings)
    qtbot.addWidget(window)
    with qtbot.waitExposed(window):
        window.show()
    window.select_client(window.client_model.client_id(0) or 0)
    window.queue_panel.start()
    finished: list[int] = []
    runner.job_finished.connect(lambda job_id, _status: finished.append(job_id))
    tune_collector()
    meter = StallMeter()

    meter.start()
    window.client_view.selectAll()
    window.generate_all_action.trigger()
    runner.start()
    qtbot.waitUntil(lambda: len(finished) == batch, timeout=600_000)
    meter.stop()
    runner.stop()
    window.close()

    assert jobs.stats(db).counts == {JobStatus.READY: batch}
    db.close()
    return meter.longest


@pytest.mark.slow
def test_the_gui_thread_never_stalls_during_a_batch(
    qtbot: Any, tmp_path: Path, pool: RenderPool
) -> None:
    stalls = []
    for attempt in range(ATTEMPTS):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        stalls.append(longest_stall(qtbot, folder, pool))
        if stalls[-1] < LONGEST_STALL_S:
            break
    print(f"longest GUI stalls: {[round(s * 1000) for s in stalls]} ms")
    assert min(stalls) < LONGEST_STALL_S
