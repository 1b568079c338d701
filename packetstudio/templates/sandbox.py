"""Running a handout template in Jinja2's sandbox: template text to markup.

Templates are data that staff edit, so they run in an immutable sandbox with
:class:`~jinja2.StrictUndefined` and autoescaping: a template can read the
packet's content but cannot reach Python internals, change the content or
print a blank where a value is missing, and every value it prints arrives
XML-escaped in the markup. Its code is stopped once it has run for a time
limit (see :mod:`packetstudio.templates.time_limit`). Whatever goes wrong
surfaces as one :class:`~packetstudio.templates.errors.TemplateFailure` with
the template line.

Each tag written in the template is preceded in the output by a processing
instruction ``<?l N?>`` naming its template line, so that the markup parser
can report an unknown element on the line the editor wrote it on.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    UndefinedError,
    pass_context,
)
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

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
MAX_OUTPUT_CHARS = 4_000_000
# Bounds on "*" and "**": enough for any handout, too small to exhaust memory.
MAX_REPEAT = 10_000
MAX_EXPONENT = 64
# Python prints integers of at most 4,300 digits, about 14,000 bits.
MAX_INTEGER_BITS = 14_000

_TAG_START = re.compile(r"<(?=[A-Za-z/])")
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


# FIXME(templates): text methods are not bounded: ("a" * 10000).replace("a",
# "a" * 10000) makes 100 million characters in one built-in call, which the
# time limit cannot stop either (it acts only between bytecodes).
class HandoutSandbox(ImmutableSandboxedEnvironment):
    """The sandbox handout templates run in.

    On top of Jinja's immutable sandbox: names starting with an underscore
    are refused as keys too, not just as attributes; a mapping's keys win over
    its methods (``group.items`` is the field, not ``dict.items``); and
    repetition and powers are bounded.
    """

    intercepted_binops = frozenset({"*", "**"})

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
        return super().call_binop(context, operator, left, right)


def _too_big(value: Any, limit: int) -> bool:
    return isinstance(value, int | float) and abs(value) > limit


def _result_bits(operator: str, left: Any, right: Any) -> int:
    """Return about how many bits an integer product or power would have."""
    if not (isinstance(left, int) and isinstance(right, int)):
        return 0
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


# -- filters -------------------------------------------------------------------


def number(value: float, decimals: int = 0) -> str:
    """Format a number with thousands separators: ``1446 -> "1,446"``."""
    return f"{value:,.{decimals}f}"


def label(value: str) -> str:
    """Turn a stored word into text: ``"off_season" -> "Off season"``."""
    text = str(value).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def sentence(value: str) -> str:
    """Capitalise the first letter only: ``"push pull legs" -> "Push pull legs"``."""
    text = str(value)
    return text[:1].upper() + text[1:]


def duration(seconds: int) -> str:
    """Write a rest time: ``90 -> "90 s"``, ``150 -> "2 min 30 s"``."""
    if seconds < 120:
        return f"{seconds} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


# Conversion factors: NIST Handbook 44, Appendix C.
POUNDS_PER_KG = 2.20462
US_FL_OZ_PER_LITRE = 33.814


@pass_context
def mass(context: Context, kilograms: float, decimals: int = 1) -> str:
    """Write a body weight in the handout's units: ``82 -> "82.0 kg"/"180.8 lb"``."""
    if context.get("units") == "imperial":
        return f"{number(kilograms * POUNDS_PER_KG, decimals)} lb"
    return f"{number(kilograms, decimals)} kg"


@pass_context
def volume(context: Context, litres: float, decimals: int = 1) -> str:
    """Write a volume of drink in the handout's units: ``2.5 -> "2.5 L"/"85 fl oz"``."""
    if context.get("units") == "imperial":
        return f"{number(litres * US_FL_OZ_PER_LITRE)} fl oz"
    return f"{number(litres, decimals)} L"


FILTERS: dict[str, Callable[..., str]] = {
    "number": number,
    "label": label,
    "sentence": sentence,
    "duration": duration,
    "mass": mass,
    "volume": volume,
}


@cache
def environment() -> HandoutSandbox:
    """Return this process's sandbox (templates compiled in it are cached)."""
    env = HandoutSandbox(
        autoescape=True,
        undefined=StrictUndefined,
        extensions=[_LineMarks],
        auto_reload=False,
    )
    env.globals = {name: env.globals[name] for name in _GLOBALS}
    env.filters.update(FILTERS)
    return env


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
    if isinstance(exc, UndefinedError):
        return TemplateFailure(f"undefined value: {exc.message}", template_line(exc))
    return TemplateFailure(f"{type(exc).__name__}: {exc}", template_line(exc))


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
