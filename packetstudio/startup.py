"""Loading the program's modules quickly.

Importing the app makes several hundred thousand objects (classes,
functions, SQLAlchemy's and Qt's tables) that live as long as the process.
The cyclic garbage collector would pass over them again and again while they
load, about a tenth of the app's start-up; none of them is garbage.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading() -> Iterator[None]:
    """Import inside this block without the collector's passes.

    What was loaded is then frozen (``gc.freeze``): later passes skip it
    instead of walking it every time. Collection is switched back on if it
    was on before.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
