"""The CSV import wizard and the client export action, driven with clicks."""

from __future__ import annotations

import csv
import io
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QWidget,
    QWizard,
)

from packetstudio.clientcsv import load_saved_mapping
from packetstudio.intake import KG_PER_LB, parse_intake
from packetstudio.store import Database
from packetstudio.store.clients import add_client, current_intakes, intake_history
from packetstudio.ui import import_wizard
from packetstudio.ui.import_wizard import ImportWizard, export_clients_csv
from tests.conftest import example

# WORKAROUND: Qt's offscreen platform warns "This plugin does not support
# propagateSizeHints()" (and raise()) when a window is shown; it says nothing
# about the wizard. Every other Qt warning still fails a test.
pytestmark = pytest.mark.qt_log_ignore(r"^This plugin does not support ")

TODAY = date(2025, 6, 1)
FORM = (
    "Timestamp,Full name,Date of birth,Sex,Height,Wt,Which best describes you?,"
    "Goal,How active are you?\n"
    "4/21/2024 10:15:30,Ana Silva,1991-06-02,Female,165 cm,132,General,"
    "Lose weight,Sedentary\n"
    "4/21/2024 11:00:00,Robin Vale,1989-10-10,Other,170 cm,150,General,"
    "Maintain,Sedentary\n"
    "4/22/2024 09:30:00,Maria Lopez,1990-04-21,Female,165 cm,150,General,"
    "Lose weight,Lightly active\n"
)


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "form.csv"
    path.write_text(FORM, encoding="utf-8")
    return path


@pytest.fixture
def wizard(qtbot: Any, sqlite_db: Database, settings: QSettings) -> ImportWizard:
    shown = ImportWizard(sqlite_db, settings, today=TODAY)
    qtbot.addWidget(shown)
    with qtbot.waitExposed(shown):
        shown.show()
    return shown


def find(parent: QWidget, kind: type[Any], name: str) -> Any:
    widget = parent.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name!r}"
    return widget


def press(qtbot: Any, wizard: ImportWizard, button: QWizard.WizardButton) -> None:
    """Click ``button``, then wait for what it started off the GUI thread."""
    qtbot.mouseClick(wizard.button(button), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not wizard.busy, timeout=30_000)


def choose_file(
    qtbot: Any, wizard: ImportWizard, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pick ``path`` with the Choose... button, as a person would."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_: (str(path), "CSV files")
    )
    qtbot.mouseClick(
        find(wizard, QPushButton, "import_browse"), Qt.MouseButton.LeftButton
    )


def combo_for(wizard: ImportWizard, header: str) -> QComboBox:
    table = find(wizard, QTableWidget, "mapping_table")
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == header:
            return find(wizard, QComboBox, f"mapping_combo_{row}")
    raise AssertionError(f"no column {header!r}")


def weight_in_lb(wizard: ImportWizard) -> None:
    """Say that the form's "Wt" column gives the weight in pounds."""
    combo = combo_for(wizard, "Wt")
    combo.setCurrentIndex(combo.findData("weight_lb"))


def preview_rows(wizard: ImportWizard) -> dict[int, tuple[str, str]]:
    """Return row number -> (status text, problems) as the preview shows them."""
    table = find(wizard, QTableWidget, "preview_table")
    rows = {}
    for index in range(table.rowCount()):
        number = int(table.item(index, 0).text())
        widget = table.cellWidget(index, 2)
        status = (
            widget.currentText()
            if isinstance(widget, QComboBox)
            else table.item(index, 2).text()
        )
        rows[number] = (status, table.item(index, 3).text())
    return rows


def test_an_import_with_a_corrected_column_and_a_bad_row(
    qtbot: Any,
    wizard: ImportWizard,
    form: Path,
    sqlite_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choose_file(qtbot, wizard, form, monkeypatch)
    assert find(wizard, QLineEdit, "import_path").text() == str(form)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)

    weight = combo_for(wizard, "Wt")
    assert weight.currentData() == "ignore"
    missing = find(wizard, QLabel, "mapping_missing")
    assert "No column gives Weight" in missing.text()
    weight.setCurrentIndex(weight.findData("weight_lb"))
    assert missing.isHidden()
    press(qtbot, wizard, QWizard.WizardButton.NextButton)

    rows = preview_rows(wizard)
    assert rows[2] == ("Ready", "")
    assert rows[3][0] == "1 problem: not imported"
    assert rows[3][1] == "Sex: 'Other' is not one of the choices (female, male)"
    summary = find(wizard, QLabel, "preview_summary").text()
    assert summary.startswith("2 new clients ready to import")
    press(qtbot, wizard, QWizard.WizardButton.CommitButton)

    assert wizard.currentPage() is wizard.result_page
    assert find(wizard, QLabel, "import_summary").text() == (
        "Added 2 new clients. Updated 0 clients. Skipped 0 duplicates."
    )
    report = form.with_name("form-errors.csv")
    assert str(report) in find(wizard, QLabel, "report_path").text()
    stored = {name: x for _, name, x in current_intakes(sqlite_db)}
    assert set(stored) == {"Ana Silva", "Maria Lopez"}
    assert stored["Ana Silva"].weight_kg == round(132 * KG_PER_LB, 1)
    [problem] = csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig")))
    assert (problem["row"], problem["field"]) == ("3", "sex")


