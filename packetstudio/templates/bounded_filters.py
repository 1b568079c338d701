"""Jinja's own filters and tests, each refused when it would make too much.

Jinja calls a filter or a test directly, not through the sandbox, so each one
that turns its value into text, compares it or hashes it is wrapped to
measure the value first, and each whose result follows from its arguments
(``center``, ``indent``, ``wordwrap``, ``replace``, ``join``, ``batch``...)
has that result worked out before the call. ``pprint`` and ``tojson`` are
replaced by versions that stop as soon as their text passes the bound. The
bounds themselves are in :mod:`~packetstudio.templates.bounds`.
"""

from __future__ import annotations

import json
import pprint
from collections.abc import Callable, Iterable, Mapping
from io import StringIO
from typing import Any

from jinja2 import pass_context
from jinja2.exceptions import SecurityError
from jinja2.filters import ignore_case, make_attrgetter
from jinja2.runtime import Context
from markupsafe import escape

from packetstudio.templates.bounds import (
    MAX_EXPONENT,
    MAX_OUTPUT_CHARS,
    MAX_REPEAT,
    arg,
    check_keys,
    check_made,
    check_printable,
    check_size,
    materialized,
    percent_size,
    printed_size,
    too_big,
)

_Args = tuple[Any, ...]
_Kwargs = dict[str, Any]

# Filters that make nothing new: they return their value, an item of it, an
# attribute or a number. What every other filter makes is counted in the
# render's budget.
_FILTERS_THAT_MAKE_NOTHING = frozenset(
    {"attr", "count", "d", "default", "first", "last", "length", "random"}
)
# Filters that never turn their value into text, compare it or hash it.
_FILTERS_THAT_DO_NOT_PRINT = _FILTERS_THAT_MAKE_NOTHING | frozenset(
    {"batch", "items", "list", "reverse", "slice", "sum"}
    # These pass each item through a filter or test, checked on its own.
    | {"map", "reject", "rejectattr", "select", "selectattr"}
)
# Filters whose checks measure just what they print, compare or hash.
_FILTERS_THAT_MEASURE = frozenset({"groupby", "join", "unique"})
_TESTS_THAT_DO_NOT_COMPARE = frozenset(
    {"boolean", "defined", "false", "none", "true", "undefined"}
    | {"float", "integer", "iterable", "mapping", "number", "sequence", "string"}
    | {"callable", "escaped", "sameas"}
)

# A filter's check: the context, the value and the filter's arguments; it
# returns the value to filter (an iterable as a list).
_FilterCheck = Callable[[Context, Any, _Args, _Kwargs], Any]


def bounded_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """Return Jinja's filters, each checked as it needs to be."""
    checked: dict[str, Any] = {}
    unmeasured = _FILTERS_THAT_DO_NOT_PRINT | _FILTERS_THAT_MEASURE
    for name, func in filters.items():
        check = _FILTER_CHECKS.get(name)
        prints = name not in unmeasured
        plain = check is None and not prints and name in _FILTERS_THAT_MAKE_NOTHING
        checked[name] = func if plain else _checked(f"|{name}", func, check, prints)
    return checked


def bounded_tests(tests: Mapping[str, Any]) -> dict[str, Any]:
    """Return Jinja's tests, those that compare or format their value checked."""
    return {
        name: (
            func
            if name in _TESTS_THAT_DO_NOT_COMPARE
            else _checked(f"'is {name}'", func, _TEST_CHECKS.get(name), prints=True)
        )
        for name, func in tests.items()
    }


def _checked(
    what: str, func: Callable[..., Any], check: _FilterCheck | None, prints: bool
) -> Callable[..., Any]:
    """Return a filter or test that is refused when it would make too much.

    It takes the context, as Jinja's own filters may, so Jinja calls it only
    as the template runs, never to work out a constant while compiling.
    """

    @pass_context
    def checked(context: Context, value: Any, *args: Any, **kwargs: Any) -> Any:
        if prints:
            check_printable(f"{what} on", value, *args, *kwargs.values())
        if check is not None:
            value = check(context, value, args, kwargs)
        result = context.call(func, value, *args, **kwargs)
        if result is not value:  # |string of a text makes nothing new
            check_made(result)
        return result

    return checked


# -- filters whose result follows from their arguments -------------------------


