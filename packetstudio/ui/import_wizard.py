"""The CSV import wizard and the client export action.

Four pages: choose the file, match its columns to intake fields, check every
row, and see what was imported. All the reading, matching and validating is
:mod:`packetstudio.clientcsv`'s; the pages only show its results and collect
the person's corrections. The corrected column mapping is saved in the
database for the next import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from packetstudio.clientcsv import (
    CsvReadError,
    CsvTable,
    DuplicateChoice,
    ImportConflict,
    ImportMapping,
    ImportPlan,
    ImportResult,
    PlannedRow,
    RowStatus,
    apply_import,
    default_report_path,
    load_saved_mapping,
    plan_import,
    read_csv,
    remember_mapping,
    write_clients_csv,
    write_report,
)
from packetstudio.clientcsv.answers import DateOrder
from packetstudio.clientcsv.reading import describe_format
from packetstudio.clientcsv.targets import IGNORE, TARGETS, target_label
from packetstudio.store.database import Database
from packetstudio.ui.background import Background
from packetstudio.ui.intake_widgets import muted_label
from packetstudio.ui.labels import error_colour, ok_colour
from packetstudio.ui.messages import show_error, show_info
from packetstudio.vocabulary import ActivityLevel, ClientType, Goal, label

log = logging.getLogger(__name__)

FOLDER_KEY = "import/folder"
EXPORT_FOLDER_KEY = "export/clients_folder"
CSV_FILTER = "CSV files (*.csv *.txt);;All files (*)"
# Choices a form often does not ask, answered once for every row instead.
DEFAULTABLE: tuple[tuple[str, type[StrEnum]], ...] = (
    ("client_type", ClientType),
    ("goal", Goal),
    ("activity_level", ActivityLevel),
)


# Planning or importing that takes longer than this shows a progress window.
PROGRESS_AFTER_MS = 400


@contextmanager
def _busy() -> Iterator[None]:
    """Show a wait cursor while the GUI thread reads or writes."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def _wrapped(text: str = "") -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


