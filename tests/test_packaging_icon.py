"""The application icon: drawn at every size, and set when the app starts."""

from __future__ import annotations

import gc
import importlib.util
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QIcon, QImage
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from packetstudio.paths import resource
from packetstudio.ui.app import QUIT_AFTER_START, application_icon, run_app
from packetstudio.ui.main_window import MainWindow

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


@pytest.fixture
def isolated_start_up(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Let run_app start in temporary user folders, then undo what it set."""
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv(QUIT_AFTER_START, "1")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    names = qapp.applicationName(), qapp.organizationName()
    threshold = gc.get_threshold()
    yield f"sqlite:///{tmp_path / 'packetstudio.sqlite3'}"

    for handler in set(root.handlers) - set(handlers):
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    qapp.setApplicationName(names[0])
    qapp.setOrganizationName(names[1])
    qapp.setWindowIcon(QIcon())
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_start_up_sets_the_icon_of_the_app_and_its_window(
    qapp: QApplication, isolated_start_up: str
) -> None:
    seen: dict[str, Any] = {}

    def look() -> None:
        windows = [w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)]
        seen["window"] = windows[0].windowIcon()

    # Runs first once the app's event loop starts, with the window shown.
    QTimer.singleShot(0, look)
    assert run_app(isolated_start_up) == 0

    assert sizes_of(qapp.windowIcon()) == set(SIZES)
    assert sizes_of(seen["window"]) == set(SIZES)