def test_the_corrected_mapping_is_offered_next_time(
    qtbot: Any,
    wizard: ImportWizard,
    form: Path,
    sqlite_db: Database,
    settings: QSettings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    choose_file(qtbot, wizard, form, monkeypatch)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    weight_in_lb(wizard)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    press(qtbot, wizard, QWizard.WizardButton.CommitButton)
    saved = load_saved_mapping(sqlite_db)
    assert saved is not None and saved.columns["Wt"] == "weight_lb"

    again = ImportWizard(sqlite_db, settings, today=TODAY)
    qtbot.addWidget(again)
    again.show()
    assert again.folder() == str(form.parent)
    find(again, QLineEdit, "import_path").setText(str(form))
    press(qtbot, again, QWizard.WizardButton.NextButton)
    assert combo_for(again, "Wt").currentData() == "weight_lb"


def test_duplicates_can_all_be_updated(
    qtbot: Any,
    wizard: ImportWizard,
    form: Path,
    sqlite_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    maria = add_client(sqlite_db, parse_intake(example("general")))
    choose_file(qtbot, wizard, form, monkeypatch)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    weight_in_lb(wizard)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert preview_rows(wizard)[4][0] == f"Skip (already client {maria})"

    qtbot.mouseClick(
        find(wizard, QRadioButton, "duplicates_update"), Qt.MouseButton.LeftButton
    )
    assert preview_rows(wizard)[4][0] == f"Update client {maria}"
    press(qtbot, wizard, QWizard.WizardButton.CommitButton)

    versions = intake_history(sqlite_db, maria)
    assert len(versions) == 2
    assert versions[-1][2].activity_level.value == "lightly_active"


def test_a_file_that_cannot_be_read_keeps_the_first_page(
    qtbot: Any, wizard: ImportWizard, tmp_path: Path
) -> None:
    find(wizard, QLineEdit, "import_path").setText(str(tmp_path / "gone.csv"))
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.file_page
    message = find(wizard, QLabel, "import_file_message").text()
    assert message == f"{tmp_path / 'gone.csv'}: no such file"


def test_export_writes_every_client_where_the_person_chose(
    qtbot: Any,
    sqlite_db: Database,
    settings: QSettings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    add_client(sqlite_db, parse_intake(example("athlete")))
    target = tmp_path / "out" / "clients"
    target.parent.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_: (str(target), "CSV files")
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a[2]))
    parent = QWidget()
    qtbot.addWidget(parent)

    written = export_clients_csv(parent, sqlite_db, settings)

    assert written == target.with_suffix(".csv")
    assert shown == [f"Exported 1 client to {written}"]
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert rows[0]["full_name"] == "Kwame Mensah"
    assert settings.value("export/clients_folder") == str(target.parent)


def test_cancelling_the_export_dialog_writes_nothing(
    qtbot: Any, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_: ("", ""))
    parent = QWidget()
    qtbot.addWidget(parent)
    assert export_clients_csv(parent, sqlite_db) is None


def test_checking_and_importing_run_off_the_gui_thread_behind_a_progress_window(
    qtbot: Any,
    wizard: ImportWizard,
    form: Path,
    sqlite_db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The window stays live while a big file is checked and imported."""
    ran_on: dict[str, threading.Thread] = {}
    release = threading.Event()

    def held(name: str, work: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            ran_on[name] = threading.current_thread()
            assert release.wait(30), "the test never let the work go on"
            return work(*args, **kwargs)

        return run

    monkeypatch.setattr(
        import_wizard, "plan_import", held("plan", import_wizard.plan_import)
    )
    monkeypatch.setattr(
        import_wizard, "apply_import", held("apply", import_wizard.apply_import)
    )
    choose_file(qtbot, wizard, form, monkeypatch)
    press(qtbot, wizard, QWizard.WizardButton.NextButton)
    weight_in_lb(wizard)

    for button, page in (
        (QWizard.WizardButton.NextButton, wizard.preview_page),
        (QWizard.WizardButton.CommitButton, wizard.result_page),
    ):
        release.clear()
        qtbot.mouseClick(wizard.button(button), Qt.MouseButton.LeftButton)
        # The GUI thread goes on: the progress window shows while work waits.
        qtbot.waitUntil(
            lambda: any(
                isinstance(w, QProgressDialog) and w.isVisible()
                for w in QApplication.topLevelWidgets()
            ),
            timeout=10_000,
        )
        assert wizard.busy and not wizard.isEnabled()
        wizard.reject()  # closing now would leave half an import
        assert wizard.isVisible()
        release.set()
        qtbot.waitUntil(lambda p=page: wizard.currentPage() is p, timeout=30_000)
        assert wizard.isEnabled()

    assert {name: t is threading.main_thread() for name, t in ran_on.items()} == {
        "plan": False,
        "apply": False,
    }
    assert {name for _, name, _ in current_intakes(sqlite_db)} == {
        "Ana Silva",
        "Maria Lopez",
    }
