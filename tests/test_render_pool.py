"""Making packets in worker processes: same packets, errors carried back, recovery."""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from functools import partial
from multiprocessing.connection import wait as connection_wait
from pathlib import Path

import pytest
from pypdf import PdfReader

from packetstudio import pipeline
from packetstudio.generators import NotApplicable, generate
from packetstudio.intake import parse_intake
from packetstudio.making import make_packet
from packetstudio.pdf.branding import Branding
from packetstudio.pdf.pool import RenderPool, RenderPoolBroken, _portable, _Renderer
from packetstudio.pdf.render import render_handout
from packetstudio.queue import jobs
from packetstudio.queue.errors import classify
from packetstudio.queue.jobs import JobStatus
from packetstudio.queue.worker import Worker
from packetstudio.store import Database
from packetstudio.store.clients import add_client
from packetstudio.templates.defaults import default_template
from packetstudio.templates.errors import TemplateFailure
from packetstudio.vocabulary import PacketType
from tests.conftest import example

DAY = date(2026, 12, 3)
WORKOUT = PacketType.WORKOUT


@pytest.fixture(scope="module")
def pool() -> Iterator[RenderPool]:
    rendering = RenderPool(2)
    yield rendering
    rendering.close()


def arguments(template: str | None = None) -> tuple[object, ...]:
    intake = parse_intake(example("general"))
    content = generate(WORKOUT, intake, as_of=DAY).model_dump(mode="json")
    source = template if template is not None else default_template(WORKOUT)
    return ("workout", content, source, Branding(), "Maria Lopez", DAY)


def test_a_pool_renders_the_same_handout_as_the_thread(pool: RenderPool) -> None:
    here = render_handout(*arguments())  # type: ignore[arg-type]
    there = pool(*arguments())  # type: ignore[arg-type]
    assert there.page_count == here.page_count
    pages = PdfReader(io.BytesIO(there.pdf)).pages
    text = "".join(page.extract_text() for page in pages)
    assert "Maria Lopez" in text
    assert f"Page 1 of {here.page_count}" in text


def test_a_template_error_in_a_process_comes_back_with_its_line(
    pool: RenderPool,
) -> None:
    broken = default_template(WORKOUT) + "\n{% if %}\n"
    with pytest.raises(TemplateFailure) as caught:
        pool(*arguments(broken))  # type: ignore[arg-type]
    assert caught.value.lineno is not None


def test_a_render_process_that_died_idle_is_replaced(pool: RenderPool) -> None:
    pool(*arguments())  # type: ignore[arg-type]
    dead = pool.pids()
    for pid in dead:
        os.kill(pid, signal.SIGKILL)
    sentinels = [r.process.sentinel for r in pool._renderers if r is not None]
    assert len(connection_wait(sentinels, timeout=15)) == len(dead)

    # Its death is usually noticed before the next render is sent to it; if
    # not, that one render fails as broken, and the queue retries it.
    try:
        first = pool(*arguments())  # type: ignore[arg-type]
    except RenderPoolBroken:
        first = pool(*arguments())  # type: ignore[arg-type]
    assert first.page_count > 0
    assert not set(dead) & set(pool.pids())


# Ten billion turns of an empty loop: runs until its process is killed.
ENDLESS = (
    "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
)


def test_a_render_process_dying_mid_render_fails_that_render_only(
    pool: RenderPool,
) -> None:
    failed: list[BaseException] = []

    def render_endlessly() -> None:
        try:
            pool(*arguments(ENDLESS), time_limit=60)  # type: ignore[arg-type]
        except BaseException as exc:
            failed.append(exc)

    rendering = threading.Thread(target=render_endlessly)
    rendering.start()
    deadline = time.monotonic() + 30
    while not pool._jobs and time.monotonic() < deadline:
        time.sleep(0.05)  # until the endless render has its process
    time.sleep(0.3)  # and has sent it the render
    busy = [renderer.process.pid for renderer in pool._jobs]
    assert busy
    for pid in busy:
        os.kill(pid, signal.SIGKILL)
    rendering.join(30)

    assert [type(exc) for exc in failed] == [RenderPoolBroken]
    assert pool(*arguments()).page_count > 0  # type: ignore[arg-type]


