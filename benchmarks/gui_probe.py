"""The child process of benchmarks/bench_startup.py: one app start, measured.

``app`` starts PacketStudio as the ``packetstudio`` command does, through
its entry point (:func:`packetstudio.__main__.main`) with only ``--db``, and
prints ``ready`` once the client list has painted its first rows. It then
types a name into the search box a character at a time and prints, as JSON,
how long each keystroke took until the client model had updated. ``bare``
shows an empty QMainWindow instead and prints ``ready`` after its first
paint: the baseline.

    QT_QPA_PLATFORM=offscreen python -m benchmarks.gui_probe app DB_URL NAME
    QT_QPA_PLATFORM=offscreen python -m benchmarks.gui_probe bare
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QWidget

CLIENT_TABLE = "client_table"


def say(line: str) -> None:
    """Tell the parent process; it reads our output line by line."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


class FirstPaint(QObject):
    """Calls ``then`` once, after the first paint of a widget that has content.

    ``wanted`` says whether a painted widget is the one waited for.
    """

    def __init__(
        self, wanted: Callable[[QObject], bool], then: Callable[[], None]
    ) -> None:
        super().__init__()
        self._wanted = wanted
        self._then = then
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._done
            and event.type() == QEvent.Type.Paint
            and self._wanted(watched)
        ):
            self._done = True
            # After this paint has finished, not while it is running.
            QTimer.singleShot(0, self._then)
        return False


def _is_client_rows(widget: QObject) -> bool:
    """True for the client table's viewport once the model holds rows."""
    view = widget.parent()
    return (
        isinstance(view, QAbstractItemView)
        and view.objectName() == CLIENT_TABLE
        and widget is view.viewport()
        and view.model().rowCount() > 0
    )


def peak_mb() -> float:
    """Return this process's peak resident set since exec, in megabytes."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # not Linux: ru_maxrss is bytes on macOS
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def type_name(window: QWidget, name: str) -> list[float]:
    """Type ``name`` into the search box; return milliseconds per keystroke.

    Each keystroke is timed from the key press until the client model has
    run the search and reset, the work the window's typing pause (it
    searches once typing stops for a moment) schedules after that key.
    """
    search = window.search  # type: ignore[attr-defined]
    search.setFocus()
    times = []
    for char in name:
        start = time.perf_counter()
        QTest.keyClick(search, char)
        window.apply_search()  # type: ignore[attr-defined]
        times.append((time.perf_counter() - start) * 1000)
        QApplication.processEvents()  # let the view lay out and repaint
    return times


def run_app_probe(url: str, names: list[str]) -> int:
    """Start the app on ``url``; report start-up, then search timings."""
    # Imported here so that the bare baseline does not pay for the app's
    # imports.
    from packetstudio.__main__ import main as packetstudio

    app = QApplication(sys.argv)

    def measure() -> None:
        say("ready")
        window = next(
            w for w in app.topLevelWidgets() if w.objectName() == "main_window"
        )
        rows = window.client_model.rowCount()  # type: ignore[attr-defined]
        total = window.client_model.total  # type: ignore[attr-defined]
        keystrokes = []
        for name in names:
            keystrokes.append(type_name(window, name))
            window.search.clear()  # type: ignore[attr-defined]
            window.apply_search()  # type: ignore[attr-defined]
        report = {"rows": rows, "total": total, "keystrokes": keystrokes}
        say(json.dumps(report | {"peak_mb": peak_mb()}))
        window.close()
        app.quit()

    watcher = FirstPaint(_is_client_rows, measure)
    app.installEventFilter(watcher)
    sys.argv = ["packetstudio", "--db", url]
    return packetstudio()


def run_bare_probe() -> int:
    """Show an empty main window; report its first paint."""
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)

    def done() -> None:
        say("ready")
        say(json.dumps({"peak_mb": peak_mb()}))
        window.close()
        app.quit()

    watcher = FirstPaint(lambda widget: widget is window, done)
    app.installEventFilter(watcher)
    window.resize(1280, 760)  # the main window's first size
    window.show()
    return app.exec()


def main() -> int:
    mode, *rest = sys.argv[1:]
    if mode == "bare":
        return run_bare_probe()
    url, *names = rest
    return run_app_probe(url, names)


if __name__ == "__main__":
    sys.exit(main())
