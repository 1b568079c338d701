"""The frozen bundle built by packaging/build.sh: it runs, prints, renders, starts.

One build (about two minutes) serves every test in this module. Each run of
the bundle gets its own empty user folders, as on a new desk computer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from packetstudio import __version__
from packetstudio.paths import resource
from packetstudio.ui.app import DESKTOP_FILE, QUIT_AFTER_START

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="build.sh builds on Linux"),
]

ROOT = Path(__file__).resolve().parent.parent
INTAKE = ("--intake", str(resource("examples", "general.json")))
NUTRITION = ("--type", "nutrition")
# The only message Qt's offscreen platform prints when a window opens.
OFFSCREEN_NOTE = "This plugin does not support propagateSizeHints()"


@dataclass(frozen=True)
class Bundle:
    folder: Path
    files_when_built: dict[str, tuple[int, int]]

    @property
    def program(self) -> Path:
        return self.folder / "packetstudio"


@dataclass(frozen=True)
class Desk:
    """Empty user folders, and the environment that points the bundle at them."""

    home: Path
    env: dict[str, str]

    @property
    def data(self) -> Path:
        return self.home / "data" / "PacketStudio"

    @property
    def logs(self) -> Path:
        # platformdirs keeps logs in the state folder on Linux.
        return self.home / "state" / "PacketStudio" / "log"


def files_in(folder: Path) -> dict[str, tuple[int, int]]:
    """Return every file under ``folder`` with its size and modification time."""
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Bundle:
    out = tmp_path_factory.mktemp("bundle")
    build = subprocess.run(
        [
            "bash",
            str(ROOT / "packaging" / "build.sh"),
            *("--python", sys.executable),
            *("--dist", str(out / "dist")),
            *("--work", str(out / "work")),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    folder = out / "dist" / "packetstudio"
    return Bundle(folder, files_in(folder))


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("XDG_", "PACKETSTUDIO_"))
    }
    for kind in ("data", "state", "config", "cache"):
        env[f"XDG_{kind.upper()}_HOME"] = str(tmp_path / kind)
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return Desk(tmp_path, env)


def run(
    bundle: Bundle, desk: Desk, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the bundled program; fail with its output if it fails."""
    done = subprocess.run(
        [str(bundle.program), *args],
        env={**desk.env, **env},
        cwd=desk.home,
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def assert_valid_pdf(path: Path) -> None:
    assert path.read_bytes().startswith(b"%PDF")
    assert len(PdfReader(path).pages) >= 1


def test_the_bundle_prints_its_version(bundle: Bundle, desk: Desk) -> None:
    done = run(bundle, desk, "--version")

    assert done.stdout.strip() == f"PacketStudio {__version__}"


def test_the_bundle_writes_a_handout_pdf(bundle: Bundle, desk: Desk) -> None:
    pdf = desk.home / "out.pdf"

    run(bundle, desk, "generate", *INTAKE, *NUTRITION, "--pdf", str(pdf))

    assert_valid_pdf(pdf)


def test_a_queued_packet_is_rendered_by_a_bundled_render_process(
    bundle: Bundle, desk: Desk
) -> None:
    db = ("--db", f"sqlite:///{desk.home / 'desk.sqlite3'}")
    added = run(bundle, desk, *db, "clients", "add", *INTAKE)
    client = ("--client", added.stdout.strip())
    run(bundle, desk, *db, "packets", "enqueue", *client, *NUTRITION)

    worker = run(bundle, desk, *db, "worker", "--processes", "1", "--until-empty")
    out = ("--out", str(desk.home / "handouts"))
    exported = run(bundle, desk, *db, "packets", "export", *client, *out)

    assert "1 ready, 0 failed" in worker.stdout
    pdfs = [Path(line) for line in exported.stdout.splitlines()]
    assert len(pdfs) == 1
    assert_valid_pdf(pdfs[0])


def test_the_app_opens_its_window_and_quits_without_warnings(
    bundle: Bundle, desk: Desk
) -> None:
    done = run(bundle, desk, **{QUIT_AFTER_START: "1"})

    # Start-up logs at INFO to stderr too; anything else is a problem.
    unexpected = [
        line
        for line in done.stderr.splitlines()
        if not line.startswith("INFO ") and line != OFFSCREEN_NOTE
    ]
    assert unexpected == []


def test_the_first_start_keeps_user_data_in_the_user_folders(
    bundle: Bundle, desk: Desk
) -> None:
    run(bundle, desk, **{QUIT_AFTER_START: "1"})

    assert (desk.data / "packetstudio.sqlite3").is_file()
    log = (desk.logs / "packetstudio.log").read_text("utf-8")
    assert f"PacketStudio {__version__} starting" in log


def test_the_installed_command_runs_through_its_link(
    bundle: Bundle, desk: Desk
) -> None:
    prefix = desk.home / "prefix"
    install = ROOT / "packaging" / "linux" / "install.sh"
    dist = ("--dist", str(bundle.folder.parent))
    subprocess.run(
        ["bash", str(install), "--prefix", str(prefix), *dist],
        capture_output=True,
        check=True,
    )

    done = subprocess.run(
        [str(prefix / "bin" / "packetstudio"), "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == f"PacketStudio {__version__}"
    share = prefix / "share"
    assert (share / "applications" / f"{DESKTOP_FILE}.desktop").is_file()
    assert (share / "icons/hicolor/256x256/apps" / f"{DESKTOP_FILE}.png").is_file()


def test_nothing_is_ever_written_into_the_bundle(bundle: Bundle, desk: Desk) -> None:
    # Runs last: every run above would have shown here.
    run(bundle, desk, **{QUIT_AFTER_START: "1"})

    assert files_in(bundle.folder) == bundle.files_when_built