def test_a_render_process_whose_pool_end_closed_mid_job_ends_quietly(
    capfd: pytest.CaptureFixture[str],
) -> None:
    renderer = _Renderer(multiprocessing.get_context("spawn"))
    renderer.connection.send(("render", arguments(), {}))
    renderer.connection.close()  # the app quit while the job was queued
    renderer.process.join(60)

    assert renderer.process.exitcode == 0
    assert "Traceback" not in capfd.readouterr().err


def make_arguments(packet_type: str, who: str = "general") -> tuple[object, ...]:
    intake = parse_intake(example(who)).to_json_dict()
    source = default_template(PacketType(packet_type))
    return (packet_type, intake, source, Branding(), "Maria Lopez", DAY)


def test_a_pool_makes_the_same_packet_as_the_thread(pool: RenderPool) -> None:
    here = make_packet(*make_arguments("nutrition"))  # type: ignore[arg-type]
    there = pool.make(*make_arguments("nutrition"))  # type: ignore[arg-type]

    assert there.content == here.content
    assert there.generator_version == here.generator_version
    assert there.page_count == here.page_count
    assert PdfReader(io.BytesIO(there.pdf)).pages[0].extract_text() == (
        PdfReader(io.BytesIO(here.pdf)).pages[0].extract_text()
    )


def test_a_refusal_made_in_a_process_is_sorted_as_in_the_thread(
    pool: RenderPool,
) -> None:
    """The queue sorts failures by type, so the type must cross intact."""
    youth_for_an_adult = make_arguments("youth")
    with pytest.raises(NotApplicable) as here:
        make_packet(*youth_for_an_adult)  # type: ignore[arg-type]
    with pytest.raises(NotApplicable) as there:
        pool.make(*youth_for_an_adult)  # type: ignore[arg-type]

    assert str(there.value) == str(here.value)
    assert classify(there.value) == classify(here.value)
    assert classify(there.value).permanent


def test_an_invalid_stored_intake_fails_in_a_process_as_an_invalid_intake(
    pool: RenderPool,
) -> None:
    packet_type, intake, *rest = make_arguments("workout")
    damaged = {**intake, "weight_kg": -3}  # type: ignore[dict-item]

    with pytest.raises(Exception) as failure:
        pool.make(packet_type, damaged, *rest)  # type: ignore[arg-type]

    error = classify(failure.value)
    assert (error.kind, error.permanent) == ("invalid_intake", True)
    assert "weight" in error.message


class _TwoPartError(Exception):
    """An error whose pickle cannot rebuild it (its constructor wants two)."""

    def __init__(self, part: str, other: str) -> None:
        super().__init__(f"{part} and {other}")


def test_an_error_that_cannot_cross_processes_comes_back_named() -> None:
    try:
        raise _TwoPartError("left", "right")
    except _TwoPartError as exc:
        crossed = _portable(exc)

    assert type(crossed) is RuntimeError
    assert str(crossed) == "_TwoPartError: left and right"


def test_an_error_in_a_process_carries_its_traceback_there() -> None:
    try:
        raise KeyError("missing")
    except KeyError as exc:
        crossed = pickle.loads(pickle.dumps(_portable(exc)))

    assert type(crossed) is KeyError
    [note] = crossed.__notes__
    assert note.startswith("In the render process:")
    assert "test_an_error_in_a_process_carries_its_traceback_there" in note


def test_a_worker_rendering_in_processes_makes_ready_packets(
    sqlite_db: Database, pool: RenderPool
) -> None:
    client = add_client(sqlite_db, parse_intake(example("general")))
    jobs.enqueue(sqlite_db, [(client, "nutrition"), (client, "workout")])
    process = partial(pipeline.process, make=pool.make)
    Worker(sqlite_db, threads=2, idle_s=0.02, process=process).run(until_empty=True)
    assert jobs.stats(sqlite_db).counts == {JobStatus.READY: 2}


