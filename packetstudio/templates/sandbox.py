"""Running a handout template in Jinja2's sandbox: template text to markup.

Templates are data that staff edit, so they run in an immutable sandbox with
:class:`~jinja2.StrictUndefined` and autoescaping: a template can read the
packet's content but cannot reach Python internals, change the content or
print a blank where a value is missing, and every value it prints arrives
XML-escaped in the markup. Its code is stopped once it has run for a time
limit (see :mod:`packetstudio.templates.time_limit`). Whatever goes wrong
surfaces as one :class:`~packetstudio.templates.errors.TemplateFailure` with
the template line.

The time limit acts only between bytecodes, so one built-in call that makes
a huge text, or compares or hashes a huge value, would outlast it. So every
such call a template can make is checked before the work: what the text
methods, the filters and the operators ``+``, ``*``, ``**``, ``%`` and ``~``
would make is worked out from their arguments, and a value is measured
before it is printed, compared, hashed or passed to a built-in, a list that
holds the same list twice counting it twice. What a call makes is checked
again after it.

Each tag written in the template is preceded in the output by a processing
instruction ``<?l N?>`` naming its template line, so that the markup parser
can report an unknown element on the line the editor wrote it on.
"""

from __future__ import annotations

import json
import logging
import pprint
import re
import traceback
from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Mapping,
    Sequence,
    Set,
    ValuesView,
)
from functools import cache, lru_cache, update_wrapper
from io import StringIO
from itertools import chain
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2.compiler import CodeGenerator, Frame, operators, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.filters import ignore_case, make_attrgetter
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context, Macro
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
)
from jinja2.utils import Namespace
from markupsafe import Markup, escape

from packetstudio.templates import units
from packetstudio.templates.errors import TemplateFailure, TemplateSecurityError
from packetstudio.templates.time_limit import (
    TEMPLATE_TIME_LIMIT,
    RanTooLong,
    run_within,
)

log = logging.getLogger(__name__)

TEMPLATE_NAME = "<template>"
LINE_MARK = "l"
MAX_SOURCE_CHARS = 200_000
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
# Error messages can quote a template's values; they are cut to this.
MAX_MESSAGE_CHARS = 300

_TAG_START = re.compile(r"<(?=[A-Za-z/])")
# What Jinja's compiled code passes to a call inside a loop or a block, for
# Jinja itself: the variables of that loop or block.
_JINJA_ARGUMENTS = frozenset({"_loop_vars", "_block_vars"})
# The globals a template may call; Jinja's "lipsum" is left out as useless.
_GLOBALS = ("range", "dict", "namespace", "cycler", "joiner")


class _LineMarks(Extension):
    """Precede every tag in the template's literal text with its line number."""

    def filter_stream(self, stream: TokenStream) -> Iterable[Token]:
        for token in stream:
            if token.type == "data":
                yield Token(token.lineno, "data", mark_lines(token.value, token.lineno))
            else:
                yield token


def mark_lines(text: str, first_line: int) -> str:
    """Return ``text`` with ``<?l N?>`` before each tag that starts on line N."""
    parts: list[str] = []
    line, position = first_line, 0
    for match in _TAG_START.finditer(text):
        line += text.count("\n", position, match.start())
        parts.append(text[position : match.start()])
        parts.append(f"<?{LINE_MARK} {line}?>")
        position = match.start()
    parts.append(text[position:])
    return "".join(parts)


def _refuse_private(name: str) -> None:
    if name.startswith("_"):
        raise SecurityError(f"the private name {name!r} is not available to templates")


