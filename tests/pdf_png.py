"""Render PDF pages to PNG with QtPdf, so tests and people can look at them.

Used by the tests (is page 1 blank?) and by ``scripts/render_handouts.py``
(the pictures in docs/handouts). Qt is fine here: this is not the core.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication


@cache
def _ensure_app() -> QCoreApplication:
    """QtPdf needs an application object; make one unless one exists.

    Cached, so the one made here lives as long as the process.
    """
    return QApplication.instance() or QApplication([])


def render_pages(
    pdf: bytes | Path,
    out_dir: Path,
    dpi: int = 72,
    pages: Sequence[int] | None = None,
    stem: str = "page",
) -> list[Path]:
    """Render pages of a PDF to PNG files in ``out_dir``; return their paths.

    Args:
        pdf: the PDF's bytes, or its file.
        dpi: resolution; 72 gives one pixel per point.
        pages: zero-based page numbers; every page if None.
        stem: file names are ``<stem>-<n>.png``, n counted from 1.

    Raises:
        ValueError: QtPdf could not open the document.
    """
    _ensure_app()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        path = pdf if isinstance(pdf, Path) else Path(scratch) / "handout.pdf"
        if not isinstance(pdf, Path):
            path.write_bytes(pdf)
        document = QPdfDocument()
        error = document.load(str(path))
        if error != QPdfDocument.Error.None_:
            raise ValueError(f"QtPdf cannot open the PDF: {error}")
        try:
            wanted = range(document.pageCount()) if pages is None else pages
            return [
                _render_page(document, n, dpi, out_dir / f"{stem}-{n + 1}.png")
                for n in wanted
            ]
        finally:
            document.close()


def _render_page(document: QPdfDocument, number: int, dpi: int, target: Path) -> Path:
    points = document.pagePointSize(number)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    page = document.render(number, size)
    # Pages render onto transparency; paper is white.
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, page)
    painter.end()
    if not image.save(str(target), "PNG"):
        raise OSError(f"cannot write {target}")
    return target


def ink_share(png: Path) -> float:
    """Return the share of a page image's pixels that are not white."""
    _ensure_app()
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = image.width(), image.height()
    data = bytes(image.constBits())[: image.bytesPerLine() * height]
    line = image.bytesPerLine()
    rows = (data[r * line : r * line + width] for r in range(height))
    inked = sum(width - row.count(255) for row in rows)
    return inked / (width * height)
