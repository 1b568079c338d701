"""Handout templates: editing, mistakes with their lines, the sandbox, history.

Templates are data staff edit; every way one can go wrong must come back as
one error with the template line, and nothing in a template may reach past
the packet's content.
"""

from __future__ import annotations

import io
import pickle
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from packetstudio.intake import parse_intake
from packetstudio.pdf import Branding, render_handout
from packetstudio.queue import jobs
from packetstudio.queue.errors import classify
from packetstudio.queue.jobs import JobStatus, QueueConfig
from packetstudio.queue.worker import Worker
from packetstudio.store import Database
from packetstudio.store.clients import add_client
from packetstudio.store.models import Packet, Template
from packetstudio.store.templates import (
    RESET_NOTE,
    check_template,
    current_template,
    reset_template,
    save_template,
    template_history,
)
from packetstudio.templates import (
    TemplateFailure,
    TemplateSecurityError,
    default_template,
)
from packetstudio.templates.defaults import sample_client_name, sample_content
from packetstudio.templates.sandbox import duration, number
from packetstudio.vocabulary import PacketType
from tests.conftest import example

AS_OF = date(2026, 12, 3)
FAST = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=5)
NUTRITION = PacketType.NUTRITION
# The smallest template a handout accepts: sources and disclaimer are required.
MINIMAL = """<handout>
<h1>Hello {{ client.first_name }}</h1>
<p>{{ content.summary }}</p>
{BODY}
<sources/>
<disclaimer/>
</handout>
"""


def minimal(body: str = "") -> str:
    return MINIMAL.replace("{BODY}", body)


def render(source: str, content: dict[str, Any] | None = None) -> bytes:
    return render_handout(
        NUTRITION.value,
        content or sample_content(NUTRITION),
        source,
        Branding(),
        sample_client_name(NUTRITION),
        AS_OF,
    ).pdf


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def failure(source: str) -> TemplateFailure:
    with pytest.raises(TemplateFailure) as caught:
        render(source)
    return caught.value


# -- editing -------------------------------------------------------------------


def test_an_edited_template_changes_the_handout() -> None:
    default = default_template(NUTRITION)
    edited = default.replace("Your daily targets", "Your numbers for every day")
    assert edited != default

    text = text_of(render(edited))

    assert "Your numbers for every day" in text
    assert "Your daily targets" not in text


def test_a_minimal_template_makes_a_handout() -> None:
    text = text_of(render(minimal()))

    assert "Hello Maria" in text
    assert "Page 1 of 1" in text


# -- mistakes, with their lines ------------------------------------------------


def test_a_syntax_error_reports_its_line() -> None:
    error = failure(minimal("<p>x</p>\n{% endif %}"))

    assert error.lineno == 5
    assert "syntax error" in str(error)
    assert str(error).startswith("line 5:")


def test_an_undefined_variable_is_an_error_with_its_line() -> None:
    error = failure(minimal("<p>ok</p>\n<p>{{ content.no_such_field }}</p>"))

    assert error.lineno == 5
    assert "no_such_field" in str(error)


def test_an_unknown_element_reports_the_line_it_was_written_on() -> None:
    # The loop above the mistake makes many output lines of one template line.
    body = (
        "<ul>{% for s in content.sources %}\n<li>{{ s.citation }}</li>\n"
        "{% endfor %}</ul>\n<p>fine</p>\n<blink>hello</blink>"
    )
    error = failure(minimal(body))

    assert error.lineno == 8
    assert "unknown element <blink>" in str(error)


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('<p>\n<table wide="1"><tr><td>x</td></tr></table></p>', 5, "not allowed"),
        ('\n<table wide="1"><tr><td>x</td></tr></table>', 5, "unknown attribute"),
        ('<log title="x" rows="3"/>', 4, "'columns' is required"),
        ("<p>Protein\n & carbs</p>", 5, "&amp;"),
        ("<p>open\n\n<p>x</p>", 6, "not allowed inside <p>"),
        ("<p>x</p>\n<p>open</h1>", 5, "malformed markup (mismatched tag)"),
        ('<chart name="pie"/>', 4, "unknown chart"),
        ('<log columns="a,b" rows="1000"/>', 4, "rows must be"),
        (
            "<table><tr><td>a</td></tr>\n<tr><td>b</td><td>c</td></tr></table>",
            5,
            "cells",
        ),
        ("plain text", 4, "inside an element"),
    ],
)
def test_markup_mistakes_report_their_template_line(
    body: str, line: int, words: str
) -> None:
    error = failure(minimal(body))

    assert error.lineno == line
    assert words in str(error)


def test_a_handout_without_its_disclaimer_is_refused() -> None:
    source = minimal().replace("<disclaimer/>", "")

    assert "<disclaimer/>" in str(failure(source))


def test_a_template_that_drops_a_needed_physician_notice_is_refused() -> None:
    content = sample_content(NUTRITION) | {"needs_clearance": True}

    with pytest.raises(TemplateFailure, match="physician"):
        render(minimal(), content)


