"""The size bounds on what one template call makes, and the checks that keep them.

The time limit acts only between bytecodes, so one built-in call that makes
a huge text, or compares or hashes a huge value, would outlast it. So every
such call a template can make is checked before the work: what the text
methods, the filters and the operators ``+``, ``*``, ``**``, ``%`` and ``~``
would make is worked out from their arguments, and a value is measured
before it is printed, compared, hashed or passed to a built-in, a list that
holds the same list twice counting it twice. What a call makes is checked
again after it.

This module holds the bounds, the measure of the text a value prints as, and
the checks the sandbox, its calls and its filters share
(:mod:`~packetstudio.templates.calls` and
:mod:`~packetstudio.templates.bounded_filters` hold the checks of particular
methods and filters). A check that fails raises Jinja's
:class:`~jinja2.exceptions.SecurityError`, which a render reports as a
:class:`~packetstudio.templates.errors.TemplateSecurityError` on its line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import ItemsView, Iterable, Mapping, Sequence, Set, ValuesView
from itertools import chain
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.utils import Namespace

from packetstudio.templates.budget import spend

# Also the most characters or items any one call may make.
MAX_OUTPUT_CHARS = 4_000_000
# Bounds on "*" and "**": enough for any handout, too small to exhaust memory.
# MAX_REPEAT also bounds the batches and slices a filter makes.
MAX_REPEAT = 10_000
MAX_EXPONENT = 64
# Python prints integers of at most 4,300 digits, about 14,000 bits.
MAX_INTEGER_BITS = 14_000
# Deeper lists or mappings are refused rather than measured.
MAX_NESTING = 50
# Different keys of one hash a mapping may get: Python compares each new key
# with every earlier one of its hash, so 100,000 of them take minutes.
MAX_SAME_HASH = 20

# The values whose length check_made bounds, and those it never counts.
_SIZED = (str, bytes, list, tuple, dict, set, frozenset)
_UNCOUNTED = (float, type(None))
# The values made_size looks inside.
_NESTING = (list, tuple, dict, set, frozenset)
# What sys.getrefcount says of a value only the one being walked holds: its
# slot there, the walk's loop name, and getrefcount's own argument.
_HELD_ONLY_THERE = 3

_PERCENT_FIELD = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.DOTALL
)
_NUMBER_CONVERSIONS = frozenset("diouxXeEfFgG")
# "%f" % 1e308 has 309 digits before the point.
_LONGEST_NUMBER = 330


# -- checks --------------------------------------------------------------------


def check_size(what: str, size: int) -> None:
    """Refuse a call whose result would pass MAX_OUTPUT_CHARS characters."""
    if size > MAX_OUTPUT_CHARS:
        raise SecurityError(
            f"{what} would make more than the {MAX_OUTPUT_CHARS:,} characters "
            "a handout may have"
        )


def check_made(value: Any) -> None:
    """Refuse what a call made if it is too long; count it in the render's budget.

    This catches the calls whose result is not worked out beforehand: they
    make a text at most a few times longer than the ones they were given.
    The budget counts the bytes of the value and of the new values inside
    it (:func:`made_size`); a number of a machine word counts nothing, so
    that a counter in a loop never spends it.
    """
    if isinstance(value, _SIZED):
        if len(value) > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"a result longer than {MAX_OUTPUT_CHARS:,} characters or items"
            )
    elif isinstance(value, int):
        bits = value.bit_length()
        if bits > MAX_INTEGER_BITS:
            raise SecurityError("the result would be a number too large to print")
        if bits <= 64:
            return
    elif isinstance(value, _UNCOUNTED):
        return
    spend(made_size(value))


def made_size(value: Any) -> int:
    """Return the bytes ``value`` takes, with the values only it holds.

    A value inside that nothing else refers to was made with it, as the
    one-item lists of ``batch(1)``, the pairs of ``items()`` and the pieces
    of ``split()`` are; one that something else refers to already existed
    and was counted where it was made, or is one of Python's shared
    constants. Nesting deeper than MAX_NESTING is not walked.
    """
    size = sys.getsizeof(value)
    level = [value] if isinstance(value, _NESTING) else []
    for _ in range(MAX_NESTING):
        below = []
        for holder in level:
            items = (
                chain(holder.keys(), holder.values())
                if isinstance(holder, dict)
                else holder
            )
            for item in items:
                if sys.getrefcount(item) > _HELD_ONLY_THERE:
                    continue
                size += sys.getsizeof(item)
                if isinstance(item, _NESTING):
                    below.append(item)
        if not below:
            break
        level = below
    return size


def check_printable(doing: str, *values: Any) -> None:
    """Refuse values that would print as more than MAX_OUTPUT_CHARS characters.

    Printing, comparing or hashing a value costs about as much as its text,
    and a list holding the same list twice prints it twice: forty levels of
    that print a trillion characters in one built-in call.
    """
    for value in values:
        if printed_size(value) > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"{doing} a value that would print as more than "
                f"{MAX_OUTPUT_CHARS:,} characters"
            )


def check_keys(keys: Iterable[Any]) -> None:
    """Refuse keys that a mapping or set would have to file under one hash."""
    alike: dict[int, list[Any]] = {}
    for key in keys:
        try:
            same = alike.setdefault(hash(key), [])
        except TypeError:
            return  # the call itself says that the key cannot be hashed
        if not any(key is other or key == other for other in same):
            same.append(key)
            if len(same) > MAX_SAME_HASH:
                raise SecurityError(
                    f"more than {MAX_SAME_HASH} different keys look alike to "
                    "Python (they share one hash), which would take hours"
                )


# -- operators -----------------------------------------------------------------


def check_operator(operator: str, left: Any, right: Any) -> None:
    """Refuse ``left <operator> right`` if its result would pass the bounds."""
    if operator == "**" and too_big(right, MAX_EXPONENT):
        raise SecurityError(f"powers above {MAX_EXPONENT} are not allowed")
    if _result_bits(operator, left, right) > MAX_INTEGER_BITS:
        raise SecurityError("the result would be a number too large to print")
    if operator == "*" and _repeats_too_much(left, right):
        raise SecurityError(
            f"repeating text more than {MAX_REPEAT:,} times or past "
            f"{MAX_OUTPUT_CHARS:,} characters"
        )
    if operator == "+" and _adds_too_much(left, right):
        raise SecurityError(
            f"adding texts or lists past {MAX_OUTPUT_CHARS:,} characters or items"
        )
    if operator == "%" and isinstance(left, str | bytes):
        check_size("formatting with %", percent_size(left, right))


def too_big(value: Any, limit: int) -> bool:
    """Whether ``value`` is a number further from zero than ``limit``."""
    return isinstance(value, int | float) and abs(value) > limit


def _result_bits(operator: str, left: Any, right: Any) -> int:
    """Return about how many bits an integer sum, product or power would have."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return 0
    if operator == "+":
        return max(left.bit_length(), right.bit_length()) + 1
    if operator == "*":
        return left.bit_length() + right.bit_length()
    if operator == "**" and right > 0:
        return (abs(left).bit_length() - 1) * right
    return 0


