"""What the app does with an exception nothing else caught."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from packetstudio.store.database import DatabaseUnavailable
from packetstudio.ui.app import report_unexpected


def shown_by(report: Any) -> tuple[str, str]:
    """Run ``report`` and return the text and details of the box it opened."""
    seen: list[tuple[str, str]] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append((box.text(), box.detailedText()))
        box.accept()

    QTimer.singleShot(0, read_and_close)
    report()
    assert seen, "no message was shown"
    return seen[0]


def raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:  # with its traceback, as the hook gets it
        return caught


def test_a_bug_is_shown_with_details_to_copy(qtbot: Any, caplog: Any) -> None:
    bug = raised(ValueError("the list is empty"))

    text, details = shown_by(
        lambda: report_unexpected(ValueError, bug, bug.__traceback__)
    )

    assert "did not expect" in text and "Your data is safe" in text
    assert "ValueError: the list is empty" in details and "Traceback" in details
    assert any(r.levelname == "ERROR" for r in caplog.records)


def test_a_problem_of_the_computer_is_said_in_plain_words(qtbot: Any) -> None:
    away = raised(DatabaseUnavailable("The database server gym-server is away."))

    text, details = shown_by(
        lambda: report_unexpected(DatabaseUnavailable, away, away.__traceback__)
    )

    assert text == "The database server gym-server is away."
    assert details == ""
