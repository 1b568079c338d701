"""The installable package: every module ships, and the core stays free of Qt."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

from packetstudio.intake import parse_intake
from packetstudio.startup import loading
from packetstudio.store import Database
from tests.conftest import example

ROOT = Path(__file__).resolve().parent.parent


def declared_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(config["tool"]["setuptools"]["packages"])


def test_every_package_folder_is_declared_for_installation() -> None:
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "packetstudio").rglob("__init__.py")
    }
    assert found - declared_packages() == set()


def test_migrations_ship_although_their_folders_are_not_packages() -> None:
    versions = ROOT / "packetstudio" / "migrations" / "versions"
    assert {"packetstudio.migrations", "packetstudio.migrations.versions"} <= (
        declared_packages()
    )
    assert list(versions.glob("0001_*.py"))


def test_only_the_ui_package_imports_qt() -> None:
    offenders = []
    for module in (ROOT / "packetstudio").rglob("*.py"):
        if "ui" in module.relative_to(ROOT / "packetstudio").parts[:1]:
            continue
        for line in module.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import PySide6", "from PySide6")):
                offenders.append(f"{module.relative_to(ROOT)}: {stripped}")
    assert offenders == []


# Not needed before the window shows, and together most of a second of
# start-up: they load with the first packet, template or intake form, and
# the ORM soon after the window shows (the client list reads tables).
LATER = ("reportlab", "alembic", "jinja2", "pydantic", "PIL")
LATER_OURS = (
    "packetstudio.generators",
    "packetstudio.pipeline",
    "packetstudio.intake",
    "packetstudio.store.models",
    "sqlalchemy.orm",
)

OPEN_WINDOW = """
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
import packetstudio.cli
from packetstudio.store import Database
from packetstudio.ui.main_window import MainWindow
from packetstudio.ui.runner import QueueRunner

app = QApplication(sys.argv)
db = Database.open(sys.argv[1])
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = MainWindow(db, QueueRunner(db), settings)
window.show()
app.processEvents()
late = [
    m for m in sys.modules
    if m.split(".")[0] in {later} or m.startswith({later_ours})
]
assert not late, late
window.close()
db.close()
"""


def test_opening_the_window_leaves_the_packet_machinery_for_later(
    sqlite_url: str, tmp_path: Path
) -> None:
    """Start-up time: what makes packets is not needed to show the client list."""
    Database.open(sqlite_url).close()  # migrated first: Alembic is for later
    script = OPEN_WINDOW.format(later=LATER, later_ours=LATER_OURS)
    done = subprocess.run(
        [sys.executable, "-c", script, sqlite_url, str(tmp_path / "settings.ini")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr


# The installed command as pip writes it: its entry point imported first, at
# the top of a script that a spawned render process runs again.
COMMAND_SCRIPT = """
import json
import sys
from {module} import {function}

if __name__ == "__main__":
    from packetstudio.pdf.branding import Branding
    from packetstudio.pdf.pool import RenderPool
    from packetstudio.templates.defaults import default_template
    from packetstudio.vocabulary import PacketType

    pool = RenderPool(1)
    source = default_template(PacketType.WORKOUT)
    intake = json.loads(sys.argv[1])
    packet = pool.make("workout", intake, source, Branding(), "Maria Lopez")
    assert packet.page_count > 1
    pool.close()
"""


def test_render_processes_of_the_command_never_load_the_database_layer(
    tmp_path: Path,
) -> None:
    """Start-up of each render process: it imports the command's script again."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    module, function = config["project"]["scripts"]["packetstudio"].split(":")
    script = tmp_path / "packetstudio"
    script.write_text(COMMAND_SCRIPT.format(module=module, function=function))
    intake = parse_intake(example("general")).to_json_dict()

    done = subprocess.run(
        [sys.executable, str(script), json.dumps(intake)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
    )

    assert done.returncode == 0, done.stderr
    # Both processes list what they import on stderr.
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "packetstudio.making" in imported, "the render process was not listed"
    database_layer = ("sqlalchemy", "packetstudio.store", "packetstudio.cli")
    assert not {m for m in imported if m.startswith(database_layer)}


def test_modules_load_without_collector_passes_and_stay_out_of_later_ones() -> None:
    """Start-up: what loading makes lives as long as the program."""
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with loading():
            assert not gc.isenabled()
            made = [[index] for index in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(made)
    finally:
        gc.unfreeze()
