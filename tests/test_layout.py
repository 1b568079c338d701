"""The installable package: every module ships, and the core stays free of Qt."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

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


def test_starting_the_app_leaves_reportlab_and_alembic_for_later() -> None:
    """Start-up time: neither is needed before the window shows."""
    check = (
        "import sys, packetstudio.ui.app; "
        "late = [m for m in sys.modules "
        "if m.split('.')[0] in ('reportlab', 'alembic')]; "
        "assert not late, late"
    )
    done = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
