"""The PySide6 desktop interface. The only package that imports Qt."""

from packetstudio.ui.compat import pin_interpreter_singletons

pin_interpreter_singletons()
