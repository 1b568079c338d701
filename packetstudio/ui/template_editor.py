"""The template editor: edit a packet type's handout template, see it live.

Staff pick a packet type's template, edit it with the variables it may use
beside it, and see the handout re-rendered for a sample or a real client
shortly after they stop typing. Mistakes are shown on their line; only a
template that passes :func:`~packetstudio.store.templates.check_template`
can be saved, as a new version (see docs/templates.md).

Call :func:`open_template_editor` from the main window.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from packetstudio.generators import NotApplicable
from packetstudio.pdf.render import render_handout
from packetstudio.pdf.rendered import RenderedHandout
from packetstudio.store.database import Database
from packetstudio.store.templates import MAX_NOTE, reset_template, save_template
from packetstudio.templates.defaults import default_template
from packetstudio.templates.errors import TemplateFailure
from packetstudio.ui.background import Background
from packetstudio.ui.code_editor import CodeEditor
from packetstudio.ui.jinja_highlighter import JinjaHighlighter
from packetstudio.ui.labels import error_colour, ok_colour
from packetstudio.ui.messages import show_error
from packetstudio.ui.template_diff import DiffDialog
from packetstudio.ui.template_preview import (
    PdfPane,
    PreviewSubject,
    PreviewWork,
    Render,
    SubjectPicker,
)
from packetstudio.ui.template_variables import (
    Variable,
    VariableTree,
    template_variables,
)
from packetstudio.ui.template_versions import TemplateState, VersionsPanel
from packetstudio.vocabulary import PacketType

log = logging.getLogger(__name__)

PREVIEW_DELAY_MS = 400
DEFAULT_SIZE = (1280, 720)
Button = QMessageBox.StandardButton


class TemplateEditor(QDialog):
    """Edits the handout templates, with a live preview and their history.

    Args:
        db: the database the templates are stored in (and clients read from).
        render: renders the preview, with render_handout's arguments: by
            default render_handout on a worker thread; a
            :class:`~packetstudio.pdf.pool.RenderPool` renders in a process.
        parent: the window it belongs to.

    Signals:
        preview_shown(): a preview of the newest text is on screen.
        problem_shown(message): a mistake in the template is shown (and its
            line marked when it has one).
        checked(valid): the newest text passed the template check, or not.
        saved(packet_type, version): a template was stored as a version.
    """

    preview_shown = Signal()
    problem_shown = Signal(str)
    checked = Signal(bool)
    saved = Signal(str, int)

    def __init__(
        self,
        db: Database,
        render: Render = render_handout,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("template_editor")
        self.setWindowTitle("Handout templates")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.packet_type = PacketType.NUTRITION
        self.state: TemplateState | None = None
        self.valid: bool | None = None
        self._preview_failed = False
        self._loading = False
        self._saving = False
        self._save_when_checked = False
        self.work = PreviewWork(db, render, self)
        self.loader = Background(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._build()
        self._connect()
        self._fit_to_screen()
        self.versions.select(self.packet_type, quietly=True)
        self._show_packet_type(self.packet_type)
        self.editor.setFocus()

    # -- building ------------------------------------------------------------

    def _build(self) -> None:
        self.versions = VersionsPanel(self.db)
        self.variables = VariableTree()
        self.variables.setObjectName("template_variables")
        self.variables.setAccessibleName("Variables a template can use")
        self.editor = CodeEditor()
        self.editor.setObjectName("template_text")
        self.editor.setAccessibleName("Template text")
        self.highlighter = JinjaHighlighter(self.editor.document())

        self.title = QLabel("")
        self.title.setObjectName("template_title")
        self.title.setStyleSheet("font-weight: 600;")
        self.title.setBuddy(self.editor)
        self.status = QLabel("")
        self.status.setObjectName("template_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.picker = SubjectPicker(self.db)
        self.preview = PdfPane()

        self.diff_button = self._button("&Differences from the default...", "diff")
        self.reset_button = self._button("Reset to de&fault...", "reset")
        self.revert_button = self._button("&Revert", "revert")
        self.save_button = self._button("&Save", "save")
        self.save_button.setToolTip("Save as a new version (Ctrl+S)")
        self.close_button = self._button("Close", "close")

        self._lay_out()
        self._set_tab_order()

    def _fit_to_screen(self) -> None:
        width, height = DEFAULT_SIZE
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, room.width() - 40)
            height = min(height, room.height() - 60)
        self.resize(width, height)

    def _button(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        return button

    def _lay_out(self) -> None:
        variables_label = QLabel("&Variables")
        variables_label.setBuddy(self.variables)
        left = QWidget()
        side = QVBoxLayout(left)
        side.setContentsMargins(0, 0, 4, 0)
        side.addWidget(self.versions, 2)
        side.addWidget(variables_label)
        side.addWidget(self.variables, 3)

        middle = QWidget()
        centre = QVBoxLayout(middle)
        centre.setContentsMargins(4, 0, 4, 0)
        centre.addWidget(self.title)
        centre.addWidget(self.editor, 1)
        centre.addWidget(self.status)

        right = QWidget()
        preview = QVBoxLayout(right)
        preview.setContentsMargins(4, 0, 0, 0)
        preview.addWidget(self.picker)
        preview.addWidget(self.preview.pages)
        preview.addWidget(self.preview, 1)

        self.columns = QSplitter(Qt.Orientation.Horizontal)
        self.columns.setObjectName("template_columns")
        self.columns.setChildrenCollapsible(False)
        for column, stretch in ((left, 2), (middle, 5), (right, 4)):
            self.columns.addWidget(column)
            self.columns.setStretchFactor(self.columns.indexOf(column), stretch)
        self.columns.setSizes([270, 580, 430])

        buttons = QHBoxLayout()
        buttons.addWidget(self.diff_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch()
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.columns, 1)
        layout.addLayout(buttons)

    def _set_tab_order(self) -> None:
        order = [
            self.versions.types,
            self.versions.history,
            self.variables,
            self.editor,
            self.picker.combo,
            self.picker.search,
            self.preview.view,
            self.diff_button,
            self.reset_button,
            self.revert_button,
            self.save_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.editor.textChanged.connect(self._edited)
        self._timer.timeout.connect(self._submit)

        self.variables.insert_requested.connect(self.editor.insert_at_cursor)
        self.versions.type_chosen.connect(self._type_chosen)
        self.versions.version_opened.connect(self._open_version)
        self.picker.subject_changed.connect(self._subject_changed)

        self.work.rendered.connect(self._rendered)
        self.work.render_failed.connect(self._render_failed)
        self.work.checked.connect(self._checked)

        self.save_button.clicked.connect(self.request_save)
        self.revert_button.clicked.connect(self.revert)
        self.reset_button.clicked.connect(self.reset_to_default)
        self.diff_button.clicked.connect(self.show_diff)
        self.close_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Save, self, self.request_save)

    # -- which template ------------------------------------------------------

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def is_edited(self) -> bool:
        """True when the editor holds text that is not the version in use."""
        return self.state is not None and self.text != self.state.body

    @Slot(object)
    def _type_chosen(self, packet_type: PacketType) -> None:
        if packet_type == self.packet_type:
            return
        if self.is_edited() and not self._confirm_discard():
            self.versions.select(self.packet_type, quietly=True)
            return
        self._show_packet_type(packet_type)

    def _show_packet_type(self, packet_type: PacketType) -> None:
        self.packet_type = packet_type
        self.state = self.versions.refresh()[packet_type]
        self.variables.clear()
        self.loader.run(
            lambda: template_variables(packet_type),
            lambda found: self._variables_found(packet_type, found),
            lambda exc: log.warning("Listing template variables failed: %s", exc),
        )
        self._loading = True  # the new subject renders with the new text
        self.picker.show_packet_type(packet_type)
        self._loading = False
        self._load_text(self.state.body)

    def _variables_found(
        self, packet_type: PacketType, variables: list[Variable]
    ) -> None:
        if packet_type == self.packet_type:
            self.variables.show_variables(variables)

    def _load_text(self, text: str) -> None:
        """Put ``text`` in the editor and preview it at once."""
        self._loading = True
        self.editor.setPlainText(text)
        self._loading = False
        self._edited()
        self._submit()

    def _refresh_state(self) -> None:
        self.state = self.versions.refresh()[self.packet_type]
        self._update_controls()

    # -- editing and the preview ---------------------------------------------

    @Slot()
    def _edited(self) -> None:
        if self._loading:
            return
        self.valid = None
        self._show_status("Checking...", None)
        self._update_controls()
        self._timer.start()

    @Slot()
    def _submit(self) -> None:
        self._timer.stop()
        self.work.submit(self.packet_type, self.text, self.picker.subject)

    @Slot(object)
    def _subject_changed(self, subject: PreviewSubject) -> None:
        if self._loading or self._timer.isActive():
            return  # the pending edit renders for the new subject anyway
        check = self.valid is None
        self.work.submit(self.packet_type, self.text, subject, check=check)

    @Slot(object)
    def _rendered(self, handout: RenderedHandout) -> None:
        self._preview_failed = False
        self.preview.show_pdf(handout.pdf)
        self.preview.show_note("")
        if self.valid is not False:
            self.editor.set_error_line(None)
        self._update_controls()
        self.preview_shown.emit()

    @Slot(object)
    def _render_failed(self, exc: BaseException) -> None:
        if isinstance(exc, NotApplicable):
            self._preview_failed = False
            self._update_controls()
            name = self.picker.subject.label
            self.preview.show_note(f"{name} cannot have this packet: {exc}")
            return
        self._preview_failed = True
        self._update_controls()
        if isinstance(exc, TemplateFailure):
            self._show_problem(exc)
            self.preview.show_note("The preview shows the last text that worked.")
            return
        log.warning("Template preview failed: %s", exc, exc_info=exc)
        self.preview.show_note(f"The preview could not be made: {exc}")

    @Slot(object)
    def _checked(self, exc: BaseException | None) -> None:
        self.valid = exc is None
        if exc is None:
            if not self._preview_failed:
                self.editor.set_error_line(None)
                self._show_status(self._ready_words(), ok_colour())
        elif isinstance(exc, TemplateFailure):
            self._show_problem(exc)
        else:
            log.warning("Checking the template failed: %s", exc, exc_info=exc)
            self._show_status(f"The template could not be checked: {exc}", None)
        self._update_controls()
        self.checked.emit(self.valid)
        if self._save_when_checked:
            self._save_when_checked = False
            self.request_save()

    def _ready_words(self) -> str:
        if self.is_edited():
            return "The template works: save it to use it for new packets."
        return "The template works. It is the one in use."

    def _show_problem(self, exc: TemplateFailure) -> None:
        self.editor.set_error_line(exc.lineno)
        if exc.lineno is not None:
            words = f"Line {exc.lineno}: {exc.message}"
        else:
            words = exc.message[:1].upper() + exc.message[1:]
        self._show_status(words, error_colour())
        self.problem_shown.emit(words)

    def _show_status(self, text: str, colour: QColor | None) -> None:
        style = f"color: {colour.name()};" if colour is not None else ""
        self.status.setStyleSheet(style)
        self.status.setText(text)

    def _update_controls(self) -> None:
        edited = self.is_edited()
        can_save = edited and self.valid is True and not self._preview_failed
        self.save_button.setEnabled(can_save and not self._saving)
        self.revert_button.setEnabled(edited and not self._saving)
        self.reset_button.setEnabled(
            not self._saving
            and self.state is not None
            and (self.state.customised or edited)
        )
        self._show_title(edited)

    def _show_title(self, edited: bool) -> None:
        if self.state is None:
            return
        words = f"Te&xt of the {self.packet_type.value} template: "
        words += self.state.words.lower()
        if edited:
            words += ", with unsaved edits"
        self.title.setText(words)
        self.setWindowTitle(f"Handout templates{' *' if edited else ''}")

    # -- saving, reverting, resetting -----------------------------------------

    @Slot()
    def request_save(self) -> None:
        """Save the text as a new version, once it is known to work (Ctrl+S)."""
        if self._saving or not self.is_edited():
            return
        if self.valid is None:
            self._save_when_checked = True
            if self._timer.isActive():
                self._submit()
            self._show_status("Checking before saving...", None)
            return
        if not self.valid or self._preview_failed:
            QApplication.beep()
            return
        note = self._ask_note()
        if note is not None:
            self._save(note)

    def _ask_note(self) -> str | None:
        dialog = QInputDialog(self)
        dialog.setObjectName("save_note")
        dialog.setWindowTitle(f"Save the {self.packet_type.value} template")
        dialog.setLabelText("A note for this version (optional), such as what changed:")
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        line = dialog.findChild(QLineEdit)
        if line is not None:
            line.setMaxLength(MAX_NOTE)
            line.setAccessibleName("Note for this version")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.textValue().strip()

    def _save(self, note: str, then: Callable[[], None] | None = None) -> None:
        kind, source = self.packet_type, self.text
        self._saving = True
        self._update_controls()
        self._show_status("Saving...", None)
        self.loader.run(
            lambda: save_template(self.db, kind, source, note),
            lambda version: self._saved(kind, version, then),
            self._save_failed,
        )

    def _saved(
        self, kind: PacketType, version: int, then: Callable[[], None] | None
    ) -> None:
        self._saving = False
        if kind == self.packet_type:
            self._refresh_state()
            self._show_status(f"Saved as version {version}.", ok_colour())
        self.saved.emit(kind.value, version)
        if then is not None:
            then()

    def _save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._update_controls()
        if isinstance(exc, TemplateFailure):
            self._show_problem(exc)
        else:
            self._show_status("The template was not saved.", error_colour())
            show_error(self, "The template could not be saved", exc)

    @Slot()
    def revert(self) -> None:
        """Go back to the version in use, discarding the edits."""
        if self.state is None or not self.is_edited():
            return
        if self._confirm_discard():
            self._load_text(self.state.body)

    @Slot()
    def reset_to_default(self) -> None:
        """Store the bundled default as the next version, after asking."""
        name = self.packet_type.value
        question = (
            f"Use the default {name} template again? It is saved as a new "
            "version; the earlier versions stay in the history."
        )
        if self.is_edited():
            question += "\n\nYour unsaved edits will be lost."
        answer = QMessageBox.question(
            self, "Reset to the default", question, Button.Yes | Button.Cancel
        )
        if answer != Button.Yes:
            return
        try:
            version = reset_template(self.db, self.packet_type)
        except Exception as exc:  # shown to the user, the editor stays usable
            show_error(self, "The template could not be reset", exc)
            return
        self._refresh_state()
        self._load_text(default_template(self.packet_type))
        self.saved.emit(self.packet_type.value, version)

    @Slot(int, str)
    def _open_version(self, version: int, body: str) -> None:
        if body == self.text:
            return
        if self.is_edited() and not self._confirm_discard():
            return
        self._load_text(body)
        which = f"Version {version}" if version else "The default"
        self._show_status(f"{which} is open: save it to use it again.", None)

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Unsaved edits",
            f"Discard your edits to the {self.packet_type.value} template?",
            Button.Discard | Button.Cancel,
        )
        return answer == Button.Discard

    @Slot()
    def show_diff(self) -> DiffDialog:
        """Show how the text differs from the default, in a window of its own."""
        dialog = DiffDialog(
            default_template(self.packet_type),
            self.text,
            self.packet_type.value,
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    # -- closing -------------------------------------------------------------

    def done(self, result: int) -> None:
        """Close, asking first about unsaved edits."""
        if self.is_edited() and not self._may_close(result):
            return
        self._timer.stop()
        self.work.cancel()
        self.picker.wait()
        self.loader.wait()
        super().done(result)

    def _may_close(self, result: int) -> bool:
        name = self.packet_type.value
        can_save = self.valid is True and not self._preview_failed
        if can_save:
            buttons = Button.Save | Button.Discard | Button.Cancel
            question = f"Save your edits to the {name} template before closing?"
        else:
            buttons = Button.Discard | Button.Cancel
            question = (
                f"Your edits to the {name} template have a mistake and cannot "
                "be saved. Discard them?"
            )
        answer = QMessageBox.question(self, "Unsaved edits", question, buttons)
        if answer == Button.Save:
            note = self._ask_note()
            if note is not None:
                self._save(note, then=lambda: self.done(result))
            return False
        return answer == Button.Discard


def open_template_editor(
    parent: QWidget | None, database: Database, render: Render = render_handout
) -> TemplateEditor:
    """Show the template editor, or raise the one already open for ``parent``.

    The editor is not modal and deletes itself when closed.
    """
    if parent is not None:
        for editor in parent.findChildren(TemplateEditor):
            if editor.isVisible():
                editor.raise_()
                editor.activateWindow()
                return editor
    editor = TemplateEditor(database, render, parent)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    editor.show()
    return editor
