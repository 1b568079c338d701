"""The handout markup: a small XML vocabulary that templates render to.

:func:`parse_markup` reads a template's output into a tree of :class:`Node`,
checking every element and attribute against :data:`RULES` as it goes, so an
unknown element or a misplaced one is reported on the template line it was
written on (see :mod:`packetstudio.templates.sandbox` for the line marks).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from packetstudio.templates.errors import TemplateFailure
from packetstudio.templates.sandbox import LINE_MARK

INLINE = frozenset({"b", "i", "br"})
BLOCKS = frozenset(
    {
        "h1",
        "h2",
        "p",
        "ul",
        "table",
        "glance",
        "notice",
        "chart",
        "log",
        "checklist",
        "pagebreak",
        "sources",
        "conventions",
        "disclaimer",
        "keep",
    }
)


@dataclass(frozen=True)
class Rule:
    """What one element may carry.

    Attributes:
        attributes: the attribute names it accepts.
        required: the ones it must have.
        children: the elements allowed directly inside it.
        text: whether it holds text (with inline ``<b>``, ``<i>``, ``<br/>``).
    """

    attributes: frozenset[str] = frozenset()
    required: frozenset[str] = frozenset()
    children: frozenset[str] = frozenset()
    text: bool = False


def _rule(
    attributes: str = "",
    required: str = "",
    children: frozenset[str] | str = "",
    text: bool = False,
) -> Rule:
    names = children.split() if isinstance(children, str) else children
    return Rule(
        frozenset(attributes.split()),
        frozenset(required.split()),
        frozenset(names),
        text,
    )


RULES: dict[str, Rule] = {
    "handout": _rule("title subtitle", children=BLOCKS),
    "keep": _rule(children=BLOCKS - {"keep", "pagebreak"}),
    "h1": _rule(children=INLINE, text=True),
    "h2": _rule(children=INLINE, text=True),
    "p": _rule(children=INLINE, text=True),
    "ul": _rule(children="li"),
    "li": _rule(children=INLINE, text=True),
    "table": _rule("widths", children="tr"),
    "tr": _rule("header", children="td"),
    "td": _rule("align", children=INLINE, text=True),
    "glance": _rule("title", children="item"),
    "item": _rule("label", children=INLINE, text=True),
    "notice": _rule("kind title", "kind", children="p ul"),
    "chart": _rule("name", "name"),
    "log": _rule("title columns rows widths numbered", "columns rows"),
    "checklist": _rule("title", children="item"),
    "pagebreak": _rule(),
    "sources": _rule(),
    "conventions": _rule(),
    "disclaimer": _rule(),
    "b": _rule(children=INLINE, text=True),
    "i": _rule(children=INLINE, text=True),
    "br": _rule(),
}


@dataclass
class Node:
    """One element of the markup, with its template line.

    Attributes:
        children: elements and text, in document order.
    """

    tag: str
    attrs: dict[str, str]
    line: int | None
    children: list[Node | str] = field(default_factory=list)

    @property
    def elements(self) -> list[Node]:
        """The child elements, without the text between them."""
        return [c for c in self.children if isinstance(c, Node)]

    def text(self) -> str:
        """Return all the text inside, tags dropped and spaces collapsed."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join("".join(parts).split())

    def fail(self, message: str) -> TemplateFailure:
        """Return a :class:`TemplateFailure` about this element, on its line."""
        return TemplateFailure(f"<{self.tag}>: {message}", self.line)


