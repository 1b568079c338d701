"""The settings dialog: the gym's branding, this desk's preferences, the queue.

Branding and the queue's retention are stored in the database, so every front
desk sharing it prints the same handouts. Units for the intake form, the
output folder and the number of worker threads belong to this computer and
are kept in its QSettings.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QColor, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from packetstudio.pdf.branding import Branding
from packetstudio.store.database import Database
from packetstudio.store.settings import (
    KEEP_DAYS_RANGE,
    SettingError,
    job_keep_days,
    load_branding,
    save_branding,
    save_job_keep_days,
)
from packetstudio.ui.labels import error_colour

log = logging.getLogger(__name__)

UNITS_KEY = "units"
FOLDER_KEY = "export/folder"
THREADS_KEY = "queue/threads"
DEFAULT_THREADS = 2
MAX_THREADS = 8
LOGO_PREVIEW = (200, 80)
TEXT_FIELDS = (
    ("gym_name", "&Gym name"),
    ("address", "&Address"),
    ("phone", "P&hone"),
    ("website", "&Website"),
    ("coach_name", "&Coach names"),
)


def desk_threads(settings: QSettings) -> int:
    """Return this computer's number of worker threads (1 to 8)."""
    try:
        threads = int(str(settings.value(THREADS_KEY, DEFAULT_THREADS)))
    except ValueError:
        return DEFAULT_THREADS
    return min(max(threads, 1), MAX_THREADS)