class _Namespace(Namespace):
    """Jinja's namespace, refusing names that start with an underscore.

    A namespace's names are its attributes, and escaping a value calls its
    ``__html__`` attribute without the sandbox seeing the call.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self._Namespace__attrs:
            if isinstance(name, str):
                _refuse_private(name)

    def __setitem__(self, name: str, value: Any) -> None:
        _refuse_private(name)
        super().__setitem__(name, value)


class _CheckedCodeGenerator(CodeGenerator):
    """Compiles ``~``, comparisons and mapping keys through the sandbox.

    Jinja compiles them to plain Python, where one operation would turn a
    list that holds the same list many times into text, or compare or hash
    it, at a cost that doubles with every level.
    """

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # The same choice of join Jinja's own code generator makes.
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.concat_texts({join}, (")
        for operand in node.nodes:
            self.visit(operand, frame)
            self.write(", ")
        self.write("))")

    @optimizeconst
    def visit_Compare(self, node: nodes.Compare, frame: Frame) -> None:
        self.write("(environment.compared(")
        self.visit(node.expr, frame)
        self.write(")")
        for operand in node.ops:
            self.visit(operand, frame)
        self.write(")")

    def visit_Operand(self, node: nodes.Operand, frame: Frame) -> None:
        self.write(f" {operators[node.op]} environment.compared(")
        self.visit(node.expr, frame)
        self.write(")")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("{")
        for index, item in enumerate(node.items):
            if index:
                self.write(", ")
            self.write("environment.compared(")
            self.visit(item.key, frame)
            self.write("): ")
            self.visit(item.value, frame)
        self.write("}")


# FIXME(templates): the bounds hold for each call, not for a whole render: a
# loop can keep many results that are each within them, such as a namespace
# list that gains a new 4-million-character text on every turn, and hold
# gigabytes before the time limit stops it. Bounding that needs a limit on the
# memory a render holds.
class HandoutSandbox(ImmutableSandboxedEnvironment):
    """The sandbox handout templates run in.

    On top of Jinja's immutable sandbox: names starting with an underscore
    are refused as keys too, not just as attributes; a mapping's keys win over
    its methods (``group.items`` is the field, not ``dict.items``); and no
    single call, operator, filter or test may make more than
    MAX_OUTPUT_CHARS characters or items, or compare, hash or print a value
    that would print as more (see the module's docstring).
    """

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _CheckedCodeGenerator

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _refuse_private(attribute)
        if isinstance(obj, Mapping) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str):
            _refuse_private(argument)
        else:
            self.compared(argument)
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _too_big(right, MAX_EXPONENT):
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
            _check_size("formatting with %", _percent_size(left, right))
        return super().call_binop(context, operator, left, right)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call ``obj`` for a template once its result is known to be short."""
        # A macro's body is template code, checked as it runs.
        if not isinstance(obj, Macro):
            owner = getattr(obj, "__self__", None)
            # A mapping's methods never print or compare its values.
            if not isinstance(owner, Mapping):
                _check_printable("passing", owner)
            given = {k: v for k, v in kwargs.items() if k not in _JINJA_ARGUMENTS}
            _check_printable("passing", *args, *given.values())
            args = _checked_arguments(obj, args, given)
        result = super().call(context, obj, *args, **kwargs)
        _check_made(result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Return ``str.format`` or ``format_map`` with every field bounded."""
        if super().wrap_str_format(value) is None:
            return None
        text: str = value.__self__
        is_format_map = value.__name__ == "format_map"

        def bounded_format(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                mapping = args[0]
                args, kwargs = (), mapping
            formatter: _BoundedFormatter
            if isinstance(text, Markup):
                formatter = _BoundedEscapeFormatter(self, escape=text.escape)
            else:
                formatter = _BoundedFormatter(self)
            return type(text)(formatter.vformat(text, args, kwargs))

        return update_wrapper(bounded_format, value)

    def concat_texts(self, join: Callable[[Sequence[Any]], str], values: Any) -> str:
        """Join the operands of ``~`` once their text is known to be short enough."""
        size = sum(_printed_size(value) for value in values)
        if size > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"joining texts with ~ past {MAX_OUTPUT_CHARS:,} characters"
            )
        return join(values)

    def compared(self, value: Any) -> Any:
        """Return a value to compare or hash once it is known to be small enough."""
        if not isinstance(value, str | int | float | None):
            _check_printable("comparing or looking up", value)
        return value


# -- sizes ---------------------------------------------------------------------


def _too_big(value: Any, limit: int) -> bool:
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
    return _too_big(right, MAX_REPEAT) or len(left) * right > MAX_OUTPUT_CHARS


def _adds_too_much(left: Any, right: Any) -> bool:
    sequences = (str, bytes, list, tuple)
    if not (isinstance(left, sequences) and isinstance(right, sequences)):
        return False
    return len(left) + len(right) > MAX_OUTPUT_CHARS


def _check_size(what: str, size: int) -> None:
    """Refuse a call whose result would pass MAX_OUTPUT_CHARS characters."""
    if size > MAX_OUTPUT_CHARS:
        raise SecurityError(
            f"{what} would make more than the {MAX_OUTPUT_CHARS:,} characters "
            "a handout may have"
        )


def _check_made(value: Any) -> None:
    """Refuse what a call made if it is too long.

    This catches the calls whose result is not worked out beforehand: they
    make a text at most a few times longer than the ones they were given.
    """
    if isinstance(value, int) and value.bit_length() > MAX_INTEGER_BITS:
        raise SecurityError("the result would be a number too large to print")
    sized = (str, bytes, list, tuple, dict, set, frozenset)
    if isinstance(value, sized) and len(value) > MAX_OUTPUT_CHARS:
        raise SecurityError(
            f"a result longer than {MAX_OUTPUT_CHARS:,} characters or items"
        )


def _check_printable(doing: str, *values: Any) -> None:
    """Refuse values that would print as more than MAX_OUTPUT_CHARS characters.

    Printing, comparing or hashing a value costs about as much as its text,
    and a list holding the same list twice prints it twice: forty levels of
    that print a trillion characters in one built-in call.
    """
    for value in values:
        if _printed_size(value) > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"{doing} a value that would print as more than "
                f"{MAX_OUTPUT_CHARS:,} characters"
            )


def _printed_size(value: Any) -> int:
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


def _materialized(value: Any) -> list[Any] | None:
    """Return the items of an iterable as a list, or None if it is not one."""
    try:
        iterator = iter(value)
    except TypeError:
        return None
    return list(iterator)


def _check_keys(keys: Iterable[Any]) -> None:
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


def _arg(
    args: Sequence[Any],
    kwargs: Mapping[str, Any],
    index: int,
    name: str,
    default: Any = None,
) -> Any:
    """Return an argument given by position or by name."""
    return args[index] if len(args) > index else kwargs.get(name, default)


# -- formatting ----------------------------------------------------------------

_DIGITS = re.compile(r"\d+")
_PERCENT_FIELD = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.DOTALL
)
_NUMBER_CONVERSIONS = frozenset("diouxXeEfFgG")
# "%f" % 1e308 has 309 digits before the point.
_LONGEST_NUMBER = 330


def _check_spec(spec: str) -> None:
    """Refuse a format spec whose width or precision passes the bound."""
    for digits in _DIGITS.findall(spec):
        if len(digits) > 7 or int(digits) > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"widths and precisions above {MAX_OUTPUT_CHARS:,} are not allowed"
            )


def _percent_size(text: str | bytes, values: Any) -> int:
    """Return at most how many characters ``text % values`` makes."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    size = len(text) + _printed_size(values)
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


class _BoundedFormatter(SandboxedFormatter):
    """``str.format`` for templates: each field, and all of them, bounded."""

    def __init__(self, env: HandoutSandbox, **kwargs: Any) -> None:
        super().__init__(env, **kwargs)
        self._made = 0

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion is not None:
            _check_printable("formatting", value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> Any:
        _check_spec(format_spec)
        _check_printable("formatting", value)
        text = super().format_field(value, format_spec)
        self._made += len(text)
        _check_size("format", self._made)
        return text


class _BoundedEscapeFormatter(_BoundedFormatter, SandboxedEscapeFormatter):
    """``Markup.format`` for templates, bounded like ``str.format``."""


# -- calls ---------------------------------------------------------------------

_Args = tuple[Any, ...]
_Kwargs = dict[str, Any]

# The checks of a call: its name, the object the method belongs to, and the
# arguments; each returns the arguments to call with (iterables as lists).
_CallCheck = Callable[[str, Any, _Args, _Kwargs], _Args]


def _checked_arguments(obj: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    """Refuse a call that would make too much; return the arguments to call with."""
    name = getattr(obj, "__name__", "")
    owner = getattr(obj, "__self__", None)
    check: _CallCheck | None = None
    if obj is dict or obj is _Namespace:
        check = _check_mapping_arguments
    elif isinstance(owner, str | bytes):
        check = _TEXT_METHOD_CHECKS.get(name)
    elif isinstance(owner, int) and name == "to_bytes":
        check = _check_to_bytes
    elif isinstance(owner, type) and issubclass(owner, dict) and name == "fromkeys":
        check = _check_fromkeys
    return args if check is None else check(name, owner, args, kwargs)


def _same_kind(text: str | bytes, *others: Any) -> bool:
    kind = str if isinstance(text, str) else bytes
    return all(isinstance(other, kind) for other in others)


def _check_replace(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    old, new = _arg(args, kwargs, 0, "old"), _arg(args, kwargs, 1, "new")
    count = _arg(args, kwargs, 2, "count", -1)
    if _same_kind(text, old, new) and isinstance(count, int):
        times = text.count(old)  # cheap: one pass, nothing made
        if count >= 0:
            times = min(times, count)
        _check_size(name, len(text) + times * (len(new) - len(old)))
    return args


def _check_width(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    width = _arg(args, kwargs, 0, "width")
    if isinstance(width, int):
        _check_size(name, max(len(text), width))
    return args


def _check_expandtabs(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    tab_size = _arg(args, kwargs, 0, "tabsize", 8)
    if isinstance(tab_size, int):
        tabs = text.count("\t" if isinstance(text, str) else b"\t")
        _check_size(name, len(text) + tabs * max(tab_size, 0))
    return args


def _check_join(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    items = _materialized(args[0]) if args else None
    if items is None:
        return args
    size = sum(_printed_size(item) for item in items)
    _check_size(name, size + len(text) * max(len(items) - 1, 0))
    return (items, *args[1:])


def _check_translate(name: str, text: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    if isinstance(text, str) and args:
        _check_size(name, len(text) * _longest_replacement(args[0]))
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
    errors = _arg(args, kwargs, 1, "errors", "strict")
    _check_size(name, len(text) * (100 if errors == "namereplace" else 10))
    return args


def _check_to_bytes(name: str, number: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    length = _arg(args, kwargs, 0, "length", 1)
    if isinstance(length, int):
        _check_size(name, length)
    return args


def _check_fromkeys(name: str, owner: Any, args: _Args, kwargs: _Kwargs) -> _Args:
    keys = _materialized(args[0]) if args else None
    if keys is None:
        return args
    _check_printable("using as keys", keys)
    _check_keys(keys)
    return (keys, *args[1:])


def _check_mapping_arguments(
    name: str, owner: Any, args: _Args, kwargs: _Kwargs
) -> _Args:
    """Check the keys ``dict(pairs)`` or ``namespace(pairs)`` would hash."""
    if len(args) != 1 or isinstance(args[0], Mapping):
        return args
    items = _materialized(args[0])
    if items is None:
        return args
    pairs = [_as_pair(item) for item in items]
    _check_printable("using as keys", pairs)
    _check_keys(p[0] for p in pairs if isinstance(p, tuple | list) and len(p) == 2)
    return (pairs,)


def _as_pair(item: Any) -> Any:
    """Return an item of ``dict(items)`` as a tuple if it is any other iterable."""
    if isinstance(item, tuple | list | str | bytes):
        return item
    items = _materialized(item)
    return item if items is None else tuple(items)


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


# -- Jinja's filters and tests -------------------------------------------------

# Filters that never turn their value into text, compare it or hash it.
_FILTERS_THAT_DO_NOT_PRINT = frozenset(
    {"attr", "count", "d", "default", "first", "last", "length", "random"}
    | {"batch", "items", "list", "reverse", "slice", "sum"}
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
            _check_printable(f"{what} on", value, *args, *kwargs.values())
        if check is not None:
            value = check(context, value, args, kwargs)
        result = context.call(func, value, *args, **kwargs)
        _check_made(result)
        return result

    return checked


def _checked_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    unmeasured = _FILTERS_THAT_DO_NOT_PRINT | _FILTERS_THAT_MEASURE
    for name, func in filters.items():
        check = _FILTER_CHECKS.get(name)
        prints = name not in unmeasured
        plain = check is None and not prints
        checked[name] = func if plain else _checked(f"|{name}", func, check, prints)
    return checked


def _checked_tests(tests: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: (
            func
            if name in _TESTS_THAT_DO_NOT_COMPARE
            else _checked(f"'is {name}'", func, _TEST_CHECKS.get(name), prints=True)
        )
        for name, func in tests.items()
    }


def _check_center(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    width = _arg(args, kwargs, 0, "width", 80)
    if isinstance(width, int):
        _check_size("|center", max(_printed_size(value), width))
    return value


def _check_indent(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    width = _arg(args, kwargs, 0, "width", 4)
    step = len(width) if isinstance(width, str) else width
    if isinstance(value, str) and isinstance(step, int):
        lines = value.count("\n") + 2
        _check_size("|indent", len(value) + lines * max(step, 0))
    return value


def _check_wordwrap(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    between = _arg(args, kwargs, 2, "wrapstring")
    if between is None:
        between = context.environment.newline_sequence
    if isinstance(value, str) and isinstance(between, str):
        # At worst every character is a line of its own.
        _check_size("|wordwrap", len(value) + (len(value) + 1) * len(between))
    return value


def _check_replace_filter(
    context: Context, value: Any, args: _Args, kwargs: _Kwargs
) -> Any:
    old = str(_arg(args, kwargs, 0, "old", ""))
    new = str(escape(_arg(args, kwargs, 1, "new", "")))
    count = _arg(args, kwargs, 2, "count")
    # Jinja replaces in the text as it is or escaped, depending on the
    # arguments; the larger of the two is what it could make.
    texts = (str(value), str(escape(value)))
    times = max(text.count(old) for text in texts)
    if isinstance(count, int) and count >= 0:
        times = min(times, count)
    _check_size("|replace", max(map(len, texts)) + times * len(new))
    return value


def _check_format_filter(
    context: Context, value: Any, args: _Args, kwargs: _Kwargs
) -> Any:
    _check_size("|format", _percent_size(str(value), kwargs or args))
    return value


def _check_join_filter(
    context: Context, value: Any, args: _Args, kwargs: _Kwargs
) -> Any:
    items = _materialized(value)
    if items is None:
        return value
    between = _arg(args, kwargs, 0, "d", "")
    _check_printable("|join with", between)
    between = str(between)
    attribute = _arg(args, kwargs, 1, "attribute")
    parts: Iterable[Any] = items
    if attribute is not None:
        parts = map(make_attrgetter(context.environment, attribute), items)
    size = sum(_printed_size(part) for part in parts)
    _check_size("|join", size + len(between) * max(len(items) - 1, 0))
    return items


def _check_batch(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    count = _arg(args, kwargs, 0, "linecount")
    filler = _arg(args, kwargs, 1, "fill_with")
    if filler is not None and _too_big(count, MAX_REPEAT):
        raise SecurityError(f"|batch fills batches of at most {MAX_REPEAT:,} items")
    return value


def _check_slice(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    if _too_big(_arg(args, kwargs, 0, "slices"), MAX_REPEAT):
        raise SecurityError(f"|slice makes at most {MAX_REPEAT:,} slices")
    return value


def _check_sum(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    """Bound the items |sum copies when it adds up lists, one copy a list."""
    start = _arg(args, kwargs, 1, "start", 0)
    items = _materialized(value) if isinstance(start, list | tuple) else None
    if items is None:
        return value
    attribute = _arg(args, kwargs, 0, "attribute")
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
    places = _arg(args, kwargs, 0, "precision", 0)
    if _too_big(places, MAX_EXPONENT):
        raise SecurityError(f"rounding to more than {MAX_EXPONENT} places")
    rounds_to_a_side = _arg(args, kwargs, 1, "method", "common") != "common"
    if rounds_to_a_side and isinstance(value, str | bytes | list | tuple):
        raise SecurityError("|round rounds numbers only")
    return value


def _check_urlize(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    text = str(value)
    policies = context.environment.policies
    target = _arg(args, kwargs, 2, "target") or policies["urlize.target"] or ""
    rel = f"{_arg(args, kwargs, 3, 'rel') or ''} {policies['urlize.rel'] or ''}"
    # Every word may become a link: the word twice, as the address and as the
    # link's text, escaped (up to five times longer), and the attributes.
    per_link = len(str(target)) + len(rel) + 60
    _check_size("|urlize", 10 * len(text) + len(text.split()) * per_link)
    return value


def _check_unique(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    items = _materialized(value)
    if items is None:
        return value
    case_sensitive = _arg(args, kwargs, 0, "case_sensitive", False)
    attribute = _arg(args, kwargs, 1, "attribute")
    key = make_attrgetter(
        context.environment,
        attribute,
        postprocess=None if case_sensitive else ignore_case,
    )
    keys = [key(item) for item in items]
    _check_printable("|unique on", keys)
    _check_keys(keys)
    return items


def _check_groupby(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    items = _materialized(value)
    if items is None:
        return value
    key = make_attrgetter(
        context.environment,
        _arg(args, kwargs, 0, "attribute"),
        default=_arg(args, kwargs, 1, "default"),
    )
    _check_printable("|groupby on", [key(item) for item in items])
    return items


def _check_remainder(context: Context, value: Any, args: _Args, kwargs: _Kwargs) -> Any:
    # The tests divisibleby, even and odd work out value % number, which
    # formats a text.
    if isinstance(value, str | bytes):
        number = _arg(args, kwargs, 0, "num", 2)
        _check_size("formatting with %", _percent_size(value, number))
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


class _BoundedText(StringIO):
    """A text buffer that refuses to grow past MAX_OUTPUT_CHARS."""

    def __init__(self, what: str) -> None:
        super().__init__()
        self._what = what

    def write(self, text: str) -> int:
        _check_size(self._what, self.tell() + len(text))
        return super().write(text)


def _bounded_pformat(value: Any) -> str:
    """Jinja's |pprint, stopped as soon as its text would pass the bound.

    Its indents grow with each level and with the keys, so its text can be
    far longer than the value's own.
    """
    _check_printable("|pprint on", value)
    text = _BoundedText("|pprint")
    pprint.PrettyPrinter(stream=text).pprint(value)
    return text.getvalue()[:-1]  # pprint ends with a newline, pformat does not


def _bounded_json_dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` for |tojson, stopped as soon as its text passes the bound."""
    text = _BoundedText("|tojson")
    for chunk in json.JSONEncoder(**options).iterencode(value):
        text.write(chunk)
    return text.getvalue()


# -- PacketStudio's filters ----------------------------------------------------


def number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators: ``1446 -> "1,446"``."""
    if isinstance(decimals, int):
        _check_size("|number", decimals)
    return f"{value:,.{decimals}f}"


def label(value: str) -> str:
    """Turn a stored word into text: ``"off_season" -> "Off season"``."""
    _check_printable("|label on", value)
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def sentence(value: str) -> str:
    """Capitalise the first letter only: ``"push pull legs" -> "Push pull legs"``."""
    _check_printable("|sentence on", value)
    text = str(value)
    return text[:1].upper() + text[1:]


def duration(seconds: int) -> str:
    """Write a rest time: ``90 -> "90 s"``, ``150 -> "2 min 30 s"``."""
    if seconds < 120:
        return f"{seconds} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


FILTERS: dict[str, Callable[..., str]] = {
    "number": number,
    "label": label,
    "sentence": sentence,
    "duration": duration,
    "mass": units.mass,
    "volume": units.volume,
    "food_mass": units.food_mass,
}


@cache
def environment() -> HandoutSandbox:
    """Return this process's sandbox (templates compiled in it are cached)."""
    env = HandoutSandbox(
        autoescape=True,
        undefined=StrictUndefined,
        extensions=[_LineMarks],
        auto_reload=False,
        finalize=_printable,
    )
    env.globals = {name: env.globals[name] for name in _GLOBALS}
    env.globals["namespace"] = _Namespace
    # PacketStudio's filters keep their own bounds.
    env.filters = _checked_filters(env.filters) | FILTERS
    env.filters["pprint"] = _bounded_pformat
    env.tests = _checked_tests(env.tests)
    env.policies["json.dumps_function"] = _bounded_json_dumps
    return env


def _printable(value: Any) -> Any:
    """Return a value to print once its text is known to be short enough."""
    if not isinstance(value, str) or len(value) > MAX_OUTPUT_CHARS:
        _check_printable("printing", value)
    return value


@lru_cache(maxsize=32)
def compile_template(source: str) -> Template:
    """Compile a template, once per process for the same text.

    Raises:
        TemplateFailure: the template is too long, has a syntax error, nests
            too deeply, or fails in an expression Jinja works out in advance.
    """
    if len(source) > MAX_SOURCE_CHARS:
        raise TemplateFailure(
            f"the template is too long ({len(source):,} characters; at most "
            f"{MAX_SOURCE_CHARS:,})"
        )
    try:
        return environment().from_string(source)
    except TemplateSyntaxError as exc:
        raise TemplateFailure(f"syntax error: {exc.message}", exc.lineno) from None
    except (RecursionError, MemoryError):
        # Jinja's parser recurses once per nested bracket, tag or operator.
        raise TemplateFailure(
            "the template nests brackets, tags or operators too deeply"
        ) from None
    except SyntaxError as exc:
        # Python refuses the compiled template: more than 20 nested loops or
        # 100 nested blocks, or (with warnings as errors) a literal that
        # cannot be called or indexed.
        raise TemplateFailure(f"the template cannot be compiled: {exc.msg}") from None
    except Exception as exc:  # Jinja evaluates constant expressions as it compiles
        raise _failure(exc) from None


def render_markup(
    source: str,
    context: Mapping[str, Any],
    time_limit: float = TEMPLATE_TIME_LIMIT,
) -> str:
    """Render a handout template to markup.

    Args:
        source: the template's text.
        context: the variables the template sees.
        time_limit: the seconds the template's code may run (compiling it
            is not counted).

    Raises:
        TemplateSecurityError: the template reached for something unsafe.
        TemplateFailure: any other mistake, with its template line if known,
            including running past ``time_limit``.
    """
    template = compile_template(source)
    try:
        return run_within(time_limit, lambda: _bounded(template.generate(context)))
    except RanTooLong as exc:
        raise _ran_too_long(template, time_limit, exc) from None
    except TemplateFailure:
        raise
    except Exception as exc:  # any mistake inside the template is the template's
        raise _failure(exc) from None


def _ran_too_long(
    template: Template, seconds: float, exc: RanTooLong
) -> TemplateFailure:
    """Return the failure for a template stopped at its time limit.

    Jinja does not rewrite the traceback of a BaseException, so the line is
    worked out from the compiled code's line, in the innermost template
    frame: the loop that was running.
    """
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == TEMPLATE_NAME:
            line = template.get_corresponding_lineno(lineno)
    return TemplateFailure(
        f"the template ran longer than {seconds:g} s, so it was stopped; "
        "look for loops inside loops",
        line,
    )


def _failure(exc: Exception) -> TemplateFailure:
    """Return the failure to report for ``exc``, raised by template code."""
    if isinstance(exc, SecurityError):
        return TemplateSecurityError(
            f"not allowed in a template: {exc}", template_line(exc)
        )
    line = template_line(exc)
    if isinstance(exc, UndefinedError):
        return TemplateFailure(f"undefined value: {_shortened(exc.message)}", line)
    return TemplateFailure(f"{type(exc).__name__}: {_shortened(str(exc))}", line)


def _shortened(text: str | None) -> str:
    """Return an error's text cut short: it may quote a long value."""
    text = text or ""
    if len(text) <= MAX_MESSAGE_CHARS:
        return text
    return text[:MAX_MESSAGE_CHARS] + "..."


def _bounded(chunks: Iterable[str]) -> str:
    parts: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateFailure(
                f"the template produces more than {MAX_OUTPUT_CHARS:,} characters"
            )
        parts.append(chunk)
    return "".join(parts)


def template_line(exc: BaseException) -> int | None:
    """Return the template line an exception was raised on, if it was in one.

    Jinja rewrites the traceback so that template code appears as frames of
    a file named after the template, numbered by template line.
    """
    line = getattr(exc, "lineno", None)
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == TEMPLATE_NAME:
            line = lineno
    return line if isinstance(line, int) else None