class ImportWizard(QWizard):
    """Import clients from a CSV export of an online intake form.

    Attributes:
        table: the file as read, once the first page is done.
        plan: what importing each row would do, from the mapping page on.
        outcome: what the import did, once it ran.

    Signals:
        imported(created, updated): the import ran; how many clients were
            added and how many got a new intake version.
    """

    imported = Signal(int, int)

    def __init__(
        self,
        db: Database,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        """Build the wizard.

        Args:
            settings: where the last folder used is remembered.
            today: the day ages are judged on (tests fix it).
        """
        super().__init__(parent)
        self.db = db
        self.settings = settings
        self.today = today
        self.table: CsvTable | None = None
        self.source: Path | None = None
        self.start_mapping = ImportMapping()
        self.plan: ImportPlan | None = None
        self.outcome: ImportResult | None = None
        self.report: Path | None = None
        # Planning and importing run here, off the GUI thread.
        self.background = Background(self)
        self.busy = False
        self._progress: QProgressDialog | None = None
        self.setObjectName("import_wizard")
        self.setWindowTitle("Import clients from CSV")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (
            self.file_page,
            self.mapping_page,
            self.preview_page,
            self.result_page,
        ):
            self.addPage(page)
        self.resize(900, 620)

    def work_then_next(
        self,
        doing: str,
        work: Callable[[], Any],
        done: Callable[[Any], bool],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Run ``work`` off the GUI thread, then go on to the next page.

        ``done`` gets the result on the GUI thread and says whether to go
        on; ``failed`` gets what ``work`` raised. Meanwhile a progress
        window says what is happening (after a moment, so that quick work
        does not flash one) and the wizard takes no clicks.
        """
        self.busy = True
        self.setEnabled(False)
        progress = QProgressDialog(doing, "", 0, 0, self)
        progress.setObjectName("import_progress")
        progress.setWindowTitle(self.windowTitle())
        progress.setCancelButton(None)  # half an import cannot be undone
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.reset()  # not shown until the timer below says so
        self._progress = progress
        QTimer.singleShot(PROGRESS_AFTER_MS, self._show_progress)

        def finish() -> None:
            self.busy = False
            self._progress = None
            progress.close()
            progress.deleteLater()
            self.setEnabled(True)

        def succeeded(result: Any) -> None:
            finish()
            if done(result):
                self.next()

        def failed_with(exc: BaseException) -> None:
            finish()
            failed(exc)

        self.background.run(work, succeeded, failed_with)

    @Slot()
    def _show_progress(self) -> None:
        if self._progress is not None:
            self._progress.show()

    def done(self, result: int) -> None:
        """Close, unless planning or importing is still running."""
        if self.busy:
            return
        self.background.stop()
        super().done(result)

    def folder(self) -> str:
        """Return the folder the file dialog opens in."""
        if self.settings is None:
            return str(Path.home())
        return str(self.settings.value(FOLDER_KEY, str(Path.home())))

    def remember_folder(self, path: Path) -> None:
        if self.settings is not None:
            self.settings.setValue(FOLDER_KEY, str(path.parent))


class FilePage(QWizardPage):
    """Page 1: choose the CSV file; it is read when the person goes on."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("import_file_page")
        self.setTitle("Choose the file")
        self.setSubTitle(
            "Export the answers of your online form (Google Forms, Typeform, "
            "JotForm) as a CSV file, then choose it here."
        )
        self.path = QLineEdit()
        self.path.setObjectName("import_path")
        self.path.setAccessibleName("CSV file to import")
        self.path.setPlaceholderText("A .csv file")
        self.browse = QPushButton("&Choose...")
        self.browse.setObjectName("import_browse")
        self.message = _wrapped()
        self.message.setObjectName("import_file_message")
        line = QHBoxLayout()
        line.addWidget(self.path, 1)
        line.addWidget(self.browse)
        layout = QVBoxLayout(self)
        layout.addLayout(line)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.browse.clicked.connect(self._choose)
        self.path.textChanged.connect(self.completeChanged)

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    @Slot()
    def _choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Choose a CSV file", self.owner.folder(), CSV_FILTER
        )
        if chosen:
            self.path.setText(chosen)

    def validatePage(self) -> bool:
        """Read the file and the saved mapping; stay here on any problem."""
        path = Path(self.path.text().strip())
        try:
            with _busy():
                table = read_csv(path)
                saved = load_saved_mapping(self.owner.db)
        except CsvReadError as exc:
            self._refuse(str(exc))
            return False
        except Exception as exc:  # shown to the user, with details for bugs
            show_error(self, "Cannot read the file", exc)
            return False
        if not table.rows:
            self._refuse(f"{path.name} has a header row but no answers.")
            return False
        self.message.clear()
        self.owner.remember_folder(path)
        if table is not self.owner.table:
            self.owner.table = table
            self.owner.source = path
            self.owner.start_mapping = saved or ImportMapping()
        return True

    def _refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {error_colour().name()};")


class MappingPage(QWizardPage):
    """Page 2: which intake field each column gives, pre-filled by guessing.

    Going on plans the import against the database, so the next page can
    show every row's outcome.
    """

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._planned = False  # the plan is made; the wizard may go on
        self._shown: CsvTable | None = None
        self.combos: list[QComboBox] = []
        self.setObjectName("import_mapping_page")
        self.setTitle("Match the columns")
        self.setSubTitle(
            "PacketStudio guessed which intake field each column of your form "
            "gives. Correct any that are wrong; your choices are remembered "
            "for the next import."
        )
        self.format = muted_label()
        self.format.setObjectName("import_format")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("mapping_table")
        self.table.setAccessibleName("Columns of the file and their intake fields")
        self.table.setHorizontalHeaderLabels(
            ["Column in the file", "First answer", "Intake field"]
        )
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # Only the combos take input; a focus frame on a header cell confuses.
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.missing = _wrapped()
        self.missing.setObjectName("mapping_missing")
        self.date_order = QComboBox()
        self.date_order.setObjectName("date_order")
        self.date_order.setAccessibleName("How dates are written")
        self.date_order.addItem("Work it out from the file", None)
        self.date_order.addItem("Day first (31/12/1990)", DateOrder.DAY_FIRST)
        self.date_order.addItem("Month first (12/31/1990)", DateOrder.MONTH_FIRST)
        self.defaults = {key: _default_combo(key, kind) for key, kind in DEFAULTABLE}
        self._layout()
        self.date_order.currentIndexChanged.connect(self._show_missing)
        for combo in self.defaults.values():
            combo.currentIndexChanged.connect(self._show_missing)

    def _layout(self) -> None:
        options = QFormLayout()
        options.addRow("Dates are written:", self.date_order)
        every = QGroupBox("Answers for questions your form does not ask")
        every.setObjectName("defaults_box")
        form = QFormLayout(every)
        for key, combo in self.defaults.items():
            form.addRow(f"{TARGETS[key].label}:", combo)
        lower = QHBoxLayout()
        lower.addLayout(options, 1)
        lower.addWidget(every, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.format)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.missing)
        layout.addLayout(lower)

    def initializePage(self) -> None:
        table = self.owner.table
        if table is None or table is self._shown:
            return  # back and forth keeps the person's corrections
        self._shown = table
        self.format.setText(
            f"{len(table.rows)} rows, {len(table.headers)} columns "
            f"({describe_format(table)})"
        )
        self._fill(table, self.owner.start_mapping.for_headers(table.headers))

    def _fill(self, table: CsvTable, mapping: ImportMapping) -> None:
        self.table.setRowCount(len(table.headers))
        self.combos = []
        for index, header in enumerate(table.headers):
            first = next((r.cells[index] for r in table.rows if r.cells[index]), "")
            self.table.setItem(index, 0, QTableWidgetItem(header))
            sample = QTableWidgetItem(" ".join(first.split())[:80])
            sample.setToolTip(first)
            self.table.setItem(index, 1, sample)
            combo = _target_combo(mapping.target(header))
            combo.setObjectName(f"mapping_combo_{index}")
            combo.setAccessibleName(f"Intake field of the column {header}")
            combo.currentIndexChanged.connect(self._show_missing)
            combo.currentIndexChanged.connect(self._grey_ignored)
            self.table.setCellWidget(index, 2, combo)
            self.combos.append(combo)
        self.table.resizeRowsToContents()
        self._grey_ignored()
        _select_data(self.date_order, mapping.date_order)
        for key, combo in self.defaults.items():
            _select_data(combo, mapping.defaults.get(key))
        self._show_missing()

    @Slot()
    def _grey_ignored(self) -> None:
        """Show ignored columns in the muted colour, so mapped ones stand out."""
        muted = self.palette().color(
            QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
        )
        normal = self.palette().color(QPalette.ColorRole.Text)
        for index, combo in enumerate(self.combos):
            colour = muted if combo.currentData() == IGNORE else normal
            for column in (0, 1):
                item = self.table.item(index, column)
                if item is not None:
                    item.setForeground(colour)

    def mapping(self) -> ImportMapping:
        """Return the mapping as the page shows it now."""
        table = self.owner.table
        headers = table.headers if table is not None else ()
        columns = {
            header: str(combo.currentData())
            for header, combo in zip(headers, self.combos, strict=True)
        }
        defaults = {
            key: str(combo.currentData())
            for key, combo in self.defaults.items()
            if combo.currentData()
        }
        return ImportMapping(columns, self.date_order.currentData(), defaults)

    @Slot()
    def _show_missing(self) -> None:
        missing = self.mapping().missing()
        self.missing.setVisible(bool(missing))
        self.missing.setText(
            "No column gives " + ", ".join(missing) + ": every row would be "
            "rejected. Choose the column that gives it, or an answer for "
            "every row below."
        )
        self.missing.setStyleSheet(f"color: {error_colour().name()};")

    def validatePage(self) -> bool:
        """Plan the import with this mapping, off the GUI thread.

        Returns False while planning runs; once the plan is made the wizard
        goes on by itself, and this returns True for it.
        """
        if self._planned:
            self._planned = False
            return True
        owner = self.owner
        table, mapping = owner.table, self.mapping()
        assert table is not None

        def planned(plan: ImportPlan) -> bool:
            owner.plan = plan
            self._planned = True
            return True

        owner.work_then_next(
            f"Checking {len(table.rows):,} rows...",
            lambda: plan_import(owner.db, table, mapping, today=owner.today),
            planned,
            lambda exc: show_error(self, "Cannot check the rows", exc),
        )
        return False


