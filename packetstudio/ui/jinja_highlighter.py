"""Colours for handout template text: Jinja2 tags and the markup they print.

A template mixes two languages: the handout markup (``<table widths="...">``)
and Jinja2 (``{{ value }}``, ``{% for %}``, ``{# note #}``), and either may
sit inside the other, as in ``<item label="{{ item.label }}">``. The
highlighter scans each line once, left to right, and carries what is still
open at its end (a tag, a quoted value, a Jinja tag or comment) into the
next line through the block state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtGui import (
    QColor,
    QFont,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)

from packetstudio.ui.labels import is_dark

KEYWORDS = frozenset(
    {
        *("and", "as", "block", "break", "by", "call", "continue", "do", "elif"),
        *("else", "endblock", "endcall", "endfilter", "endfor", "endif"),
        *("endmacro", "endraw", "endset", "endwith", "extends", "filter", "for"),
        *("from", "if", "import", "in", "include", "is", "macro", "not", "or"),
        *("raw", "recursive", "set", "with", "without"),
    }
)
CONSTANTS = frozenset(("true", "false", "none", "True", "False", "None"))

_JINJA_OPEN = re.compile(r"\{\{|\{%|\{#")
_JINJA_TOKEN = re.compile(
    r"""
    (?P<close>-?%\}|-?\}\})
    | (?P<string>"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)
    | (?P<number>\d+(?:\.\d+)?)
    | (?P<filter>\|\s*[A-Za-z_]\w*)
    | (?P<word>[A-Za-z_]\w*)
    | (?P<other>.)
    """,
    re.VERBOSE,
)
_TAG_OPEN = re.compile(r"</?[A-Za-z][\w.-]*|<!--|<\?")
_ATTRIBUTE = re.compile(r"[A-Za-z_][\w:.-]*")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


class Markup(IntEnum):
    """Where the scan is in the handout markup."""

    TEXT = 0
    TAG = 1
    DOUBLE_QUOTED = 2
    SINGLE_QUOTED = 3


class Jinja(IntEnum):
    """Which Jinja2 construct, if any, the scan is inside."""

    NONE = 0
    EXPRESSION = 1
    STATEMENT = 2
    COMMENT = 3


@dataclass
class Palette:
    """The character formats the highlighter applies."""

    delimiter: QTextCharFormat
    keyword: QTextCharFormat
    constant: QTextCharFormat
    name: QTextCharFormat
    filter: QTextCharFormat
    string: QTextCharFormat
    comment: QTextCharFormat
    tag: QTextCharFormat
    attribute: QTextCharFormat
    entity: QTextCharFormat


def _format(
    colour: str, *, bold: bool = False, italic: bool = False
) -> QTextCharFormat:
    result = QTextCharFormat()
    result.setForeground(QColor(colour))
    if bold:
        result.setFontWeight(QFont.Weight.Bold)
    result.setFontItalic(italic)
    return result


def make_palette(dark: bool) -> Palette:
    """Return colours that read well on a light or a dark background."""
    if dark:
        colours = ("#d79bff", "#7fb4ff", "#ffb86c", "#e6e6e6", "#5fd7d7")
        more = ("#9ad27a", "#8c8c8c", "#6cb6ff", "#e0a46a", "#ff9d9d")
    else:
        colours = ("#7b2fa8", "#1f4fbf", "#a34b00", "#202020", "#00707a")
        more = ("#2f7d16", "#6e6e6e", "#174ea6", "#8a4b08", "#a3153c")
    delimiter, keyword, constant, name, filter_ = colours
    string, comment, tag, attribute, entity = more
    return Palette(
        delimiter=_format(delimiter, bold=True),
        keyword=_format(keyword, bold=True),
        constant=_format(constant),
        name=_format(name),
        filter=_format(filter_),
        string=_format(string),
        comment=_format(comment, italic=True),
        tag=_format(tag, bold=True),
        attribute=_format(attribute),
        entity=_format(entity),
    )


def pack_state(markup: Markup, jinja: Jinja) -> int:
    """Return the block state that carries both scanners into the next line."""
    return int(markup) + 4 * int(jinja)


def unpack_state(state: int) -> tuple[Markup, Jinja]:
    if state < 0:
        return Markup.TEXT, Jinja.NONE
    return Markup(state % 4), Jinja(state // 4)


class JinjaHighlighter(QSyntaxHighlighter):
    """Colours a handout template: Jinja2 tags, strings, keywords and markup."""

    def __init__(self, document: QTextDocument, dark: bool | None = None) -> None:
        super().__init__(document)
        self.palette = make_palette(is_dark() if dark is None else dark)

    def highlightBlock(self, text: str) -> None:
        markup, jinja = unpack_state(self.previousBlockState())
        position = 0
        while position < len(text):
            if jinja is Jinja.COMMENT:
                position, jinja = self._comment(text, position)
            elif jinja is not Jinja.NONE:
                position, jinja = self._jinja(text, position, jinja)
            else:
                position, markup, jinja = self._markup(text, position, markup)
        self.setCurrentBlockState(pack_state(markup, jinja))

    # -- Jinja2 --------------------------------------------------------------

    def _comment(self, text: str, start: int) -> tuple[int, Jinja]:
        end = text.find("#}", start)
        if end < 0:
            self.setFormat(start, len(text) - start, self.palette.comment)
            return len(text), Jinja.COMMENT
        self.setFormat(start, end + 2 - start, self.palette.comment)
        return end + 2, Jinja.NONE

    def _jinja(self, text: str, start: int, jinja: Jinja) -> tuple[int, Jinja]:
        """Colour Jinja2 code up to its closing delimiter or the line's end."""
        for match in _JINJA_TOKEN.finditer(text, start):
            kind, value = match.lastgroup, match.group()
            if kind == "close":
                self.setFormat(match.start(), len(value), self.palette.delimiter)
                return match.end(), Jinja.NONE
            piece = self._token_format(kind, value)
            if piece is not None:
                self.setFormat(match.start(), len(value), piece)
        return len(text), jinja

    def _token_format(self, kind: str | None, value: str) -> QTextCharFormat | None:
        if kind == "string":
            return self.palette.string
        if kind == "number":
            return self.palette.constant
        if kind == "filter":
            return self.palette.filter
        if kind == "word":
            if value in KEYWORDS:
                return self.palette.keyword
            if value in CONSTANTS:
                return self.palette.constant
            return self.palette.name
        return None

    # -- the markup ----------------------------------------------------------

    def _markup(
        self, text: str, start: int, markup: Markup
    ) -> tuple[int, Markup, Jinja]:
        """Colour markup up to the next Jinja2 tag, which it then opens."""
        opener = _JINJA_OPEN.search(text, start)
        end = opener.start() if opener else len(text)
        markup = self._markup_span(text, start, end, markup)
        if opener is None:
            return end, markup, Jinja.NONE
        delimiter = opener.group()
        if delimiter == "{#":
            self.setFormat(opener.start(), 2, self.palette.comment)
            return opener.end(), markup, Jinja.COMMENT
        length = 3 if text.startswith("-", opener.end()) else 2
        self.setFormat(opener.start(), length, self.palette.delimiter)
        jinja = Jinja.STATEMENT if delimiter == "{%" else Jinja.EXPRESSION
        return opener.start() + length, markup, jinja

    def _markup_span(self, text: str, start: int, end: int, markup: Markup) -> Markup:
        position = start
        while position < end:
            if markup is Markup.TEXT:
                position, markup = self._text(text, position, end)
            elif markup is Markup.TAG:
                position, markup = self._tag(text, position, end)
            else:
                position, markup = self._quoted(text, position, end, markup)
        return markup

    def _text(self, text: str, start: int, end: int) -> tuple[int, Markup]:
        tag = _TAG_OPEN.search(text, start, end)
        stop = tag.start() if tag else end
        for entity in _ENTITY.finditer(text, start, stop):
            self.setFormat(entity.start(), len(entity.group()), self.palette.entity)
        if tag is None:
            return end, Markup.TEXT
        if tag.group() in ("<!--", "<?"):
            close = text.find("-->" if tag.group() == "<!--" else "?>", tag.end())
            stop = end if close < 0 else min(close + 3, end)
            self.setFormat(tag.start(), stop - tag.start(), self.palette.comment)
            return stop, Markup.TEXT
        self.setFormat(tag.start(), len(tag.group()), self.palette.tag)
        return tag.end(), Markup.TAG

    def _tag(self, text: str, start: int, end: int) -> tuple[int, Markup]:
        position = start
        while position < end:
            character = text[position]
            if text.startswith("/>", position) or character == ">":
                length = 2 if character == "/" else 1
                self.setFormat(position, length, self.palette.tag)
                return position + length, Markup.TEXT
            if character in "\"'":
                self.setFormat(position, 1, self.palette.string)
                quote = (
                    Markup.DOUBLE_QUOTED if character == '"' else Markup.SINGLE_QUOTED
                )
                return position + 1, quote
            name = _ATTRIBUTE.match(text, position, end)
            if name is not None:
                self.setFormat(position, len(name.group()), self.palette.attribute)
                position = name.end()
            else:
                position += 1
        return end, Markup.TAG

    def _quoted(
        self, text: str, start: int, end: int, markup: Markup
    ) -> tuple[int, Markup]:
        quote = '"' if markup is Markup.DOUBLE_QUOTED else "'"
        close = text.find(quote, start, end)
        stop = end if close < 0 else close + 1
        self.setFormat(start, stop - start, self.palette.string)
        return stop, (markup if close < 0 else Markup.TAG)