def test_render_processes_exit_when_their_worker_is_killed(tmp_path: Path) -> None:
    script = (
        "import sys, time\n"
        "from packetstudio.pdf.pool import RenderPool\n"
        "pool = RenderPool(1)\n"
        "pool.warm()\n"
        "print(*pool.pids(), flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True
    ) as worker:
        assert worker.stdout is not None
        children = [int(pid) for pid in worker.stdout.readline().split()]
        assert children
        worker.kill()
        worker.wait(10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in children)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return "Z"


def test_warming_starts_every_process_before_the_first_render() -> None:
    before = set(multiprocessing.active_children())
    warmed = RenderPool(2)
    try:
        warmed.warm()
        started = set(multiprocessing.active_children()) - before
        assert len(started) == 2
        # The warmed processes render as any other.
        handout = warmed(*arguments())
        assert PdfReader(io.BytesIO(handout.pdf)).pages
    finally:
        warmed.close()


HAND_OUT_ONE_RENDER = """
import sys
from datetime import date
from packetstudio.pdf.branding import Branding
from packetstudio.pdf.pool import RenderPool
from packetstudio.templates.defaults import default_template
from packetstudio.templates.errors import TemplateFailure
from packetstudio.vocabulary import PacketType

if __name__ == "__main__":
    pool = RenderPool(1)
    day = date(2026, 12, 3)
    template = default_template(PacketType.WORKOUT)
    intake = {INTAKE!r}
    packet = pool.make("workout", intake, template, Branding(), "Maria Lopez", day)
    assert packet.content["weekly_schedule"], packet.content
    assert packet.pdf.startswith(b"%PDF") and packet.page_count > 1
    content = packet.content
    made = pool("workout", content, template, Branding(), "Maria Lopez", day)
    assert made.pdf.startswith(b"%PDF") and made.page_count > 1, made
    try:
        pool("workout", content, "{{ broken", Branding(), "Maria Lopez", day)
    except TemplateFailure:
        pass
    else:
        raise AssertionError("a broken template rendered")
    pool.close()
    heavy = ("reportlab", "pydantic", "packetstudio.generators")
    loaded = sorted(m for m in sys.modules if m.startswith(heavy))
    assert not loaded, loaded
"""


def test_the_process_handing_out_packets_never_loads_reportlab_or_generators(
    tmp_path: Path,
) -> None:
    """A worker's or the app's own process gets packets back without making them."""
    script = tmp_path / "hand_out.py"
    intake = parse_intake(example("general")).to_json_dict()
    source = HAND_OUT_ONE_RENDER.replace("{INTAKE!r}", repr(intake))
    script.write_text(source, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_resizing_stops_the_processes_beyond_the_new_size() -> None:
    resized = RenderPool(2)
    try:
        resized.warm()
        assert len(resized.pids()) == 2
        resized.resize(1)
        assert len(resized.pids()) == 1
        assert resized(*arguments()).page_count > 0  # type: ignore[arg-type]
        resized.resize(3)
        resized.warm()
        assert len(resized.pids()) == 3
    finally:
        resized.close()
    assert resized.pids() == []
    with pytest.raises(RenderPoolBroken, match="stopped"):
        resized(*arguments())  # type: ignore[arg-type]


def test_threads_sharing_one_process_each_get_their_own_handout() -> None:
    """A process holds the next job while it renders one; answers stay in line."""
    shared = RenderPool(1)
    names = [f"Client {letter}" for letter in "ABCDEFGH"]
    made: dict[str, str] = {}

    def render_for(name: str) -> None:
        packet_type, content, source, branding, _, day = arguments()
        named = (packet_type, content, source, branding, name, day)
        handout = shared(*named)  # type: ignore[arg-type]
        made[name] = PdfReader(io.BytesIO(handout.pdf)).pages[0].extract_text()

    try:
        threads = [threading.Thread(target=render_for, args=(n,)) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert len(shared.pids()) == 1
    finally:
        shared.close()
    assert sorted(made) == names
    for name, text in made.items():
        others = [other for other in names if other != name]
        assert name in text and not any(other in text for other in others)
