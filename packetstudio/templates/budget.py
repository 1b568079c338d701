"""The bytes of values one whole render may build, counted as it runs.

Each call a template makes is bounded on its own (see
:mod:`~packetstudio.templates.bounds`), but a loop can make a fresh text on
every turn and keep it, and hold gigabytes before the time limit stops it.
So a render has a budget: what the template's calls, filters, tests,
operators, slices, lists and mappings make, and the text its blocks and
macros capture, is counted against it as Python reports its size, and the
render is refused once the budget is spent. Values are counted as they are
made, not as they are kept: a text built and dropped a thousand times costs
a thousand times, which a handout never needs either.

The budget lives in a context variable that :func:`render_budget` sets for
one render, so renders that run at the same time in other threads each have
their own, and nothing is counted outside a render (when Jinja works out a
constant as it compiles, say).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from jinja2.exceptions import SecurityError

# The bytes of values one render may build. The default templates build at
# most 15 kB in a render of the examples; built inside a macro, as an edited
# template might be, the largest builds 360 kB. This leaves 28 times that,
# and room for a value at the bound of one call (MAX_OUTPUT_CHARS, 4 MB of
# text) and a copy of it, without which that bound would mean nothing.
RENDER_BUDGET = 10_000_000
# The bytes of the slot a list keeps a piece of text in.
_SLOT_BYTES = 8


class _Budget:
    """What is left of one render's budget.

    Attributes:
        left: the bytes of values the render may still build.
    """

    __slots__ = ("left",)

    def __init__(self, size: int) -> None:
        self.left = size


_current: ContextVar[_Budget | None] = ContextVar("render_budget", default=None)


@contextmanager
def render_budget() -> Iterator[None]:
    """Give the render that runs inside the block a fresh budget."""
    token = _current.set(_Budget(RENDER_BUDGET))
    try:
        yield
    finally:
        _current.reset(token)


def spend(size: int) -> None:
    """Count ``size`` bytes against the budget of the render that runs.

    Raises:
        SecurityError: the render has now built more than its budget.
    """
    if not size:
        return
    budget = _current.get()
    if budget is None:
        return
    budget.left -= size
    if budget.left < 0:
        raise SecurityError(
            f"the template builds more than {RENDER_BUDGET // 1_000_000} MB of "
            "text and lists in all; a handout needs far less"
        )


def counted(text: str) -> str:
    """Return ``text`` once the bytes it takes are counted in the budget."""
    spend(sys.getsizeof(text))
    return text


class CapturedText(list[str]):
    """The list a block, a macro or a ``set`` block writes its text into.

    Each piece is counted in the budget as it is written, with the slot
    that holds it, so that a loop inside a block cannot pile up pieces
    until the block ends. Text written in the template is counted too,
    though each piece of it is shared: it is copied when the block's text
    is joined.
    """

    __slots__ = ()

    def append(self, text: str) -> None:
        spend(sys.getsizeof(text) + _SLOT_BYTES)
        super().append(text)

    def extend(self, texts: Iterable[str]) -> None:
        pieces = tuple(texts)
        spend(sum(map(sys.getsizeof, pieces)) + _SLOT_BYTES * len(pieces))
        super().extend(pieces)