def test_a_template_failure_survives_a_trip_to_a_worker_process() -> None:
    error = TemplateSecurityError("not allowed in a template: x", 7)

    copy = pickle.loads(pickle.dumps(error))

    assert type(copy) is TemplateSecurityError
    assert (copy.message, copy.lineno, str(copy)) == (
        error.message,
        7,
        "line 7: not allowed in a template: x",
    )


# -- the sandbox ---------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "''.__class__.__mro__",
        "cycler.__init__.__globals__",
        "content._private",
        "content['__class__']",
        "client.name.__class__",
        "range.__self__",
        "'{0.__class__}'.format(content)",
        "'x' * 100000000",
        "content.sources.clear()",
    ],
)
def test_escapes_from_the_sandbox_raise_a_security_error(expression: str) -> None:
    with pytest.raises(TemplateSecurityError) as caught:
        render(minimal("\n<p>{{ " + expression + " }}</p>"))

    assert caught.value.lineno == 5


def test_a_field_named_like_a_method_reads_the_field() -> None:
    # A shopping group's "items" is data, not dict.items.
    body = "{% for g in content.shopping_list %}<p>{{ g.items|length }}</p>{% endfor %}"

    render(minimal(body))


def test_the_filters_write_numbers_for_people() -> None:
    assert number(1446) == "1,446"
    assert number(2.25, 1) == "2.2"
    assert duration(90) == "90 s"
    assert duration(150) == "2 min 30 s"
    assert duration(180) == "3 min"


# -- stored templates ----------------------------------------------------------


def test_without_a_stored_version_the_default_applies(sqlite_db: Database) -> None:
    assert current_template(sqlite_db, NUTRITION) == (default_template(NUTRITION), None)


def test_every_default_template_passes_its_own_check() -> None:
    for packet_type in PacketType:
        check_template(packet_type, default_template(packet_type))


def test_saving_an_invalid_template_is_refused_with_its_line(
    sqlite_db: Database,
) -> None:
    with pytest.raises(TemplateFailure) as caught:
        save_template(sqlite_db, NUTRITION, minimal("\n<p>{{ nope }}</p>"), "typo")

    assert caught.value.lineno == 5
    assert template_history(sqlite_db, NUTRITION) == []


def test_saving_a_template_without_the_physician_notice_is_refused(
    sqlite_db: Database,
) -> None:
    with pytest.raises(TemplateFailure, match="physician"):
        save_template(sqlite_db, NUTRITION, minimal(), "no notice")


def test_history_is_kept_and_reset_stores_the_default_again(
    sqlite_db: Database,
) -> None:
    notice = '<notice kind="physician"><p>Ask first.</p></notice>'
    first = minimal("{% if content.needs_clearance %}" + notice + "{% endif %}")
    second = first.replace("Hello", "Welcome")

    assert save_template(sqlite_db, NUTRITION, first, "shorter") == 1
    assert save_template(sqlite_db, NUTRITION, second, "warmer") == 2
    assert current_template(sqlite_db, NUTRITION) == (second, 2)
    assert reset_template(sqlite_db, NUTRITION) == 3

    assert current_template(sqlite_db, NUTRITION) == (default_template(NUTRITION), 3)
    history = template_history(sqlite_db, NUTRITION)
    assert [(v.version, v.note) for v in history] == [
        (3, RESET_NOTE),
        (2, "warmer"),
        (1, "shorter"),
    ]
    assert history[1].body == second
    assert template_history(sqlite_db, PacketType.WORKOUT) == []


# -- the queue -----------------------------------------------------------------


def test_a_job_stores_the_pdf_with_the_template_version(db: Database) -> None:
    client_id = add_client(db, parse_intake(example("general")))
    notice = '<notice kind="physician"><p>Ask first.</p></notice>'
    save_template(
        db,
        NUTRITION,
        minimal("{% if content.needs_clearance %}" + notice + "{% endif %}"),
        "short",
    )
    jobs.enqueue(db, [(client_id, NUTRITION.value)])

    Worker(db, config=FAST, idle_s=0.02).run(until_empty=True)

    with db.read() as session:
        packet = session.query(Packet).filter_by(client_id=client_id).one()
        assert packet.status == JobStatus.READY
        assert packet.template_version == 1
        assert packet.pdf is not None and packet.pdf.startswith(b"%PDF")
        assert packet.page_count == 1
    assert "Hello Maria" in text_of(packet.pdf)


def test_a_broken_template_fails_the_job_permanently_after_one_attempt(
    db: Database,
) -> None:
    client_id = add_client(db, parse_intake(example("general")))
    # Stored directly, as if saved by an older PacketStudio that did not check.
    with db.write() as session:
        session.add(
            Template(packet_type="nutrition", version=1, body=minimal("{{ x }}"))
        )
    [job_id] = jobs.enqueue(db, [(client_id, NUTRITION.value)])

    Worker(db, config=FAST, idle_s=0.02).run(until_empty=True)

    record = jobs.get(db, job_id)
    assert record is not None
    assert record.status is JobStatus.FAILED
    assert record.attempts == 1
    assert record.last_error_kind == "template"
    assert "line 4" in (record.last_error_message or "")


def test_template_failures_are_classified_as_permanent_template_errors() -> None:
    error = classify(TemplateSecurityError("not allowed", 3))

    assert (error.kind, error.permanent) == ("template", True)
    assert "line 3" in error.message