def _check_center(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    width = arg(args, kwargs, 0, "width", 80)
    if isinstance(width, int):
        check_size("|center", max(printed_size(value), width))
    return value


def _check_indent(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    width = arg(args, kwargs, 0, "width", 4)
    step = len(width) if isinstance(width, str) else width
    if isinstance(value, str) and isinstance(step, int):
        lines = value.count("\n") + 2
        check_size("|indent", len(value) + lines * max(step, 0))
    return value


def _check_wordwrap(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    between = arg(args, kwargs, 2, "wrapstring")
    if between is None:
        between = context.environment.newline_sequence
    if isinstance(value, str) and isinstance(between, str):
        # At worst every character is a line of its own.
        check_size("|wordwrap", len(value) + (len(value) + 1) * len(between))
    return value


def _check_replace_filter(
    context: Context, value: Any, args: _Args, kwargs: _Kwargs
) -> Any:
    old = str(arg(args, kwargs, 0, "old", ""))
    new = str(escape(arg(args, kwargs, 1, "new", "")))
    count = arg(args, kwargs, 2, "count")
    # Jinja replaces in the text as it is or escaped, depending on the
    # arguments; the larger of the two is what it could make.
    texts = (str(value), str(escape(value)))
    times = max(text.count(old) for text in texts)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    check_size("|replace", max(map(len, texts)) + times * len(new))
    return value


def _check_format_filter(
    context: Context, value: Any, args: _Args, kwargs: _Kwargs
) -> Any:
    check_size("|format", percent_size(str(value), kwargs or args))
    return value


def _check_join_filter(
    context: Context, value: Any, args: _Args, kwargs: _Kwargs
) -> Any:
    items = materialized(value)
    if items is None:
        return value
    between = arg(args, kwargs, 0, "d", "")
    check_printable("|join with", between)
    between = str(between)
    attribute = arg(args, kwargs, 1, "attribute")
    parts: Iterable[Any] = items
    if attribute is not None:
        parts = map(make_attrgetter(context.environment, attribute), items)
    size = sum(printed_size(part) for part in parts)
    check_size("|join", size + len(between) * max(len(items) - 1, 0))
    return items


def _check_batch(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    count = arg(args, kwargs, 0, "linecount")
    filler = arg(args, kwargs, 1, "fill_with")
    if filler is not None and too_big(count, MAX_REPEAT):
        raise SecurityError(f"|batch fills batches of at most {MAX_REPEAT:,} items")
    return value


def _check_slice(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    if too_big(arg(args, kwargs, 0, "slices"), MAX_REPEAT):
        raise SecurityError(f"|slice makes at most {MAX_REPEAT:,} slices")
    return value


def _check_sum(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    """Bound the items |sum copies when it adds up lists, one copy a list."""
    start = arg(args, kwargs, 1, "start", 0)
    items = materialized(value) if isinstance(start, list | tuple) else None
    if items is None:
        return value
    attribute = arg(args, kwargs, 0, "attribute")
    parts: Iterable[Any] = items
    if attribute is not None:
        parts = map(make_attrgetter(context.environment, attribute), items)
    length, copied = len(start), 0
    for part in parts:
        length += len(part) if isinstance(part, list | tuple) else 0
        copied += length
        if copied > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"adding up lists with |sum would copy more than "
                f"{MAX_OUTPUT_CHARS:,} items"
            )
    return items


def _check_round(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    # Rounding to n places works out 10 ** n, and rounding down or up
    # multiplies the value by it, which would repeat a text or a list.
    places = arg(args, kwargs, 0, "precision", 0)
    if too_big(places, MAX_EXPONENT):
        raise SecurityError(f"rounding to more than {MAX_EXPONENT} places")
    rounds_to_a_side = arg(args, kwargs, 1, "method", "common") != "common"
    if rounds_to_a_side and isinstance(value, str | bytes | list | tuple):
        raise SecurityError("|round rounds numbers only")
    return value


def _check_urlize(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    text = str(value)
    policies = context.environment.policies
    target = arg(args, kwargs, 2, "target") or policies["urlize.target"] or ""
    rel = f"{arg(args, kwargs, 3, 'rel') or ''} {policies['urlize.rel'] or ''}"
    # Every word may become a link: the word twice, as the address and as the
    # link's text, escaped (up to five times longer), and the attributes.
    per_link = len(str(target)) + len(rel) + 60
    check_size("|urlize", 10 * len(text) + len(text.split()) * per_link)
    return value


# -- filters and tests that compare, hash or format ----------------------------


def _check_unique(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    items = materialized(value)
    if items is None:
        return value
    case_sensitive = arg(args, kwargs, 0, "case_sensitive", False)
    attribute = arg(args, kwargs, 1, "attribute")
    key = make_attrgetter(
        context.environment,
        attribute,
        postprocess=None if case_sensitive else ignore_case,
    )
    keys = [key(item) for item in items]
    check_printable("|unique on", keys)
    check_keys(keys)
    return items


def _check_groupby(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    items = materialized(value)
    if items is None:
        return value
    key = make_attrgetter(
        context.environment,
        arg(args, kwargs, 0, "attribute"),
        default=arg(args, kwargs, 1, "default"),
    )
    check_printable("|groupby on", [key(item) for item in items])
    return items


def _check_remainder(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    # The tests divisibleby, even and odd work out value % number, which
    # formats a text.
    if isinstance(value, str | bytes):
        number = arg(args, kwargs, 0, "num", 2)
        check_size("formatting with %", percent_size(value, number))
    return value


_TEST_CHECKS: dict[str, _FilterCheck] = {
    "divisibleby": _check_remainder,
    "even": _check_remainder,
    "odd": _check_remainder,
}
_FILTER_CHECKS: dict[str, _FilterCheck] = {
    "batch": _check_batch,
    "center": _check_center,
    "format": _check_format_filter,
    "groupby": _check_groupby,
    "indent": _check_indent,
    "join": _check_join_filter,
    "replace": _check_replace_filter,
    "round": _check_round,
    "slice": _check_slice,
    "sum": _check_sum,
    "unique": _check_unique,
    "urlize": _check_urlize,
    "wordwrap": _check_wordwrap,
}


# -- pprint and tojson ---------------------------------------------------------


class _BoundedText(StringIO):
    """A text buffer that refuses to grow past MAX_OUTPUT_CHARS."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what

    def write(self, text: str) -> int:
        check_size(self._what, self.tell() + len(text))
        return super().write(text)


def bounded_pformat(value: Any) -> str:
    """Jinja's |pprint, stopped as soon as its text would pass the bound.

    Its indents grow with each level and with the keys, so its text can be
    far longer than the value's own.
    """
    check_printable("|pprint on", value)
    text = _BoundedText("|pprint")
    pprint.PrettyPrinter(stream=text).pprint(value)
    return text.getvalue()[:-1]  # pprint ends with a newline, pformat does not


def bounded_json_dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` for |tojson, stopped as soon as its text passes the bound."""
    text = _BoundedText("|tojson")
    for chunk in json.JSONEncoder(**options).iterencode(value):
        text.write(chunk)
    return text.getvalue()