def _target_combo(current: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(target_label(IGNORE), IGNORE)
    for key, target in TARGETS.items():
        # Numbered injury parts exist for PacketStudio's own export; offer
        # one only where the column is already one.
        if key.startswith("injury_") and key != current:
            continue
        combo.addItem(target.label, key)
    _select_data(combo, current)
    return combo


def _default_combo(key: str, kind: type[StrEnum]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(f"default_{key}")
    combo.setAccessibleName(f"{TARGETS[key].label} for every row")
    combo.addItem("(from the file)", None)
    for member in kind:
        combo.addItem(label(member), member.value)
    return combo


def _select_data(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class PreviewPage(QWizardPage):
    """Page 3: every row with its outcome; duplicates skipped or updated.

    This is the commit page: pressing Import stores the rows, writes the
    report of rejected rows and saves the mapping.
    """

    COLUMNS = ("Row", "Name", "Status", "Problems")

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self._imported = False  # the import ran; the wizard may go on
        self.choices: dict[int, QComboBox] = {}
        self.setObjectName("import_preview_page")
        self.setTitle("Check the rows")
        self.setSubTitle(
            "Rows with problems are not imported; they are listed in a report "
            "file with what to fix. Go back to change the columns."
        )
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.summary = _wrapped()
        self.summary.setObjectName("preview_summary")
        self.notes = _wrapped()
        self.notes.setObjectName("preview_notes")
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("preview_table")
        self.table.setAccessibleName("Rows of the file and what importing does")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(1, 170)
        header.resizeSection(2, 200)
        self.duplicates = self._duplicates_box()
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.notes)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.duplicates)

    def _duplicates_box(self) -> QGroupBox:
        box = QGroupBox("Clients already there (same name and date of birth)")
        box.setObjectName("duplicates_box")
        self.skip_all = QRadioButton("&Skip them")
        self.skip_all.setObjectName("duplicates_skip")
        self.update_all = QRadioButton("&Update them with the new answers")
        self.update_all.setObjectName("duplicates_update")
        self.skip_all.setChecked(True)
        group = QButtonGroup(box)
        group.addButton(self.skip_all)
        group.addButton(self.update_all)
        line = QHBoxLayout(box)
        line.addWidget(self.skip_all)
        line.addWidget(self.update_all)
        line.addStretch(1)
        self.update_all.toggled.connect(self._choose_all)
        return box

    def initializePage(self) -> None:
        plan = self.owner.plan
        assert plan is not None
        self.summary.setText(_summary(plan))
        self.notes.setText("\n".join(plan.notes))
        self.notes.setVisible(bool(plan.notes))
        self.duplicates.setVisible(plan.count(RowStatus.DUPLICATE) > 0)
        self._fill(plan)

    def _fill(self, plan: ImportPlan) -> None:
        self.table.setRowCount(0)
        self.table.setColumnCount(len(self.COLUMNS))
        self.table.setRowCount(len(plan.rows))
        self.choices = {}
        for index, row in enumerate(plan.rows):
            self._fill_row(index, row)
        self.table.resizeRowsToContents()

    def _fill_row(self, index: int, row: PlannedRow) -> None:
        problems = "\n".join(p.message for p in row.problems)
        items = [
            QTableWidgetItem(str(row.number)),
            QTableWidgetItem(row.name),
            QTableWidgetItem(_status_text(row)),
            QTableWidgetItem(problems),
        ]
        if row.status is RowStatus.INVALID:
            items[2].setForeground(error_colour())
        elif row.status is RowStatus.NEW:
            items[2].setForeground(ok_colour())
        items[3].setToolTip(problems)
        for column, item in enumerate(items):
            # Row details start at the top, beside the first problem.
            item.setTextAlignment(
                Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
            )
            self.table.setItem(index, column, item)
        if row.status is RowStatus.DUPLICATE:
            self.table.setCellWidget(index, 2, self._action_combo(row))

    def _action_combo(self, row: PlannedRow) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"duplicate_action_{row.number}")
        combo.setAccessibleName(f"What to do with row {row.number}")
        if row.duplicate_of is not None:
            skip = f"Skip (already client {row.duplicate_of})"
            update = f"Update client {row.duplicate_of}"
        else:
            skip = f"Skip (same as row {row.duplicate_of_row})"
            update = f"Update row {row.duplicate_of_row}'s client"
        combo.addItem(skip, DuplicateChoice.SKIP)
        combo.addItem(update, DuplicateChoice.UPDATE)
        combo.setCurrentIndex(1 if self.update_all.isChecked() else 0)
        self.choices[row.number] = combo
        return combo

    @Slot(bool)
    def _choose_all(self, update: bool) -> None:
        for combo in self.choices.values():
            combo.setCurrentIndex(1 if update else 0)

    def decisions(self) -> dict[int, DuplicateChoice]:
        """Return the choice made for each duplicate row."""
        return {n: DuplicateChoice(c.currentData()) for n, c in self.choices.items()}

    def validatePage(self) -> bool:
        """Write the report, import, and save the mapping, off the GUI thread.

        Returns False while the import runs; once it has, the wizard goes on
        by itself, and this returns True for it. On failure it stays here.
        """
        if self._imported:
            self._imported = False
            return True
        owner = self.owner
        plan = owner.plan
        assert plan is not None and owner.source is not None
        report = (
            default_report_path(owner.source) if plan.count(RowStatus.INVALID) else None
        )
        decisions = self.decisions()

        def run() -> ImportResult:
            if report is not None:
                write_report(plan, report)
            outcome = apply_import(owner.db, plan, decisions)
            remember_mapping(owner.db, plan.mapping)
            return outcome

        def imported(outcome: ImportResult) -> bool:
            owner.report, owner.outcome = report, outcome
            owner.imported.emit(len(outcome.created), len(outcome.updated))
            self._imported = True
            return True

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ImportConflict):
                show_info(self, "Nothing was imported", str(exc))
            else:
                show_error(self, "The import failed", exc)

        owner.work_then_next(
            f"Importing {_count(len(plan.rows), 'row')}...", run, imported, failed
        )
        return False


