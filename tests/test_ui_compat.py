"""The PySide6 refcount workaround: long sessions must not abort the app."""

from __future__ import annotations

import subprocess
import sys

import pytest

EMIT_MANY = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel
{setup}
app = QApplication(sys.argv)

class Relay(QObject):
    fired = Signal(int)

relay = Relay()
relay.fired.connect(lambda _: None)
label = QLabel()
for n in range(20_000):
    relay.fired.emit(n)
    label.setText("x")
print("survived")
"""


def run(setup: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", EMIT_MANY.format(setup=setup)],
        capture_output=True,
        text=True,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        check=False,
        timeout=120,
    )


def test_twenty_thousand_signals_and_calls_do_not_abort_the_app() -> None:
    result = run("import packetstudio.ui")
    assert result.returncode == 0, result.stderr[-500:]
    assert "survived" in result.stdout


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="singletons are immortal")
def test_the_workaround_is_still_needed_on_this_pyside_release() -> None:
    """When this fails, PySide6 is fixed: remove ui/compat.py's workaround."""
    result = run("")
    assert result.returncode != 0
    assert "dealloc" in result.stderr
