"""Workarounds for bugs in the Qt bindings, each with how to tell it is gone."""

from __future__ import annotations

import ctypes
import sys

# Enough extra references to outlast any session: a billion emits a day
# would take three thousand years to use them up.
_SPARE_REFERENCES = 1 << 40


def pin_interpreter_singletons() -> None:
    """Keep None, True and False alive despite PySide6 6.12's refcount bug.

    WORKAROUND for PySide6 6.12.0 on Python 3.11: every ``Signal.emit`` from
    Python releases one reference to True that it never took, and most Qt
    calls returning void release one to None. After enough of them the
    interpreter frees the singleton and aborts with "bool_dealloc". Python
    3.12 made these objects immortal (PEP 683), so only 3.11 needs this; it
    can go once a PySide6 release no longer loses references
    (tests/test_ui_compat.py measures it).
    """
    if sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _SPARE_REFERENCES:
            refcount.value += _SPARE_REFERENCES
