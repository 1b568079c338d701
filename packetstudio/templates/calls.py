"""Forecasts for the methods and constructors a template calls.

Text methods such as ``replace``, ``center`` or ``join`` make a text whose
length follows from their arguments, so each is refused before the work
when that length would pass the bound (see
:mod:`~packetstudio.templates.bounds`). ``dict()``, ``namespace()`` and
``dict.fromkeys`` are refused when they would hash too many keys alike, and
``str.format`` runs in a formatter that bounds each field and all of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from functools import update_wrapper
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import (
    SandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
)
from jinja2.utils import Namespace
from markupsafe import Markup

from packetstudio.templates.bounds import (
    MAX_OUTPUT_CHARS,
    arg,
    check_keys,
    check_printable,
    check_size,
    materialized,
    printed_size,
)
from packetstudio.templates.names import HandoutNamespace

_Args = tuple[Any, ...]
_Kwargs = dict[str, Any]

# The checks of a call: its name, the object the method belongs to, and the
# arguments; each returns the arguments to call with (iterables as lists).
_CallCheck = Callable[[str, Any, _Args, _Kwargs], _Args]

_DIGITS = re.compile(r"\d+")


def checked_arguments(obj: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    """Refuse a call that would make too much; return the arguments to call with."""
    name = getattr(obj, "__name__", "")
    owner = getattr(obj, "__self__", None)
    check: _CallCheck | None = None
    if obj is dict or obj is HandoutNamespace:
        check = _check_mapping_arguments
    elif isinstance(owner, str | bytes):
        check = _TEXT_METHOD_CHECKS.get(name)
    elif isinstance(owner, int) and name == "to_bytes":
        check = _check_to_bytes
    elif isinstance(owner, type) and issubclass(owner, dict) and name == "fromkeys":
        check = _check_fromkeys
    return args if check is None else check(name, owner, args, kwargs)


# -- text methods --------------------------------------------------------------


def _same_kind(text: str | bytes, *others: Any) -> bool:
    kind = str if isinstance(text, str) else bytes
    return all(isinstance(other, kind) for other in others)


def _check_replace(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    old, new = arg(args, kwargs, 0, "old"), arg(args, kwargs, 1, "new")
    count = arg(args, kwargs, 2, "count", -1)
    if _same_kind(text, old, new) and isinstance(count, int):
        times = text.count(old)  # cheap: one pass, nothing made
        if count >= 0:
            times = min(times, count)
        check_size(name, len(text) + times * (len(new) - len(old)))
    return args


def _check_width(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    width = arg(args, kwargs, 0, "width")
    if isinstance(width, int):
        check_size(name, max(len(text), width))
    return args


def _check_expandtabs(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    tab_size = arg(args, kwargs, 0, "tabsize", 8)
    if isinstance(tab_size, int):
        tabs = text.count("\t" if isinstance(text, str) else b"\t")
        check_size(name, len(text) + tabs * max(tab_size, 0))
    return args


def _check_join(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    items = materialized(args[0]) if args else None
    if items is None:
        return args
    size = sum(printed_size(item) for item in items)
    check_size(name, size + len(text) * max(len(items) - 1, 0))
    return (items, *args[1:])


def _check_translate(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    if isinstance(text, str) and args:
        check_size(name, len(text) * _longest_replacement(args[0]))
    return args


def _longest_replacement(table: Any) -> int:
    """Return the longest text a translation table puts for one character."""
    if isinstance(table, Namespace):
        table = table._Namespace__attrs
    if isinstance(table, Mapping):
        replacements: Iterable[Any] = table.values()
    elif isinstance(table, list | tuple):
        replacements = table
    elif isinstance(table, str | bytes | range):
        return 1
    else:
        raise SecurityError("translate takes a mapping or a list")
    lengths = (len(text) for text in replacements if isinstance(text, str))
    return max(lengths, default=1)


def _check_encode(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    # A character takes at most 10 bytes ("\U0001f600"), or a name of up to
    # 88 ("\N{...}") with errors="namereplace".
    errors = arg(args, kwargs, 1, "errors", "strict")
    check_size(name, len(text) * (100 if errors == "namereplace" else 10))
    return args


_TEXT_METHOD_CHECKS: dict[str, _CallCheck] = {
    "replace": _check_replace,
    "center": _check_width,
    "ljust": _check_width,
    "rjust": _check_width,
    "zfill": _check_width,
    "expandtabs": _check_expandtabs,
    "join": _check_join,
    "translate": _check_translate,
    "encode": _check_encode,
}


# -- numbers and mappings ------------------------------------------------------


def _check_to_bytes(name: str, number: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    length = arg(args, kwargs, 0, "length", 1)
    if isinstance(length, int):
        check_size(name, length)
    return args


def _check_fromkeys(name: str, owner: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    keys = materialized(args[0]) if args else None
    if keys is None:
        return args
    check_printable("using as keys", keys)
    check_keys(keys)
    return (keys, *args[1:])


def _check_mapping_arguments(
    name: str, owner: Any, args: _Args, kwargs: _Kwargs
) -> _Args:
    """Check the keys ``dict(pairs)`` or ``namespace(pairs)`` would hash."""
    if len(args) != 1 or isinstance(args[0], Mapping):
        return args
    items = materialized(args[0])
    if items is None:
        return args
    pairs = [_as_pair(item) for item in items]
    check_printable("using as keys", pairs)
    check_keys(p[0] for p in pairs if isinstance(p, tuple | list) and len(p) == 2)
    return (pairs,)


def _as_pair(item: Any) -> Any:
    """Return an item of ``dict(items)`` as a tuple if it is any other iterable."""
    if isinstance(item, tuple | list | str | bytes):
        return item
    items = materialized(item)
    return item if items is None else tuple(items)


# -- str.format ----------------------------------------------------------------


def bounded_str_format(env: SandboxedEnvironment, method: Any) -> Callable[..., str]:
    """Return ``str.format`` or ``format_map`` of a text, every field bounded.

    Args:
        env: the sandbox the fields are looked up in.
        method: the text's bound ``format`` or ``format_map``.
    """
    text: str = method.__self__
    is_format_map = method.__name__ == "format_map"

    def bounded_format(*args: Any, **kwargs: Any) -> str:
        if is_format_map:
            if kwargs or len(args) != 1:
                raise TypeError("format_map() takes exactly one argument")
            mapping = args[0]
            args, kwargs = (), mapping
        formatter: _BoundedFormatter
        if isinstance(text, Markup):
            formatter = _BoundedEscapeFormatter(env, escape=text.escape)
        else:
            formatter = _BoundedFormatter(env)
        return type(text)(formatter.vformat(text, args, kwargs))

    return update_wrapper(bounded_format, method)


def _check_spec(spec: str) -> None:
    """Refuse a format spec whose width or precision passes the bound."""
    for digits in _DIGITS.findall(spec):
        if len(digits) > 7 or int(digits) > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"widths and precisions above {MAX_OUTPUT_CHARS:,} are not allowed"
            )


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` for templates: each field, and all of them, bounded."""

    def __init__(self, env: SandboxedEnvironment, **kwargs: Any) -> None:
        super().__init__(env, **kwargs)
        self._made = 0

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            check_printable("formatting", value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec)
        check_printable("formatting", value)
        text = super().format_field(value, format_spec)
        self._made += len(text)
        check_size("format", self._made)
        return text


class _BoundedEscapeFormatter(_BoundedFormatter, SandboxedEscapeFormatter):
    """``Markup.format`` for templates, bounded like ``str.format``."""