class _TreeBuilder:
    """Expat callbacks that build and check the tree."""

    def __init__(self, parser: expat.XMLParserType) -> None:
        self.parser = parser
        self.line: int | None = None
        self.mark_row = 0
        self.stack: list[Node] = []
        self.root: Node | None = None

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        node = Node(tag, attrs, self.line)
        self._check(node)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def end(self, tag: str) -> None:
        self.stack.pop()

    def data(self, text: str) -> None:
        if not self.stack:
            return
        parent = self.stack[-1]
        if RULES[parent.tag].text:
            parent.children.append(text)
        elif text.strip():
            shown = " ".join(text.split())[:40]
            raise TemplateFailure(
                f"text {shown!r} must be inside an element such as <p>, not "
                f"directly inside <{parent.tag}>",
                self._text_line(text),
            )

    def _text_line(self, text: str) -> int | None:
        """Return the template line where ``text`` starts to show.

        Literal text keeps its line breaks, so the lines since the last mark
        are added to the mark's line. Buffered text arrives when the next tag
        starts, so the parser's line is where the text ends.
        """
        if self.line is None:
            return None
        start = self.parser.CurrentLineNumber - text.count("\n")
        leading = text[: len(text) - len(text.lstrip())].count("\n")
        return self.line + start - self.mark_row + leading

    def instruction(self, target: str, data: str) -> None:
        if target == LINE_MARK and data.strip().isdigit():
            self.line = int(data)
            self.mark_row = self.parser.CurrentLineNumber

    def doctype(self, *args: object) -> None:
        raise TemplateFailure("a DOCTYPE is not allowed in a handout", self.line)

    def _check(self, node: Node) -> None:
        rule = RULES.get(node.tag)
        if rule is None:
            raise TemplateFailure(f"unknown element <{node.tag}>", self.line)
        if not self.stack and node.tag != "handout":
            raise node.fail("the handout must start with <handout>")
        if self.stack:
            parent = self.stack[-1]
            if node.tag not in RULES[parent.tag].children:
                raise node.fail(f"not allowed inside <{parent.tag}>")
        unknown = sorted(set(node.attrs) - rule.attributes)
        if unknown:
            raise node.fail(f"unknown attribute {unknown[0]!r}")
        missing = sorted(rule.required - set(node.attrs))
        if missing:
            raise node.fail(f"the attribute {missing[0]!r} is required")


def parse_markup(text: str) -> Node:
    """Parse a rendered template into a checked tree.

    Raises:
        TemplateFailure: the markup is not well formed, or uses an element or
            attribute where the handout does not allow it.
    """
    parser = expat.ParserCreate()
    builder = _TreeBuilder(parser)
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.ProcessingInstructionHandler = builder.instruction
    parser.StartDoctypeDeclHandler = builder.doctype
    try:
        parser.Parse(text, True)
    except expat.ExpatError as exc:
        raise TemplateFailure(_explain(exc), _error_line(text, exc)) from None
    except UnicodeEncodeError as exc:
        raise TemplateFailure(
            f"the handout holds a character that is not text ({exc.reason}): "
            f"{text[exc.start : exc.end]!a}"
        ) from None
    if builder.root is None:
        raise TemplateFailure("the template produced no <handout>")
    return builder.root


_HINTS = {
    expat.errors.codes[expat.errors.XML_ERROR_INVALID_TOKEN]: (
        "a stray '<' or '&' in text? Write &lt; for < and &amp; for &"
    ),
    expat.errors.codes[expat.errors.XML_ERROR_TAG_MISMATCH]: (
        "a closing tag does not match the element it should close"
    ),
    expat.errors.codes[expat.errors.XML_ERROR_UNDEFINED_ENTITY]: (
        "only &amp; &lt; &gt; &quot; &apos; and numeric ones like &#160; exist"
    ),
    expat.errors.codes[expat.errors.XML_ERROR_NO_ELEMENTS]: (
        "an element is not closed, or the template is empty"
    ),
    expat.errors.codes[expat.errors.XML_ERROR_UNCLOSED_TOKEN]: (
        "an element is not closed"
    ),
    expat.errors.codes[expat.errors.XML_ERROR_JUNK_AFTER_DOC_ELEMENT]: (
        "nothing may follow </handout>"
    ),
}


def _explain(exc: expat.ExpatError) -> str:
    reason = expat.errors.messages[exc.code]
    hint = _HINTS.get(exc.code)
    return (
        f"malformed markup ({reason}): {hint}"
        if hint
        else f"malformed markup ({reason})"
    )


_MARK = re.compile(r"<\?" + LINE_MARK + r" (\d+)\?>")


def _error_line(text: str, exc: expat.ExpatError) -> int | None:
    """Map the output line of a parse error back to a template line.

    The nearest line mark before the error gives the template line of the
    tag before it; the literal text after a mark keeps its line breaks, so
    the lines counted since the mark are added.
    """
    lines = text.split("\n")
    row = min(max(exc.lineno, 1), len(lines)) - 1
    column = len(lines[row].encode()[: exc.offset].decode(errors="ignore"))
    position = sum(len(line) + 1 for line in lines[:row]) + column
    marks = list(_MARK.finditer(text, 0, position))
    if not marks:
        return None
    mark = marks[-1]
    since = text.count("\n", mark.start(), position)
    return int(mark.group(1)) + since
