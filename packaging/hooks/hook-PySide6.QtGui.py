"""Collect Qt GUI's plugins, less those a desktop widgets app never loads.

Replaces PyInstaller's own hook for PySide6.QtGui. Leaving a plugin out here
also leaves out the libraries it alone needs (the GTK theme alone pulls in
GTK, Cairo and Pango from the build machine), which filtering the finished
analysis could not do. Plugins not named below are kept, so a new Qt release
loses nothing by surprise.
"""

from pathlib import Path

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Plugin folder -> plugins left out, by name without "lib" and suffix.
LEFT_OUT = {
    # Embedded-device back ends (no window system) and a VNC server.
    "platforms": {"qeglfs", "qlinuxfb", "qminimal", "qminimalegl", "qvnc"}
    | {"qvkkhrdisplay"},
    "egldeviceintegrations": None,
    "generic": None,
    # GTK's look and dialogs; Qt's own and the desktop portal's are used.
    "platformthemes": {"qgtk3"},
    # The icon is PNG; SVG icons would need Qt SVG.
    "iconengines": {"qsvgicon"},
    # Logos are PNG or JPEG.
    "imageformats": {"qsvg", "qtiff", "qwebp", "qtga", "qwbmp", "qicns", "qpdf"},
    # Needs Qt Quick.
    "platforminputcontexts": {"qtvirtualkeyboardplugin"},
}


def plugin_name(path: str) -> str:
    """Return "qxcb" for libqxcb.so, qxcb.dll or libqxcb.dylib."""
    name = Path(path).name.split(".")[0]
    return name.removeprefix("lib")


def wanted(source: str, destination: str) -> bool:
    """Say whether one collected plugin goes into the bundle."""
    left_out = LEFT_OUT.get(Path(destination).name, set())
    return left_out is not None and plugin_name(source) not in left_out


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if wanted(source, dest)]
