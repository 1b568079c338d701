"""Running a handout template in Jinja2's sandbox: template text to markup.

Templates are data that staff edit, so they run in an immutable sandbox with
:class:`~jinja2.StrictUndefined` and autoescaping: a template can read the
packet's content but cannot reach Python internals, change the content or
print a blank where a value is missing, and every value it prints arrives
XML-escaped in the markup. Its code is stopped once it has run for a time
limit (see :mod:`packetstudio.templates.time_limit`), no single call it
makes may make more than MAX_OUTPUT_CHARS characters or items (see
:mod:`packetstudio.templates.bounds`), and the whole render may build at
most RENDER_BUDGET bytes of values (see
:mod:`packetstudio.templates.budget`). Whatever goes wrong surfaces as one
:class:`~packetstudio.templates.errors.TemplateFailure` with the template
line.

Each tag written in the template is preceded in the output by a processing
instruction ``<?l N?>`` naming its template line, so that the markup parser
can report an unknown element on the line the editor wrote it on.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

from jinja2 import (
    StrictUndefined,
    Template,
    TemplateSyntaxError,
    UndefinedError,
    nodes,
)
from jinja2.compiler import CodeGenerator, Frame, operators, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from packetstudio.templates.bounded_filters import (
    bounded_filters,
    bounded_json_dumps,
    bounded_pformat,
    bounded_tests,
)
from packetstudio.templates.bounds import (
    MAX_OUTPUT_CHARS,
    check_made,
    check_operator,
    check_printable,
    printed_size,
)
from packetstudio.templates.budget import CapturedText, render_budget, spend
from packetstudio.templates.calls import bounded_str_format, checked_arguments
from packetstudio.templates.errors import TemplateFailure, TemplateSecurityError
from packetstudio.templates.filters import FILTERS
from packetstudio.templates.names import HandoutNamespace, refuse_private
from packetstudio.templates.time_limit import (
    TEMPLATE_TIME_LIMIT,
    RanTooLong,
    run_within,
)

log = logging.getLogger(__name__)

TEMPLATE_NAME = "<template>"
LINE_MARK = "l"
MAX_SOURCE_CHARS = 200_000
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


class _CheckedCodeGenerator(CodeGenerator):
    """Compiles ``~``, comparisons, lists, mappings and slices through the sandbox.

    Jinja compiles them to plain Python, where one operation would turn a
    list that holds the same list many times into text, or compare or hash
    it, at a cost that doubles with every level; and the lists, mappings,
    slices and captured text a loop makes on every turn would escape the
    render's budget.
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

    def buffer(self, frame: Frame) -> None:
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = environment.captured_text()")

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self.write("environment.made({")
        for index, item in enumerate(node.items):
            if index:
                self.write(", ")
            self.write("environment.compared(")
            self.visit(item.key, frame)
            self.write("): ")
            self.visit(item.value, frame)
        self.write("})")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self.write("environment.made(")
        super().visit_List(node, frame)
        self.write(")")

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # the names of a loop or an assignment
            super().visit_Tuple(node, frame)
            return
        self.write("environment.made(")
        super().visit_Tuple(node, frame)
        self.write(")")

    @optimizeconst
    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        # Jinja slices in plain Python, not through the sandbox.
        if not isinstance(node.arg, nodes.Slice):
            super().visit_Getitem(node, frame)
            return
        self.write("environment.made(")
        super().visit_Getitem(node, frame)
        self.write(")")


class HandoutSandbox(ImmutableSandboxedEnvironment):
    """The sandbox handout templates run in.

    On top of Jinja's immutable sandbox: names starting with an underscore
    are refused as keys too, not just as attributes; a mapping's keys win over
    its methods (``group.items`` is the field, not ``dict.items``); no
    single call, operator, filter or test may make more than
    MAX_OUTPUT_CHARS characters or items, or compare, hash or print a value
    that would print as more (see :mod:`packetstudio.templates.bounds`);
    and what they make, with the text blocks capture, is counted in the
    render's budget (see :mod:`packetstudio.templates.budget`).
    """

    # "-" only for its result to be counted: it takes sets apart.
    intercepted_binops = frozenset({"*", "**", "+", "-", "%"})
    code_generator_class = _CheckedCodeGenerator
    captured_text = CapturedText

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        return not attr.startswith("_") and super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        refuse_private(attribute)
        if isinstance(obj, Mapping) and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(argument, str):
            refuse_private(argument)
        else:
            self.compared(argument)
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        check_operator(operator, left, right)
        result = super().call_binop(context, operator, left, right)
        check_made(result)
        return result

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Call ``obj`` for a template once its result is known to be short."""
        # A macro's body is template code, checked as it runs.
        if not isinstance(obj, Macro):
            owner = getattr(obj, "__self__", None)
            # A mapping's methods never print or compare its values.
            if not isinstance(owner, Mapping):
                check_printable("passing", owner)
            given = {k: v for k, v in kwargs.items() if k not in _JINJA_ARGUMENTS}
            check_printable("passing", *args, *given.values())
            args = checked_arguments(obj, args, given)
        result = super().call(context, obj, *args, **kwargs)
        check_made(result)
        return result

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Return ``str.format`` or ``format_map`` with every field bounded."""
        if super().wrap_str_format(value) is None:
            return None
        return bounded_str_format(self, value)

    def concat_texts(self, join: Callable[[Sequence[Any]], str], values: Any) -> str:
        """Join the operands of ``~`` once their text is known to be short enough."""
        size = sum(printed_size(value) for value in values)
        if size > MAX_OUTPUT_CHARS:
            raise SecurityError(
                f"joining texts with ~ past {MAX_OUTPUT_CHARS:,} characters"
            )
        text = join(values)
        check_made(text)
        return text

    def concat(self, parts: Iterable[str]) -> str:
        """Join the texts a block, a macro or a ``set`` block captured.

        The joined text is counted in the render's budget before it is made:
        a block may print a long value many times over.
        """
        texts = parts if isinstance(parts, list) else list(parts)
        spend(sum(map(len, texts)))
        return "".join(texts)

    def made(self, value: Any) -> Any:
        """Return a slice, list, tuple or mapping the template's code made.

        It is counted in the render's budget: a loop could keep one on every
        turn.
        """
        check_made(value)
        return value

    def compared(self, value: Any) -> Any:
        """Return a value to compare or hash once it is known to be small enough."""
        if not isinstance(value, str | int | float | None):
            check_printable("comparing or looking up", value)
        return value


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
    env.globals["namespace"] = HandoutNamespace
    # PacketStudio's filters keep their own bounds.
    env.filters = bounded_filters(env.filters) | FILTERS
    env.filters["pprint"] = bounded_pformat
    env.tests = bounded_tests(env.tests)
    env.policies["json.dumps_function"] = bounded_json_dumps
    return env


def _printable(value: Any) -> Any:
    """Return a value to print once its text is known to be short enough."""
    if not isinstance(value, str) or len(value) > MAX_OUTPUT_CHARS:
        check_printable("printing", value)
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
        with render_budget():
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
