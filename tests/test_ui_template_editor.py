"""The template editor, driven as staff would: typing, clicking, waiting on signals.

Every preview is a real PDF rendered on a worker thread, read back with pypdf;
every save goes to a real SQLite database and is then used by the pipeline.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from packetstudio import pipeline
from packetstudio.intake import parse_intake
from packetstudio.pdf.pool import RenderPool
from packetstudio.queue import jobs
from packetstudio.queue.jobs import JobStatus
from packetstudio.store import Database
from packetstudio.store.clients import add_client
from packetstudio.store.models import Packet
from packetstudio.store.packets import packet_pdf, packets_for_client
from packetstudio.store.templates import (
    RESET_NOTE,
    current_template,
    save_template,
    template_history,
)
from packetstudio.templates import default_template
from packetstudio.ui.code_editor import CodeEditor
from packetstudio.ui.jinja_highlighter import JinjaHighlighter
from packetstudio.ui.template_diff import DiffDialog
from packetstudio.ui.template_editor import TemplateEditor, open_template_editor
from packetstudio.ui.template_preview import PreviewWork, sample_subjects
from packetstudio.vocabulary import PacketType
from tests.conftest import example

NUTRITION = PacketType.NUTRITION
WORDING = "Drink a glass of water with every meal."
# The line of the nutrition default that prints the summary; new paragraphs
# are typed on the line after it.
SUMMARY_LINE = "<p>{{ content.summary }}</p>"
RENDER_MS = 30_000
# Loops that print nothing for hours, and the preview's time limit for them.
RUNAWAY = (
    "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"
)
LIMIT = 0.5
# The smallest screen the editor is meant for.
SCREEN = (1366, 768)
Button = QMessageBox.StandardButton


OpenEditor = Callable[[], TemplateEditor]


@pytest.fixture
def open_editor(qtbot: Any, sqlite_db: Database) -> Iterator[OpenEditor]:
    """Open an editor on the test's database once its first preview is shown.

    The editors are closed by this fixture, not by qtbot, so that one left
    with edits can answer its own question about them.
    """
    opened: list[TemplateEditor] = []

    def open_one() -> TemplateEditor:
        editor = TemplateEditor(sqlite_db)
        editor.resize(*SCREEN)
        opened.append(editor)
        with qtbot.waitActive(editor):
            editor.show()
            editor.activateWindow()
        qtbot.waitUntil(lambda: settled(editor), timeout=RENDER_MS)
        return editor

    yield open_one
    for editor in opened:
        close_discarding(qtbot, editor)
        editor.deleteLater()


@pytest.fixture
def editor(open_editor: OpenEditor) -> TemplateEditor:
    return open_editor()


def close_discarding(qtbot: Any, editor: TemplateEditor) -> None:
    """Close the editor, discarding edits if it asks about them."""
    if editor.isVisible():
        if editor.is_edited():
            answer_question(Button.Discard)
        editor.close()
    qtbot.waitUntil(lambda: not editor.isVisible())


def settled(editor: TemplateEditor) -> bool:
    """The newest text has been checked and previewed."""
    return editor.valid is not None and editor.preview.page_count > 0


def answer_question(button: QMessageBox.StandardButton) -> None:
    """Click ``button`` in the next message box, once it is open."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)
            return
        found = box.button(button)
        assert found is not None, f"no {button} in {box.text()!r}"
        found.click()

    QTimer.singleShot(0, click)