def _repeats_too_much(left: Any, right: Any) -> bool:
    """Whether repeating a sequence goes past the bounds, also when chained."""
    sequences = (str, list, tuple)
    if isinstance(right, sequences):
        left, right = right, left
    if not isinstance(left, sequences) or not isinstance(right, int | float):
        return False
    return too_big(right, MAX_REPEAT) or len(left) * right > MAX_OUTPUT_CHARS


def _adds_too_much(left: Any, right: Any) -> bool:
    sequences = (str, bytes, list, tuple)
    if not (isinstance(left, sequences) and isinstance(right, sequences)):
        return False
    return len(left) + len(right) > MAX_OUTPUT_CHARS


def percent_size(text: str | bytes, values: Any) -> int:
    """Return at most how many characters ``text % values`` makes."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    size = len(text) + printed_size(values)
    stars = False
    for width, precision, conversion in _PERCENT_FIELD.findall(text):
        for digits in (width, precision):
            if digits == "*":
                stars = True
            elif digits:
                size += int(digits) if len(digits) <= 7 else MAX_OUTPUT_CHARS + 1
        if conversion in _NUMBER_CONVERSIONS:
            size += _LONGEST_NUMBER
    if stars:  # "%*s" takes its width from the values
        numbers = values if isinstance(values, tuple) else (values,)
        size += sum(abs(number) for number in numbers if isinstance(number, int))
    return size


# -- measuring -----------------------------------------------------------------


def printed_size(value: Any) -> int:
    """Return about how many characters ``str(value)`` makes.

    Past MAX_OUTPUT_CHARS the number is only known to be larger.
    """
    if isinstance(value, str | bytes):
        return len(value)
    return _Measure().size(value, 0)


class _Measure:
    """One measurement of a value's text, each list or mapping measured once."""

    def __init__(self) -> None:
        # The value is kept with its size so that its id is not reused.
        self._sizes: dict[int, tuple[Any, int]] = {}

    def size(self, value: Any, depth: int) -> int:
        """Return about how many characters ``value`` prints as, in a list."""
        if isinstance(value, str | bytes):
            return len(value) + 2  # with its quotes
        if isinstance(value, int):
            return value.bit_length() // 3 + 5  # a digit holds over 3 bits
        if isinstance(value, float | None):
            return 24
        parts = _parts(value)
        if parts is None:
            return 80  # any other object prints a short name: "<Macro 'm'>"
        known = self._sizes.get(id(value))
        if known is not None:
            return known[1]
        if depth > MAX_NESTING:
            raise SecurityError(
                f"lists or mappings nested more than {MAX_NESTING} deep"
            )
        return self._container_size(value, parts, depth)

    def _container_size(self, value: Any, parts: Iterable[Any], depth: int) -> int:
        self._sizes[id(value)] = (value, 0)  # a list inside itself prints "[...]"
        total = 2
        for part in parts:
            total += self.size(part, depth + 1) + 2
            if total > MAX_OUTPUT_CHARS:
                break
        self._sizes[id(value)] = (value, total)
        return total


def _parts(value: Any) -> Iterable[Any] | None:
    """Return what a list, mapping or namespace prints, or None for others."""
    if isinstance(value, Mapping | ItemsView):
        pairs = value.items() if isinstance(value, Mapping) else value
        return chain.from_iterable(pairs)
    if isinstance(value, list | tuple | Set | ValuesView):
        return value
    if isinstance(value, Namespace):
        # A namespace prints its attributes, which it keeps under this name.
        return (value._Namespace__attrs,)
    return None


# -- arguments -----------------------------------------------------------------


def materialized(value: Any) -> list[Any] | None:
    """Return the items of an iterable as a list, or None if it is not one."""
    try:
        iterator = iter(value)
    except TypeError:
        return None
    return list(iterator)


def arg(
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    index: int,
    name: str,
    default: Any = None,
) -> Any:
    """Return an argument given by position or by name."""
    return args[index] if len(args) > index else kwargs.get(name, default)
