"""How an edited template differs from the default: a unified diff, coloured."""

from __future__ import annotations

import difflib

from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
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
    """Green for added lines, red for removed ones, blue for hunk headers."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        dark = is_dark()
        self.added = self._line("#16361f" if dark else "#e6f4ea", "#9ad27a", "#14532d")
        self.removed = self._line(
            "#3d1a1a" if dark else "#fdeaea", "#ff9d9d", "#8a1020"
        )
        self.hunk = self._line(None, "#7fb4ff", "#174ea6")
        self.dark = dark

    def _line(self, back: str | None, dark_fore: str, fore: str) -> QTextCharFormat:
        result = QTextCharFormat()
        if back is not None:
            result.setBackground(QColor(back))
        result.setForeground(QColor(dark_fore if is_dark() else fore))
        return result

    def highlightBlock(self, text: str) -> None:
        if text.startswith(("+++", "---")):
            return
        if text.startswith("+"):
            self.setFormat(0, len(text), self.added)
        elif text.startswith("-"):
            self.setFormat(0, len(text), self.removed)
        elif text.startswith("@@"):
            self.setFormat(0, len(text), self.hunk)


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