def write_note(qtbot: Any, note: str) -> None:
    """Type ``note`` into the next "note for this version" prompt, then Enter."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(10, fill)
            return
        line = dialog.findChild(QLineEdit)
        assert line is not None
        qtbot.keyClicks(line, note)
        qtbot.keyClick(line, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)


_texts: dict[bytes, str] = {}


def pdf_text(pdf: bytes) -> str:
    if pdf not in _texts:
        reader = PdfReader(io.BytesIO(pdf))
        _texts[pdf] = "\n".join(page.extract_text() for page in reader.pages)
    return _texts[pdf]


def preview_text(editor: TemplateEditor) -> str:
    return pdf_text(editor.preview.pdf) if editor.preview.pdf else ""


def line_of(editor: TemplateEditor, text: str) -> int:
    """Return the 1-based line of the editor that holds ``text``."""
    lines = editor.text.splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def type_after_line(qtbot: Any, editor: TemplateEditor, line: int, text: str) -> int:
    """Type ``text`` on a new line after ``line``; return the new line's number."""
    code = editor.editor
    code.setFocus()
    qtbot.keyClick(code, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(line - 1):
        qtbot.keyClick(code, Qt.Key.Key_Down)
    qtbot.keyClick(code, Qt.Key.Key_End)
    qtbot.keyClick(code, Qt.Key.Key_Return)
    qtbot.keyClicks(code, text)
    return line + 1


def add_paragraph(qtbot: Any, editor: TemplateEditor, text: str) -> int:
    """Type a paragraph after the summary; return its line."""
    return type_after_line(qtbot, editor, line_of(editor, SUMMARY_LINE), text)


def click(qtbot: Any, editor: TemplateEditor, name: str) -> None:
    button = editor.findChild(QWidget, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def save_with_note(qtbot: Any, editor: TemplateEditor, note: str) -> int:
    write_note(qtbot, note)
    with qtbot.waitSignal(editor.saved, timeout=RENDER_MS) as saved:
        click(qtbot, editor, "save")
    version: int = saved.args[1]
    return version


# -- the preview ---------------------------------------------------------------


def test_opens_on_the_nutrition_template_with_its_preview(
    editor: TemplateEditor,
) -> None:
    assert editor.text == default_template(NUTRITION)
    assert editor.valid is True
    assert "Maria Lopez" in preview_text(editor)
    pages = editor.preview.page_count
    assert editor.preview.pages.text() == f"Page 1 of {pages}"
    assert not editor.findChild(QWidget, "save").isEnabled()


def test_an_edit_shows_in_the_preview_soon_after_typing_stops(
    qtbot: Any, editor: TemplateEditor
) -> None:
    add_paragraph(qtbot, editor, f"<p>{WORDING}</p>")

    qtbot.waitUntil(lambda: WORDING in preview_text(editor), timeout=RENDER_MS)
    qtbot.waitUntil(lambda: editor.valid is True, timeout=RENDER_MS)
    assert editor.findChild(QWidget, "save").isEnabled()
    assert "unsaved edits" in editor.title.text()


@pytest.mark.parametrize(
    ("mistake", "words"),
    [
        ("<p>{{ client.nickname }}</p>", "nickname"),
        ("<marquee>Hello</marquee>", "marquee"),
        ("<p>{{ content.title|shout }}</p>", "shout"),
    ],
)
def test_a_mistake_marks_its_line_and_keeps_the_last_good_preview(
    qtbot: Any, editor: TemplateEditor, mistake: str, words: str
) -> None:
    good = editor.preview.pdf

    with qtbot.waitSignal(editor.problem_shown, timeout=RENDER_MS) as problem:
        line = add_paragraph(qtbot, editor, mistake)
    qtbot.waitUntil(lambda: editor.valid is False, timeout=RENDER_MS)

    marked = editor.editor.error_selection()
    assert marked is not None
    assert marked.cursor.blockNumber() + 1 == line
    assert editor.editor.error_line == line
    assert problem.args[0].startswith(f"Line {line}:")
    assert words in editor.status.text()
    assert editor.preview.pdf == good
    assert not editor.findChild(QWidget, "save").isEnabled()


def test_fixing_the_mistake_clears_the_mark(qtbot: Any, editor: TemplateEditor) -> None:
    add_paragraph(qtbot, editor, "<p>{{ client.nickname }}</p>")
    qtbot.waitUntil(lambda: editor.valid is False, timeout=RENDER_MS)

    for _ in range(len("nickname }}</p>")):
        qtbot.keyClick(editor.editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor.editor, "first_name }}</p>")

    qtbot.waitUntil(lambda: editor.valid is True, timeout=RENDER_MS)
    assert editor.editor.error_selection() is None
    assert editor.editor.error_line is None
    assert editor.findChild(QWidget, "save").isEnabled()


def test_a_template_without_the_physician_notice_cannot_be_saved(
    qtbot: Any, editor: TemplateEditor
) -> None:
    code = editor.editor
    start = line_of(editor, "{% if content.needs_clearance %}")
    end = line_of(editor, "</notice>") + 1
    code.setFocus()
    qtbot.keyClick(code, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    for _ in range(start - 1):
        qtbot.keyClick(code, Qt.Key.Key_Down)
    for _ in range(end - start + 1):
        qtbot.keyClick(code, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(code, Qt.Key.Key_Delete)

    qtbot.waitUntil(lambda: editor.valid is False, timeout=RENDER_MS)
    assert "physician" in editor.status.text()
    assert not editor.findChild(QWidget, "save").isEnabled()


def test_previews_for_a_client_found_by_name(
    qtbot: Any, editor: TemplateEditor
) -> None:
    raw = example("general") | {"full_name": "Priya Nair", "email": None}
    add_client(editor.db, parse_intake(raw))

    qtbot.keyClicks(editor.picker.search, "priya")

    qtbot.waitUntil(
        lambda: editor.picker.combo.currentText() == "Priya Nair", timeout=5000
    )
    qtbot.waitUntil(lambda: "Priya Nair" in preview_text(editor), timeout=RENDER_MS)


def test_the_sample_needing_a_physician_shows_the_notice(
    qtbot: Any, editor: TemplateEditor
) -> None:
    assert "physician" not in preview_text(editor).split("Your daily targets")[0]
    combo = editor.picker.combo
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert "physician" in combo.currentText()

    qtbot.waitUntil(
        lambda: "physician" in preview_text(editor).split("Your daily")[0],
        timeout=RENDER_MS,
    )


# -- saving, reverting, resetting ------------------------------------------------


def test_a_saved_template_is_used_for_new_packets(
    qtbot: Any, editor: TemplateEditor
) -> None:
    add_paragraph(qtbot, editor, f"<p>{WORDING}</p>")
    qtbot.waitUntil(lambda: editor.valid is True, timeout=RENDER_MS)

    version = save_with_note(qtbot, editor, "Water reminder")

    db = editor.db
    assert version == 1
    [saved] = template_history(db, NUTRITION)
    assert (saved.version, saved.note) == (1, "Water reminder")
    assert WORDING in current_template(db, NUTRITION)[0]
    assert not editor.is_edited()
    assert not editor.findChild(QWidget, "save").isEnabled()
    types = editor.versions.types
    assert types.topLevelItem(0).text(1) == "Version 1, customised"

    client_id = add_client(db, parse_intake(example("general")))
    jobs.enqueue(db, [(client_id, NUTRITION.value)])
    job = jobs.claim(db, "template-test")
    assert job is not None
    assert pipeline.process(db, job) is JobStatus.READY
    [packet] = packets_for_client(db, client_id)
    with db.read() as session:
        stored = session.get(Packet, packet.id)
        assert stored is not None and stored.template_version == 1
    pdf = packet_pdf(db, packet.id)
    assert pdf is not None and WORDING in pdf_text(pdf)


def test_ctrl_s_right_after_typing_saves_once_the_text_is_checked(
    qtbot: Any, editor: TemplateEditor
) -> None:
    add_paragraph(qtbot, editor, f"<p>{WORDING}</p>")
    write_note(qtbot, "")

    with qtbot.waitSignal(editor.saved, timeout=RENDER_MS):
        qtbot.keyClick(editor.editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    [saved] = template_history(editor.db, NUTRITION)
    assert saved.note is None
    assert WORDING in saved.body


def test_revert_discards_the_edits_after_asking(
    qtbot: Any, editor: TemplateEditor
) -> None:
    add_paragraph(qtbot, editor, f"<p>{WORDING}</p>")

    answer_question(Button.Cancel)
    click(qtbot, editor, "revert")
    assert WORDING in editor.text

    answer_question(Button.Discard)
    click(qtbot, editor, "revert")
    assert editor.text == default_template(NUTRITION)
    assert not editor.is_edited()


def test_reset_to_default_brings_back_the_default_wording(
    qtbot: Any, sqlite_db: Database, open_editor: OpenEditor
) -> None:
    edited = default_template(NUTRITION).replace(
        SUMMARY_LINE, f"{SUMMARY_LINE}\n<p>{WORDING}</p>"
    )
    save_template(sqlite_db, NUTRITION, edited, "water")
    editor = open_editor()
    assert editor.text == edited
    assert WORDING in preview_text(editor)

    answer_question(Button.Yes)
    with qtbot.waitSignal(editor.saved):
        click(qtbot, editor, "reset")

    assert editor.text == default_template(NUTRITION)
    assert current_template(sqlite_db, NUTRITION) == (default_template(NUTRITION), 2)
    assert template_history(sqlite_db, NUTRITION)[0].note == RESET_NOTE
    assert editor.versions.types.topLevelItem(0).text(1) == "Version 2, the default"
    qtbot.waitUntil(lambda: WORDING not in preview_text(editor), timeout=RENDER_MS)
    assert "Your daily targets" in preview_text(editor)


def test_an_earlier_version_opens_from_the_history(
    qtbot: Any, sqlite_db: Database, open_editor: OpenEditor
) -> None:
    first = default_template(NUTRITION).replace(SUMMARY_LINE, f"<p>{WORDING}</p>")
    save_template(sqlite_db, NUTRITION, first, "first")
    save_template(sqlite_db, NUTRITION, default_template(NUTRITION), "second")
    editor = open_editor()
    history = editor.versions.history
    assert [history.topLevelItem(i).text(2) for i in range(3)] == [
        "second",
        "first",
        "As PacketStudio ships it",
    ]

    history.setFocus()
    history.setCurrentItem(history.topLevelItem(1))
    qtbot.keyClick(history, Qt.Key.Key_Return)

    assert editor.text == first
    assert editor.is_edited()
    qtbot.waitUntil(lambda: WORDING in preview_text(editor), timeout=RENDER_MS)


def test_the_diff_against_the_default_shows_the_added_line(
    qtbot: Any, editor: TemplateEditor
) -> None:
    add_paragraph(qtbot, editor, f"<p>{WORDING}</p>")

    click(qtbot, editor, "diff")

    diff = editor.findChild(DiffDialog)
    assert diff is not None and diff.isVisible()
    assert f"+<p>{WORDING}</p>" in diff.text.splitlines()
    assert diff.summary.text().startswith("1 line added, 0 removed")
    diff.close()


# -- the variables, switching templates, closing ----------------------------------


def test_double_clicking_a_variable_inserts_it_at_the_cursor(
    qtbot: Any, editor: TemplateEditor
) -> None:
    tree = editor.variables
    qtbot.waitUntil(lambda: tree.item_for("client.first_name") is not None)
    assert tree.item_for("content.calculations.target_kcal.value") is not None
    line = add_paragraph(qtbot, editor, "<p>Hello ")

    item = tree.item_for("client.first_name")
    assert item is not None
    tree.scrollToItem(item)
    cell = tree.visualRect(tree.indexFromItem(item, 0))
    spot = QPoint(cell.left() + 8, cell.center().y())
    # A double-click is a click, then a second press within the interval.
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=spot)

    assert editor.text.splitlines()[line - 1].strip() == (
        "<p>Hello {{ client.first_name }}"
    )
    assert editor.editor.hasFocus()


def test_choosing_another_packet_type_shows_its_template(
    qtbot: Any, editor: TemplateEditor
) -> None:
    types = editor.versions.types
    types.setFocus()
    qtbot.keyClick(types, Qt.Key.Key_Down)

    assert editor.text == default_template(PacketType.WORKOUT)
    qtbot.waitUntil(
        lambda: "WORKOUT PACKET" in preview_text(editor).upper(), timeout=RENDER_MS
    )
    assert "weekly_schedule" in [
        editor.variables.topLevelItem(0).child(i).text(0)
        for i in range(editor.variables.topLevelItem(0).childCount())
    ]


def test_closing_with_unsaved_edits_asks_first(
    qtbot: Any, editor: TemplateEditor
) -> None:
    add_paragraph(qtbot, editor, f"<p>{WORDING}</p>")

    answer_question(Button.Cancel)
    editor.close()
    assert editor.isVisible()

    answer_question(Button.Discard)
    editor.close()
    assert not editor.isVisible()
    assert template_history(editor.db, NUTRITION) == []


def test_every_input_has_a_name_a_screen_reader_can_say(
    editor: TemplateEditor,
) -> None:
    buddies = {label.buddy() for label in editor.findChildren(QLabel)}
    unnamed = [
        widget.objectName() or type(widget).__name__
        for widget in editor.findChildren(QWidget)
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.isVisible()
        and not widget.accessibleName()
        and widget not in buddies
        and not getattr(widget, "text", lambda: "")()
    ]
    assert unnamed == []


def test_the_editor_opens_once_per_window_and_closes_while_rendering(
    qtbot: Any, sqlite_db: Database
) -> None:
    window = QWidget()
    qtbot.addWidget(window)

    first = open_template_editor(window, sqlite_db)
    second = open_template_editor(window, sqlite_db)

    assert first is second
    assert first.isVisible()
    first.close()
    assert not first.isVisible()


def test_a_preview_of_older_text_never_replaces_a_newer_one(
    qtbot: Any, sqlite_db: Database
) -> None:
    work = PreviewWork(sqlite_db)
    shown: list[bytes] = []
    work.rendered.connect(lambda handout: shown.append(handout.pdf))
    older = default_template(NUTRITION)
    newer = older.replace(SUMMARY_LINE, f"{SUMMARY_LINE}<p>{WORDING}</p>")
    subject = sample_subjects(NUTRITION)[0]

    with qtbot.waitSignal(work.rendered, timeout=RENDER_MS):
        work.submit(NUTRITION, older, subject, check=False)
        work.submit(NUTRITION, newer, subject, check=False)
    work.cancel()
    qtbot.wait(50)

    assert len(shown) == 1
    assert WORDING in pdf_text(shown[0])


def with_runaway_loops(editor: TemplateEditor) -> str:
    """Return the editor's text with RUNAWAY on the line after the summary."""
    return editor.text.replace(SUMMARY_LINE, f"{SUMMARY_LINE}\n{RUNAWAY}")


def test_a_runaway_template_is_stopped_and_a_later_edit_previews(
    qtbot: Any, editor: TemplateEditor
) -> None:
    editor.work.time_limit = LIMIT
    good = editor.preview.pdf

    with qtbot.waitSignal(editor.problem_shown, timeout=RENDER_MS) as problem:
        editor.editor.setPlainText(with_runaway_loops(editor))
    qtbot.waitUntil(lambda: editor.valid is False, timeout=RENDER_MS)

    line = line_of(editor, RUNAWAY)
    assert problem.args[0] == (
        f"Line {line}: the template ran longer than 0.5 s, so it was stopped; "
        "look for loops inside loops"
    )
    assert editor.status.text() == problem.args[0]
    assert editor.editor.error_line == line
    assert editor.preview.pdf == good
    assert not editor.findChild(QWidget, "save").isEnabled()

    editor.editor.setPlainText(editor.text.replace(RUNAWAY, f"<p>{WORDING}</p>"))

    qtbot.waitUntil(lambda: WORDING in preview_text(editor), timeout=RENDER_MS)
    qtbot.waitUntil(lambda: editor.valid is True, timeout=RENDER_MS)
    assert editor.editor.error_line is None
    assert editor.findChild(QWidget, "save").isEnabled()


def test_closing_while_a_runaway_preview_renders_leaves_no_work_running(
    qtbot: Any, editor: TemplateEditor
) -> None:
    editor.work.time_limit = LIMIT
    editor.editor.setPlainText(with_runaway_loops(editor))
    qtbot.waitUntil(lambda: not editor._timer.isActive())  # the preview started

    close_discarding(qtbot, editor)

    assert editor.work.background.wait(0)


def test_previews_can_render_in_a_worker_process(
    qtbot: Any, sqlite_db: Database
) -> None:
    pool = RenderPool(1)
    editor = TemplateEditor(sqlite_db, render=pool)
    try:
        editor.show()
        qtbot.waitUntil(lambda: settled(editor), timeout=60_000)
        assert "Maria Lopez" in preview_text(editor)
    finally:
        editor.close()
        editor.deleteLater()
        pool.close()


def test_tab_indents_and_ctrl_tab_moves_on_to_the_preview(
    qtbot: Any, editor: TemplateEditor
) -> None:
    code = editor.editor
    code.setFocus()
    qtbot.keyClick(code, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(code, Qt.Key.Key_Tab)
    assert editor.text.startswith("  {#")

    qtbot.keyClick(code, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert editor.picker.combo.hasFocus()

    code.setFocus()
    back = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(code, Qt.Key.Key_Backtab, back)
    assert editor.variables.hasFocus()


def test_a_client_the_packet_type_does_not_suit_is_said_so(
    qtbot: Any, editor: TemplateEditor
) -> None:
    add_client(editor.db, parse_intake(example("youth")))
    name = example("youth")["full_name"]
    types = editor.versions.types
    types.setFocus()
    qtbot.keyClick(types, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: settled(editor), timeout=RENDER_MS)

    qtbot.keyClicks(editor.picker.search, name.split()[0])

    note = editor.preview.note
    qtbot.waitUntil(note.isVisible, timeout=RENDER_MS)
    assert note.text().startswith(f"{name} cannot have this packet")
    assert "adults" in note.text()


def test_jinja_and_markup_are_coloured_apart_across_lines(qtbot: Any) -> None:
    code = CodeEditor()
    qtbot.addWidget(code)
    highlighter = JinjaHighlighter(code.document(), dark=False)
    code.setPlainText(
        '<item label="{{ item.label|upper }}">{# a note\n'
        "that goes on #}{% if x %}&amp;</item>\n"
    )
    first, second = (code.document().findBlockByNumber(n) for n in (0, 1))
    palette = highlighter.palette

    def colour(block: Any, text: str) -> str:
        column = block.text().index(text)
        for piece in block.layout().formats():
            if piece.start <= column < piece.start + piece.length:
                return str(piece.format.foreground().color().name())
        return "plain"

    def expected(name: str) -> str:
        return str(getattr(palette, name).foreground().color().name())

    assert colour(first, "item") == expected("tag")
    assert colour(first, "label=") == expected("attribute")
    assert colour(first, "{{") == expected("delimiter")
    assert colour(first, "item.label") == expected("name")
    assert colour(first, "|upper") == expected("filter")
    assert colour(first, "a note") == expected("comment")
    assert colour(second, "that goes on") == expected("comment")
    assert colour(second, "if") == expected("keyword")
    assert colour(second, "&amp;") == expected("entity")
    assert colour(second, "</item>") == expected("tag")