def _status_text(row: PlannedRow) -> str:
    if row.status is RowStatus.INVALID:
        count = len(row.problems)
        return f"{count} problem{'s' if count > 1 else ''}: not imported"
    if row.status is RowStatus.NEW:
        return "Ready"
    if row.duplicate_of is not None:
        return f"Already client {row.duplicate_of}"
    return f"Same as row {row.duplicate_of_row}"


def _summary(plan: ImportPlan) -> str:
    new = plan.count(RowStatus.NEW)
    duplicates = plan.count(RowStatus.DUPLICATE)
    invalid = plan.count(RowStatus.INVALID)
    return (
        f"{_count(new, 'new client')} ready to import, "
        f"{_count(duplicates, 'client')} already there, "
        f"{_count(invalid, 'row')} with problems."
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


class ResultPage(QWizardPage):
    """Page 4: what the import did, and where the report of rejected rows is."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setObjectName("import_result_page")
        self.setTitle("Import finished")
        self.summary = _wrapped()
        self.summary.setObjectName("import_summary")
        self.report = _wrapped()
        self.report.setObjectName("report_path")
        self.open_report = QPushButton("&Open the report")
        self.open_report.setObjectName("open_report")
        self.open_report.clicked.connect(self._open_report)
        line = QHBoxLayout()
        line.addWidget(self.open_report)
        line.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.report)
        layout.addLayout(line)
        layout.addStretch(1)

    def initializePage(self) -> None:
        result = self.owner.outcome
        assert result is not None
        self.summary.setText(
            f"Added {_count(len(result.created), 'new client')}. "
            f"Updated {_count(len(result.updated), 'client')}. "
            f"Skipped {_count(result.skipped, 'duplicate')}."
        )
        report = self.owner.report
        self.open_report.setVisible(report is not None)
        if report is None:
            self.report.setText("Every row was read without problems.")
            return
        self.report.setText(
            f"{_count(result.rejected, 'row')} with problems "
            f"{'was' if result.rejected == 1 else 'were'} not imported. The "
            f"report lists each problem and what to fix:\n{report}"
        )

    @Slot()
    def _open_report(self) -> None:
        if self.owner.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.owner.report)))


# -- entry points for the main window ------------------------------------------


def import_clients_csv(
    parent: QWidget | None, db: Database, settings: QSettings | None = None
) -> ImportResult | None:
    """Run the import wizard; return what it imported, None if cancelled."""
    wizard = ImportWizard(db, settings, parent)
    wizard.exec()
    return wizard.outcome


def export_clients_csv(
    parent: QWidget | None, db: Database, settings: QSettings | None = None
) -> Path | None:
    """Ask where to save, export every client there; return the file or None."""
    start = str(Path.home())
    if settings is not None:
        start = str(settings.value(EXPORT_FOLDER_KEY, start))
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        "Export clients to CSV",
        str(Path(start) / "clients.csv"),
        CSV_FILTER,
    )
    if not chosen:
        return None
    path = Path(chosen)
    if not path.suffix:
        path = path.with_suffix(".csv")
    try:
        with _busy():
            count = write_clients_csv(db, path)
    except Exception as exc:  # shown to the user, with details for bugs
        show_error(parent, "Export failed", exc)
        return None
    if settings is not None:
        settings.setValue(EXPORT_FOLDER_KEY, str(path.parent))
    show_info(
        parent, "Export finished", f"Exported {_count(count, 'client')} to {path}"
    )
    return path
