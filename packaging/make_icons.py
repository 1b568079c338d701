"""Render the application icon's PNG sizes from its SVG source.

Run after editing ``resources/icons/packetstudio.svg``, then commit the PNGs:

    python packaging/make_icons.py

The app and the bundles use the PNGs, so neither needs Qt's SVG support.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "packetstudio.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    """Return where the PNG of one size is kept."""
    return ICONS / f"packetstudio-{size}.png"


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """Draw the icon on a transparent square of ``size`` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def main() -> int:
    """Write every size; return the process exit status."""
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"make_icons: {SOURCE} is not a valid SVG file", file=sys.stderr)
        return 1

    for size in SIZES:
        target = png_path(size)
        if not render(renderer, size).save(str(target), "PNG"):
            print(f"make_icons: cannot write {target}", file=sys.stderr)
            return 1
        print(f"Wrote {target.relative_to(ICONS.parent.parent)}")

    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
