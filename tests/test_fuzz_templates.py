"""Fuzzing handout templates: whatever staff type, only a TemplateFailure comes back.

Sources are random text and random pieces of Jinja and handout markup:
unbalanced tags, private names, huge numbers and repetitions, text methods,
filters and formats asked for huge results, deep nesting.
Rendering either gives markup and a PDF or raises
:class:`~packetstudio.templates.TemplateFailure`; nothing else escapes,
runaway output is cut short, a loop that keeps what it builds runs out of the
render's budget, and runaway loops are stopped at the time limit.
The example counts keep this file near twenty seconds.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packetstudio.pdf import Branding, render_handout
from packetstudio.pdf.render import template_context
from packetstudio.store.templates import check_template
from packetstudio.templates import TemplateFailure, default_template
from packetstudio.templates.bounds import MAX_OUTPUT_CHARS
from packetstudio.templates.defaults import sample_client_name, sample_content
from packetstudio.templates.sandbox import render_markup
from packetstudio.vocabulary import PacketType

FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
AS_OF = date(2026, 12, 3)
KIND = PacketType.NUTRITION
CONTENT = sample_content(KIND)
CONTEXT = template_context(KIND, CONTENT, Branding(), "Maria Lopez", AS_OF)

# Values that reach past the edges of what a template can ask for.
NUMBERS = [
    "0",
    "-1",
    "3",
    "64",
    "65",
    "10000",
    "10001",
    "99999",
    "10**9",
    "1e308",
    "2**64",
    "(10**64)**64",
    "1.5",
    "'7'",
]
BASES = [
    "content",
    "content.summary",
    "content.targets",
    "content.meals",
    "content.missing",
    "client.name",
    "packet",
    "gym.name",
    "loop",
    "self",
    "range",
    "dict",
    "namespace",
    "cycler",
    "joiner",
    "lipsum",
    "undefined_name",
    "'text'",
    "'<b>&amp;'",
    "'%999999999s'",
    "'{:999999999}'",
    "['x' * 10000] * 10000",
    "namespace(__html__='x'.upper)",
    "[1, 2, 3]",
    "{'a': 1}",
    "none",
    "true",
    *NUMBERS,
]
SUFFIXES = [
    ".__class__",
    ".__init__.__globals__",
    "._private",
    ".mro()",
    ".items()",
    ".keys",
    ".format('{0.__class__}')",
    ".pop('a')",
    "['__class__']",
    "['_x']",
    "[0]",
    "[-1]",
    "[1:]",
    "()",
    "(1, 2)",
    "|attr('__class__')",
    "|number",
    "|number(2)",
    "|label",
    "|sentence",
    "|duration",
    "|join(',')",
    "|list",
    "|sort",
    "|length",
    "|first",
    "|tojson",
    "|safe",
    "|e",
    "|int",
    "|float",
    "|string",
    "|center(10**9)",
    "|wordwrap(0)",
    "|truncate(-1)",
    "|batch(0)|list",
    "|indent(99999)",
    "|replace('a', 'b' * 10000)",
    "|format(1, 2)",
    "|join('x' * 10000)",
    "|wordwrap(1, wrapstring='x' * 10000)",
    "|tojson(indent=99999)",
    "|pprint",
    "|round(-10**9)",
    "|round(9, 'floor')",
    " is odd",
    "|batch(10**9, 0)|list",
    "|slice(10**9)|list",
    "|sum(start=[])",
    "|unique|list",
    ".center(10**9)",
    ".zfill(10**9)",
    ".replace('t', 't' * 10000)",
    ".expandtabs(10**9)",
    ".join(['x' * 10000] * 10000)",
    ".encode('ascii', 'namereplace')",
    "|unknown_filter",
]
OPERATORS = [
    " + ",
    " - ",
    " * ",
    " / ",
    " // ",
    " % ",
    " ** ",
    " ~ ",
    " and ",
    " or ",
    " in ",
    " is ",
    " == ",
    " < ",
]
BROKEN = [
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "{% endfor %}",
    "{% endif %}",
    "{% else %}",
    "{% for %}",
    "{% if %}",
    "{% extends 'base' %}",
    "{% include 'other' %}",
    "{% import 'x' as y %}",
    "{% block b %}",
    "{% raw %}",
    "{{ ) }}",
    "{{ 'open }}",
]
MARKUP = [
    "<handout>",
    "</handout>",
    "<h1>",
    "</h1>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<br/>",
    "<ul><li>",
    "</li></ul>",
    "<keep>",
    "</keep>",
    "<pagebreak/>",
    "<sources/>",
    "<disclaimer/>",
    "<conventions/>",
    "<unknown/>",
    "<p unknown='1'>",
    "<!DOCTYPE handout>",
    "<![CDATA[ x ]]>",
    "<!-- note -->",
    "<?l 3?>",
    "<?xml version='1.0'?>",
    "&",
    "&nbsp;",
    "&#0;",
    "&#x110000;",
    "<",
    ">",
]
# Attribute values for the elements that read numbers, names and widths.
VALUES = ["", " ", "0", "1", "3", "41", "-5", "²", "١٢", "1e999", "nan", "abc"]
VALUES += ["1,2", "*,2*", "0*", "2*,0*", "30%,70%", "3cm", "2in,*", "100cm", "'\""]
ELEMENTS = [
    "<table widths='{v}'><tr header='{v}'><td align='{v}'>a</td></tr></table>",
    "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
    "<table widths='{v}'><tr><td>a</td></tr></table>",
    "<log columns='{v}' rows='{v}' widths='{v}' numbered='{v}' title='{v}'/>",
    "<log columns='Day,Weight' rows='{v}'/>",
    "<notice kind='{v}' title='{v}'><p>x</p></notice>",
    "<chart name='{v}'/>",
    "<glance title='{v}'><item label='{v}'>x</item></glance>",
    "<checklist title='{v}'><item label='{v}'>x</item><item>y</item></checklist>",
]


@st.composite
def expressions(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(BASES))
    for suffix in draw(st.lists(st.sampled_from(SUFFIXES), max_size=3)):
        text += suffix
    if draw(st.booleans()):
        text += draw(st.sampled_from(OPERATORS)) + draw(st.sampled_from(BASES))
    return text


@st.composite
def elements(draw: st.DrawFn) -> str:
    pattern = draw(st.sampled_from(ELEMENTS))
    while "{v}" in pattern:
        pattern = pattern.replace("{v}", draw(st.sampled_from(VALUES)), 1)
    return pattern


TEXT = st.text(
    st.characters(codec="utf-8") | st.sampled_from("<>&{}%#'\"\n\ud800"),
    max_size=30,
)


@st.composite
def blocks(draw: st.DrawFn, depth: int = 0) -> str:
    """A run of template pieces; loops nest only over small ranges.

    Nested loops over large ranges would each run until the time limit
    stopped them, seconds per example: they are tried in RUNAWAY instead,
    with a short limit.
    """
    flat = ["text", "expr", "markup", "element", "broken"]
    nested = ["for", "if", "set", "macro"] if depth < 2 else []
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 4 - depth))):
        parts.append(draw(_piece(draw(st.sampled_from(flat + nested)), depth)))
    return "".join(parts)


def _piece(kind: str, depth: int) -> st.SearchStrategy[str]:
    inner = blocks(depth + 1)
    if kind == "text":
        return TEXT
    if kind == "expr":
        return expressions().map(lambda e: "{{ " + e + " }}")
    if kind == "markup":
        return st.sampled_from(MARKUP)
    if kind == "element":
        return elements()
    if kind == "broken":
        return st.sampled_from(BROKEN)
    if kind == "for":
        over = st.sampled_from(["range(3)", "range(-1)", "content", "'ab'", "none"])
        return st.tuples(over, inner).map(
            lambda p: f"{{% for x in {p[0]} %}}{p[1]}{{% endfor %}}"
        )
    if kind == "if":
        return st.tuples(expressions(), inner).map(
            lambda p: f"{{% if {p[0]} %}}{p[1]}{{% else %}}{{{{ 1 }}}}{{% endif %}}"
        )
    if kind == "set":
        return expressions().map(lambda e: f"{{% set v = {e} %}}{{{{ v }}}}")
    return inner.map(lambda b: f"{{% macro m(a) %}}{b}{{% endmacro %}}{{{{ m(1) }}}}")


# Pieces that would run long, grow huge or nest deep; each must be refused.
HEAVY = {
    "output past the bound": "{% for i in range(99999) %}" + "x" * 50 + "{% endfor %}",
    "range too big": "{% for i in range(10**9) %}x{% endfor %}",
    "text doubling in a loop": "{% set ns = namespace(s='ab') %}"
    "{% for i in range(40) %}{% set ns.s = ns.s * 2 %}{% endfor %}"
    "{{ ns.s|length }}",
    "chained repetition": "{{ 'x' * 10000 * 10000 }}",
    "chained list repetition": "{{ [0] * 10000 * 10000 * 10000 }}",
    "text method past the bound": "{{ ('a' * 10000).replace('a', 'a' * 10000) }}",
    "format width past the bound": "{{ '{:999999999}'.format(1) }}",
    "% width past the bound": "{{ '%999999999s' % 'x' }}",
    "list doubling with +": "{% set ns = namespace(x=[0]) %}"
    "{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}{% endfor %}",
    "text doubling with ~": "{% set ns = namespace(s='ab') %}"
    "{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "shared lists printed": "{% set ns = namespace(x=[1]) %}"
    "{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}",
    "shared lists compared": "{% set ns = namespace(x=[1], y=[1]) %}"
    "{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}"
    "{% set ns.y = [ns.y, ns.y] %}{% endfor %}{{ ns.x == ns.y }}",
    "filter past the bound": "{{ ('a ' * 5000)|wordwrap(1, wrapstring='x' * 10000) }}",
    "fresh texts kept in a loop": "{% set ns = namespace(kept=[]) %}"
    "{% for i in range(99999) %}{% set ns.kept = [ns.kept, 'x' * 10000 ~ i] %}"
    "{% endfor %}",
    "pieces piling up in a block": "{% set t %}{% for a in range(99999) %}"
    "{% for b in range(99999) %}{{ b }}{% endfor %}{% endfor %}{% endset %}",
    "tower of powers": "{{ 10 ** 64 ** 64 ** 64 ** 64 }}",
    "endless recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "300 brackets": "{{ " + "(" * 300 + "1" + ")" * 300 + " }}",
    "300 lists": "{{ " + "[" * 300 + "]" * 300 + " }}",
    "3000 additions": "{{ 1" + " + 1" * 3000 + " }}",
    "3000 attributes": "{{ content" + ".a" * 3000 + " }}",
    "120 nested ifs": "{% if 1 %}" * 120 + "x" + "{% endif %}" * 120,
    "25 nested loops": "{% for a in range(1) %}" * 25 + "x" + "{% endfor %}" * 25,
}
# Work that would go on for seconds or hours, each stopped by the time limit.
RUNAWAY = {
    "nested ranges, empty bodies": "{% for a in range(99999) %}"
    "{% for b in range(99999) %}{% endfor %}{% endfor %}",
    "nested loops over a long string": "{% set s = 'ab' * 5000 %}"
    "{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
    "a counter in nested loops": "{% set ns = namespace(n=0) %}"
    "{% for a in range(99999) %}{% for b in range(99999) %}"
    "{% set ns.n = ns.n + 1 %}{% endfor %}{% endfor %}",
    "a loop in a macro called in a loop": "{% macro m() %}"
    "{% for b in range(99999) %}{% endfor %}{% endmacro %}"
    "{% for a in range(99999) %}{{ m() }}{% endfor %}",
    "a long chain of filters": "{{ range(99999)"
    + "|map('string')" * 150
    + "|list|length }}",
}
SOURCES = st.one_of(
    blocks(),
    st.tuples(blocks(), st.sampled_from(list(HEAVY.values())), blocks()).map("".join),
    st.text(max_size=200),
)


def handout(body: str) -> str:
    return f"<handout>{body}<sources/><disclaimer/></handout>"


# Handouts of well-formed elements, so that rendering gets past the markup.
ELEMENT_HANDOUTS = st.lists(
    st.one_of(
        elements(),
        expressions().map(lambda e: "<p>{{ " + e + " }}</p>"),
        TEXT.map(lambda text: f"<p>{text}</p>"),
    ),
    max_size=4,
).map(lambda parts: handout("".join(parts)))
HANDOUTS = st.one_of(ELEMENT_HANDOUTS, SOURCES.map(handout), SOURCES)


def render(source: str) -> bytes | None:
    """Render a handout; None when the template is refused."""
    try:
        handout = render_handout(
            KIND.value, CONTENT, source, Branding(), sample_client_name(KIND), AS_OF
        )
    except TemplateFailure as failure:
        assert str(failure).strip(), "a failure says what is wrong"
        return None
    return handout.pdf


@settings(FUZZ, max_examples=500)
@given(SOURCES)
def test_render_markup_returns_text_or_raises_template_failure(source: str) -> None:
    try:
        markup = render_markup(source, CONTEXT)
    except TemplateFailure as failure:
        assert str(failure).strip()
        return
    assert len(markup) <= MAX_OUTPUT_CHARS


@settings(FUZZ, max_examples=200)
@given(HANDOUTS)
def test_rendering_a_handout_gives_a_pdf_or_a_template_failure(source: str) -> None:
    pdf = render(source)
    assert pdf is None or pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("pattern", ELEMENTS)
def test_every_odd_attribute_value_renders_or_fails_as_a_template_failure(
    pattern: str,
) -> None:
    for value in VALUES:
        pdf = render(handout(pattern.replace("{v}", value)))
        assert pdf is None or pdf.startswith(b"%PDF-")


def test_text_that_is_not_unicode_fails_as_a_template_failure() -> None:
    with pytest.raises(TemplateFailure, match="not text"):
        render_handout(
            KIND.value, CONTENT, handout("<p>\ud800</p>"), Branding(), "A", AS_OF
        )


@settings(FUZZ, max_examples=20)
@given(st.sampled_from(list(PacketType)), st.data())
def test_checking_an_edited_default_template_refuses_only_with_template_failure(
    kind: PacketType, data: st.DataObject
) -> None:
    source = default_template(kind)
    at = data.draw(st.integers(0, len(source)))
    cut = data.draw(st.integers(0, 40))
    piece = data.draw(blocks(depth=2) | st.sampled_from(list(HEAVY.values())))
    try:
        check_template(kind, source[:at] + piece + source[at + cut :])
    except TemplateFailure as failure:
        assert str(failure).strip()


@pytest.mark.parametrize("name", HEAVY)
def test_runaway_or_deeply_nested_templates_end_in_a_template_failure(
    name: str,
) -> None:
    with pytest.raises(TemplateFailure):
        render_markup(HEAVY[name], CONTEXT)


@pytest.mark.parametrize("name", RUNAWAY)
def test_runaway_loops_end_in_a_template_failure_naming_the_time_limit(
    name: str,
) -> None:
    with pytest.raises(TemplateFailure, match=r"ran longer than 0\.5 s"):
        render_markup(RUNAWAY[name], CONTEXT, time_limit=0.5)


def test_runaway_output_stops_at_the_bound() -> None:
    source = "{% for i in range(99999) %}" + "x" * 100 + "{% endfor %}"
    with pytest.raises(TemplateFailure, match="more than 4,000,000 characters"):
        render_markup(source, CONTEXT)
