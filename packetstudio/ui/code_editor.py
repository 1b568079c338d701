"""A plain-text editor for template code: line numbers, a marked error line."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Slot
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from packetstudio.ui.labels import error_colour, is_dark

INDENT = "  "
GUTTER_PADDING = 6


class LineNumbers(QWidget):
    """The gutter beside a :class:`CodeEditor`, painted by the editor."""

    def __init__(self, editor: CodeEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self.editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.editor.paint_gutter(event)


class CodeEditor(QPlainTextEdit):
    """Edits code in a monospace font, with line numbers in a gutter.

    Lines do not wrap, Tab indents by two spaces (Ctrl+Tab and Ctrl+Shift+Tab
    move the focus on, as in any text box), and a new line keeps the
    indentation of the one before. One line can be marked as wrong.

    Attributes:
        error_line: the line marked as wrong (1-based), or None.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error_line: int | None = None
        self.gutter = LineNumbers(self)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.cursorPositionChanged.connect(self._update_selections)
        self._update_gutter_width()
        self._update_selections()

    # -- the gutter ----------------------------------------------------------

    def gutter_width(self) -> int:
        digits = max(3, len(str(self.blockCount())))
        advance = self.fontMetrics().horizontalAdvance("9")
        return GUTTER_PADDING * 2 + advance * digits

    @Slot()
    def _update_gutter_width(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    @Slot(QRect, int)
    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self.gutter.scroll(0, dy)
        else:
            self.gutter.update(0, rect.y(), self.gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        inside = self.contentsRect()
        self.gutter.setGeometry(
            QRect(inside.left(), inside.top(), self.gutter_width(), inside.height())
        )

    def paint_gutter(self, event: QPaintEvent) -> None:
        painter = QPainter(self.gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.alternateBase())
        block = self.firstVisibleBlock()
        top = round(
            self.blockBoundingGeometry(block).translated(self.contentOffset()).top()
        )
        height = self.fontMetrics().height()
        current = self.textCursor().blockNumber()

        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber()
                painter.setPen(self._number_colour(number, current))
                painter.drawText(
                    0,
                    top,
                    self.gutter.width() - GUTTER_PADDING,
                    height,
                    Qt.AlignmentFlag.AlignRight,
                    str(number + 1),
                )
            block = block.next()
            top = bottom

        painter.end()

    def _number_colour(self, number: int, current: int) -> QColor:
        if self.error_line is not None and number + 1 == self.error_line:
            return error_colour()
        palette = self.palette()
        if number == current:
            return palette.text().color()
        return palette.placeholderText().color()

    # -- the marked lines ----------------------------------------------------

    def set_error_line(self, line: int | None) -> None:
        """Mark ``line`` (1-based) with a red background; None clears it."""
        if line is not None:
            line = min(max(line, 1), self.blockCount())
        self.error_line = line
        self._update_selections()

    def error_selection(self) -> QTextEdit.ExtraSelection | None:
        """Return the extra selection marking the error line, if one is."""
        for selection in self.extraSelections():
            if selection.format.property(QTextFormat.Property.UserProperty):
                return selection
        return None

    @Slot()
    def _update_selections(self) -> None:
        selections = [self._line_selection(self.textCursor(), self._current_colour())]
        if self.error_line is not None:
            block = self.document().findBlockByNumber(self.error_line - 1)
            marked = self._line_selection(QTextCursor(block), self._error_colour())
            marked.format.setProperty(QTextFormat.Property.UserProperty, True)
            selections.append(marked)
        self.setExtraSelections(selections)
        self.gutter.update()  # the current line's number stands out

    def _line_selection(
        self, cursor: QTextCursor, colour: QColor
    ) -> QTextEdit.ExtraSelection:
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(colour)
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        selection.cursor = QTextCursor(cursor)
        selection.cursor.clearSelection()
        return selection

    def _current_colour(self) -> QColor:
        colour = self.palette().highlight().color()
        colour.setAlpha(28 if not is_dark() else 48)
        return colour

    def _error_colour(self) -> QColor:
        colour = error_colour()
        colour.setAlpha(60 if not is_dark() else 90)
        return colour

    # -- typing --------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, modifiers = event.key(), event.modifiers()
        plain = modifiers in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if key == Qt.Key.Key_Tab and plain:
            self.insertPlainText(INDENT)
            return
        control = modifiers & Qt.KeyboardModifier.ControlModifier
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and control:
            self._leave(forward=key == Qt.Key.Key_Tab)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self._new_line()
            return
        super().keyPressEvent(event)

    def _leave(self, *, forward: bool) -> None:
        # An editable QPlainTextEdit refuses to pass the focus on unless Tab
        # changes the focus, so it does for this one move.
        self.setTabChangesFocus(True)
        if forward:
            self.focusNextChild()
        else:
            self.focusPreviousChild()
        self.setTabChangesFocus(False)

    def _new_line(self) -> None:
        text = self.textCursor().block().text()
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        self.textCursor().insertText("\n" + indent)
        self.ensureCursorVisible()

    def insert_at_cursor(self, text: str) -> None:
        """Insert ``text`` where the cursor is, replacing any selection."""
        self.textCursor().insertText(text)
        self.setFocus()
