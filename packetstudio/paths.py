"""Where PacketStudio finds its bundled resources and keeps user data.

Resources (templates, data, fonts, icons, examples) live in ``resources/`` at
the top of the source tree; an installed wheel carries them as
``packetstudio/resources`` and a frozen build next to the executable. User data
(the database, backups, logs) always lives in the platform's per-user folders,
never beside the program.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

import platformdirs

APP_NAME = "PacketStudio"


@cache
def resources_dir() -> Path:
    """Return the folder holding the bundled resources.

    Raises:
        FileNotFoundError: if the installation is missing its resources.
    """
    here = Path(__file__).resolve().parent
    candidates = [here / "resources", here.parent / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        candidates.insert(0, Path(frozen_root) / "resources")
    for candidate in candidates:
        if (candidate / "data").is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(
        f"PacketStudio's resources are missing (looked in {searched})"
    )


def resource(*parts: str) -> Path:
    """Return the path of a bundled resource: ``resource("data", "foods.json")``."""
    return resources_dir().joinpath(*parts)


def user_data_dir() -> Path:
    """Return the per-user data folder, creating it on first use."""
    path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_log_dir() -> Path:
    """Return the per-user log folder, creating it on first use."""
    path = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_cache_dir() -> Path:
    """Return the per-user cache folder (safe to delete), creating it."""
    path = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
