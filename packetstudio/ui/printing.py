"""Printing PDFs: each page rendered onto the printer at its own resolution."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter


class PrintError(Exception):
    """A document could not be printed."""


def print_pdfs(pdfs: list[bytes], printer: QPrinter) -> int:
    """Print every page of each PDF on ``printer``; return the pages printed.

    Pages are rendered at the printer's resolution and scaled to fit its
    printable area, keeping their proportions.
    """
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("The printer could not be started")
    printed = 0
    try:
        for pdf in pdfs:
            printed += _print_one(pdf, printer, painter, first=printed == 0)
    finally:
        painter.end()
    return printed


def _print_one(pdf: bytes, printer: QPrinter, painter: QPainter, *, first: bool) -> int:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise PrintError("The packet's PDF could not be read")
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    dpi = printer.resolution()
    pages = document.pageCount()
    for page in range(pages):
        if not (first and page == 0):
            printer.newPage()
        points = document.pagePointSize(page)
        size = QSize(
            round(points.width() * dpi / 72), round(points.height() * dpi / 72)
        )
        target = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
        image = document.render(page, target)
        painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    document.close()
    buffer.close()
    return pages
