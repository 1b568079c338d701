"""How an edited template differs from the default: a unified diff, coloured."""

from __future__ import annotations

import difflib

from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from packetstudio.ui.labels import is_dark

CONTEXT_LINES = 3


def unified_diff(default: str, edited: str, name: str) -> str:
    """Return the unified diff from ``default`` to ``edited`` ("" if equal)."""
    lines = difflib.unified_diff(
        default.splitlines(keepends=True),
        edited.splitlines(keepends=True),
        fromfile=f"{name} (default)",
        tofile=f"{name} (edited)",
        n=CONTEXT_LINES,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


class DiffHighlighter(QSyntaxHighlighter):
    """Colours a unified diff: added lines green, removed red, hunks blue."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        dark = is_dark()
        self.added = _foreground("#9ad27a" if dark else "#14532d")
        self.removed = _foreground("#ff9d9d" if dark else "#8a1020")
        self.hunk = _foreground("#7fb4ff" if dark else "#174ea6")

    def highlightBlock(self, text: str) -> None:
        kind = line_kind(text)
        if kind is not None:
            self.setFormat(0, len(text), getattr(self, kind))


def _foreground(colour: str) -> QTextCharFormat:
    result = QTextCharFormat()
    result.setForeground(QColor(colour))
    return result


def line_kind(text: str) -> str | None:
    """Return "added", "removed" or "hunk" for a line of a unified diff."""
    if text.startswith(("+++", "---")):
        return None
    if text.startswith("+"):
        return "added"
    if text.startswith("-"):
        return "removed"
    if text.startswith("@@"):
        return "hunk"
    return None


def line_backgrounds(view: QPlainTextEdit) -> list[QTextEdit.ExtraSelection]:
    """Tint the whole width of each added and removed line of a diff view."""
    dark = is_dark()
    tints = {
        "added": QColor("#16361f" if dark else "#e6f4ea"),
        "removed": QColor("#3d1a1a" if dark else "#fdeaea"),
    }
    selections = []
    block = view.document().firstBlock()
    while block.isValid():
        tint = tints.get(line_kind(block.text()) or "")
        if tint is not None:
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(tint)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.cursor = QTextCursor(block)
            selections.append(selection)
        block = block.next()
    return selections


class DiffDialog(QDialog):
    """A read-only view of a template's differences from its default."""

    def __init__(
        self, default: str, edited: str, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Differences from the default {name} template")
        self.setObjectName("template_diff")
        diff = unified_diff(default, edited, name)
        added, removed = _counts(diff)
        if diff:
            noun = "line" if added == 1 else "lines"
            words = f"{added} {noun} added, {removed} removed (+ added, - removed)."
        else:
            words = "The template is the same as the default."
        self.summary = QLabel(words)
        self.summary.setObjectName("diff_summary")
        self.view = QPlainTextEdit()
        self.view.setObjectName("diff_view")
        self.view.setAccessibleName("Differences from the default")
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setPlainText(diff)
        self.highlighter = DiffHighlighter(self.view.document())
        self.view.setExtraSelections(line_backgrounds(self.view))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(900, 600)

    @property
    def text(self) -> str:
        return self.view.toPlainText()


def _counts(diff: str) -> tuple[int, int]:
    lines = [line for line in diff.splitlines() if not line.startswith(("+++", "---"))]
    added = sum(line.startswith("+") for line in lines)
    removed = sum(line.startswith("-") for line in lines)
    return added, removed
