"""The application icon: drawn at every size, and set when the app starts."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from packetstudio.paths import resource
from packetstudio.ui.app import QUIT_AFTER_START, application_icon

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def sizes_of(icon: QIcon) -> set[int]:
    return {size.width() for size in icon.availableSizes()}


def test_every_icon_size_is_a_square_png_of_that_size(qapp: QApplication) -> None:
    for size in SIZES:
        image = QImage(str(resource("icons", f"packetstudio-{size}.png")))

        assert image.size() == QSize(size, size)
        assert image.hasAlphaChannel()


def test_the_application_icon_loads_with_every_size(qapp: QApplication) -> None:
    icon = application_icon()

    assert not icon.isNull()
    assert sizes_of(icon) == set(SIZES)


def test_the_pngs_are_drawn_from_the_current_svg(qapp: QApplication) -> None:
    make_icons = load_make_icons()
    renderer = QSvgRenderer(str(make_icons.SOURCE))

    for size in (16, 64):
        drawn = make_icons.render(renderer, size)
        kept = QImage(str(make_icons.png_path(size))).convertToFormat(drawn.format())
        # Within rounding, so that another Qt version's anti-aliasing passes.
        assert difference(drawn, kept) < 2, "run packaging/make_icons.py"


def load_make_icons() -> Any:
    path = Path(__file__).resolve().parent.parent / "packaging" / "make_icons.py"
    spec = importlib.util.spec_from_file_location("make_icons", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def difference(first: QImage, second: QImage) -> float:
    """Return the mean difference of two images' channels, from 0 to 255."""
    assert first.size() == second.size()
    total = 0
    for y in range(first.height()):
        for x in range(first.width()):
            a, b = first.pixelColor(x, y), second.pixelColor(x, y)
            total += abs(a.red() - b.red()) + abs(a.green() - b.green())
            total += abs(a.blue() - b.blue()) + abs(a.alpha() - b.alpha())
    return total / (4 * first.width() * first.height())


# Starts the app the way the desktop does, in a process of its own (run_app
# runs and quits the event loop, which must not happen inside the test
# process), and prints the icon sizes of the app and of its main window.
START_UP = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from packetstudio.ui.app import run_app
from packetstudio.ui.main_window import MainWindow

app = QApplication(sys.argv)
seen = {}

def look():
    [window] = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    seen["window"] = sorted(s.width() for s in window.windowIcon().availableSizes())

QTimer.singleShot(0, look)
status = run_app(sys.argv[1])
seen["app"] = sorted(s.width() for s in app.windowIcon().availableSizes())
print(json.dumps(seen))
sys.exit(status)
"""


def test_start_up_sets_the_icon_of_the_app_and_its_window(tmp_path: Path) -> None:
    env = os.environ | {QUIT_AFTER_START: "1", "QT_QPA_PLATFORM": "offscreen"}
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        env[name] = str(tmp_path / name.lower())
    url = f"sqlite:///{tmp_path / 'packetstudio.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-c", START_UP, url],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"app": list(SIZES), "window": list(SIZES)}