class SettingsDialog(QDialog):
    """Edit the settings; Save stores them, and they apply to the next packet.

    Signals:
        threads_changed(count): this desk's worker threads were changed.
        units_changed(units): the intake form's units were changed.
        regenerate_requested(): make every existing packet again.
    """

    threads_changed = Signal(int)
    units_changed = Signal(str)
    regenerate_requested = Signal()

    def __init__(
        self, db: Database, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.db = db
        self.settings = settings
        self.branding = load_branding(db)
        self._logo: Path | None = self.branding.logo_path
        self.errors: dict[str, QLabel] = {}
        tabs = QTabWidget()
        tabs.addTab(self._gym_tab(), "Gym and &handouts")
        tabs.addTab(self._desk_tab(), "This &desk")
        tabs.addTab(self._queue_tab(), "&Queue")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save
            | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.buttons)
        self._check()

    # -- building --------------------------------------------------------

    def _error_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(f"{name}_error")
        label.setWordWrap(True)
        label.setStyleSheet(f"color: {error_colour().name()}")
        label.hide()
        self.errors[name] = label
        return label

    def _add_row(self, form: QFormLayout, name: str, text: str, field: QWidget) -> None:
        """Add a labelled field with its error line; the label names the field."""
        label = QLabel(text)
        label.setBuddy(field)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(field)
        column.addWidget(self._error_label(name))
        form.addRow(label, column)

    def _gym_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.text_fields: dict[str, QLineEdit] = {}
        for name, text in TEXT_FIELDS:
            edit = QLineEdit(getattr(self.branding, name))
            edit.setObjectName(name)
            edit.textChanged.connect(self._check)
            self.text_fields[name] = edit
            self._add_row(form, name, text, edit)
        self.text_fields["coach_name"].setPlaceholderText("For example: Sam, Alex")
        self.text_fields["website"].setPlaceholderText("www.example.com")

        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("logo_preview")
        self.logo_preview.setMinimumSize(*LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.choose_logo_button = QPushButton("Choose &logo...")
        self.choose_logo_button.setObjectName("choose_logo")
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton("&Remove logo")
        self.remove_logo_button.setObjectName("remove_logo")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addStretch()
        logo_row.addLayout(logo_buttons)
        logo_box = QWidget()
        logo_box.setLayout(logo_row)
        logo_box.setFocusProxy(self.choose_logo_button)
        self._add_row(form, "logo_path", "Logo (PNG or JPEG)", logo_box)
        self._show_logo()

        self.colour = QLineEdit(self.branding.brand_colour)
        self.colour.setObjectName("brand_colour")
        self.colour.setInputMask("\\#HHHHHH")
        self.colour.textChanged.connect(self._check)
        self.colour_swatch = QLabel()
        self.colour_swatch.setFixedSize(28, 20)
        self.colour_button = QPushButton("C&hoose...")
        self.colour_button.setObjectName("choose_colour")
        self.colour_button.clicked.connect(self.choose_colour)
        colour_row = QHBoxLayout()
        colour_row.setContentsMargins(0, 0, 0, 0)
        colour_row.addWidget(self.colour_swatch)
        colour_row.addWidget(self.colour, 1)
        colour_row.addWidget(self.colour_button)
        colour_box = QWidget()
        colour_box.setLayout(colour_row)
        colour_box.setFocusProxy(self.colour)
        self._add_row(form, "brand_colour", "Brand &colour", colour_box)

        self.paper = QComboBox()
        self.paper.setObjectName("paper")
        self.paper.addItem("US Letter", "letter")
        self.paper.addItem("A4", "a4")
        self.paper.setCurrentIndex(self.paper.findData(self.branding.paper))
        self._add_row(form, "paper", "&Paper size", self.paper)

        self.handout_units = QComboBox()
        self.handout_units.setObjectName("handout_units")
        self.handout_units.addItem("Metric (kg, litres)", "metric")
        self.handout_units.addItem("Imperial (lb, fl oz)", "imperial")
        index = self.handout_units.findData(self.branding.units)
        self.handout_units.setCurrentIndex(index)
        self._add_row(form, "units", "Handout &units", self.handout_units)

        self.regenerate = QCheckBox(
            "Re&generate every existing packet with these settings on Save"
        )
        self.regenerate.setObjectName("regenerate")
        form.addRow(self.regenerate)
        return page

    def _desk_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.form_units = QComboBox()
        self.form_units.setObjectName("form_units")
        self.form_units.addItem("Metric (cm, kg)", "metric")
        self.form_units.addItem("Imperial (ft and in, lb)", "imperial")
        units = str(self.settings.value(UNITS_KEY, "metric"))
        self.form_units.setCurrentIndex(max(0, self.form_units.findData(units)))
        self._add_row(form, "form_units", "Intake form &units", self.form_units)

        self.folder = QLineEdit(str(self.settings.value(FOLDER_KEY, str(Path.home()))))
        self.folder.setObjectName("output_folder")
        self.folder.textChanged.connect(self._check)
        browse = QPushButton("&Browse...")
        browse.setObjectName("browse_folder")
        browse.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        folder_box = QWidget()
        folder_box.setLayout(folder_row)
        folder_box.setFocusProxy(self.folder)
        self._add_row(form, "output_folder", "&Output folder", folder_box)

        self.threads = QSpinBox()
        self.threads.setObjectName("threads")
        self.threads.setRange(1, MAX_THREADS)
        self.threads.setValue(desk_threads(self.settings))
        self.threads.setToolTip(
            f"How many packets this computer makes at once ({os.cpu_count() or 1} "
            "processor cores here; more than that does not go faster)"
        )
        self._add_row(form, "threads", "Worker &threads", self.threads)
        return page

    def _queue_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.keep_days = QSpinBox()
        self.keep_days.setObjectName("keep_days")
        self.keep_days.setRange(*KEEP_DAYS_RANGE)
        self.keep_days.setSuffix(" days")
        self.keep_days.setValue(job_keep_days(self.db))
        self._add_row(
            form, "keep_days", "&Keep finished job records for", self.keep_days
        )
        note = QLabel(
            "Packets themselves are always kept; this only clears the queue's "
            "history of finished jobs."
        )
        note.setWordWrap(True)
        form.addRow(note)
        return page

    # -- choosing ----------------------------------------------------------

    @Slot()
    def choose_logo(self) -> None:
        start = str(self._logo.parent) if self._logo else str(Path.home())
        name, _ = QFileDialog.getOpenFileName(
            self, "Choose the gym's logo", start, "Images (*.png *.jpg *.jpeg)"
        )
        if name:
            self._logo = Path(name)
            self._show_logo()
            self._check()

    @Slot()
    def remove_logo(self) -> None:
        self._logo = None
        self._show_logo()
        self._check()

    def _show_logo(self) -> None:
        self.remove_logo_button.setEnabled(self._logo is not None)
        if self._logo is None:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText("No logo: the gym's initials are used")
            return
        picture = QPixmap(str(self._logo))
        if picture.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self._logo.name)
            return
        self.logo_preview.setPixmap(
            picture.scaled(
                *LOGO_PREVIEW,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    @Slot()
    def choose_colour(self) -> None:
        colour = QColorDialog.getColor(
            QColor(self.colour.text()), self, "Choose the brand colour"
        )
        if colour.isValid():
            self.colour.setText(colour.name().upper())

    @Slot()
    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Folder for exported packets", self.folder.text()
        )
        if folder:
            self.folder.setText(folder)

    # -- checking and saving -------------------------------------------------

    def edited_branding(self) -> Branding:
        """Return the branding as edited.

        Raises:
            ValueError: naming the first wrong field, "brand_colour: ...".
        """
        values: dict[str, Any] = {
            name: edit.text().strip() for name, edit in self.text_fields.items()
        }
        return replace(
            Branding(
                **values,
                brand_colour=self.colour.text().upper(),
                paper=self.paper.currentData(),
                units=self.handout_units.currentData(),
            ),
            logo_path=self._logo,
        )

    def problems(self) -> dict[str, str]:
        """Return each wrong field's message, by field name."""
        found: dict[str, str] = {}
        for name, edit in self.text_fields.items():
            try:
                Branding(**{name: edit.text().strip()})  # type: ignore[arg-type]
            except ValueError as exc:
                found[name] = _message(exc)
        try:
            Branding(brand_colour=self.colour.text().upper())
        except ValueError as exc:
            found["brand_colour"] = _message(exc)
        if self._logo is not None and not self._logo.is_file():
            found["logo_path"] = f"The logo file {self._logo} does not exist."
        folder = Path(self.folder.text().strip()).expanduser()
        if not self.folder.text().strip():
            found["output_folder"] = "Choose a folder for exported packets."
        elif not folder.is_dir():
            found["output_folder"] = f"There is no folder {folder}; choose another."
        return found

    @Slot()
    def _check(self) -> None:
        found = self.problems()
        for name, label in self.errors.items():
            label.setText(found.get(name, ""))
            label.setVisible(name in found)
        if QColor.isValidColorName(self.colour.text()):
            self.colour_swatch.setStyleSheet(
                f"background: {self.colour.text()}; border: 1px solid palette(mid)"
            )
        self.save_button.setEnabled(not found)

    @Slot()
    def save(self) -> None:
        """Store the settings and close; a refused logo keeps the dialog open."""
        if self.problems():
            return
        branding = self.edited_branding()
        try:
            save_branding(self.db, branding)
        except SettingError as exc:
            self._show_problem("logo_path", _message(exc))
            return
        save_job_keep_days(self.db, self.keep_days.value())
        units = self.form_units.currentData()
        if units != self.settings.value(UNITS_KEY, "metric"):
            self.settings.setValue(UNITS_KEY, units)
            self.units_changed.emit(units)
        self.settings.setValue(FOLDER_KEY, str(Path(self.folder.text()).expanduser()))
        if self.threads.value() != desk_threads(self.settings):
            self.settings.setValue(THREADS_KEY, self.threads.value())
            self.threads_changed.emit(self.threads.value())
        self.settings.sync()
        log.info("Settings saved")
        if self.regenerate.isChecked():
            self.regenerate_requested.emit()
        self.accept()

    def _show_problem(self, name: str, message: str) -> None:
        self.errors[name].setText(message)
        self.errors[name].show()


def _message(exc: Exception) -> str:
    """Turn "brand_colour: too light..." into a sentence for beside the field."""
    text = str(exc)
    _field, _, words = text.partition(": ")
    words = words or text
    return words[:1].upper() + words[1:]
