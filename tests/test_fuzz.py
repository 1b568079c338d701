"""Fuzzing what people type or hand over: intakes and the command line's JSON.

Whatever arrives, an intake either validates or is refused with one
:class:`IntakeError` naming each bad field, and the command line answers with
exit status 0 or 2 and a message, never a traceback. The example counts keep
this file near twenty seconds.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from packetstudio.cli import main
from packetstudio.demo import demo_intakes
from packetstudio.generators import applicable_types, generate
from packetstudio.intake import Intake, IntakeError, parse_intake
from packetstudio.pdf import Branding, render_handout
from packetstudio.templates import default_template
from packetstudio.vocabulary import PacketType
from tests.conftest import EXAMPLES, example
from tests.strategies import AS_OF

FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=700
)

IMPERIAL = ("weight_lb", "height_ft", "height_in")
HEIGHTS = ("height_cm", "height_ft", "height_in")
FIELDS = (*Intake.model_fields, *IMPERIAL)

# Numbers at and past every edge: huge integers (more digits than a float
# holds), floats that are not finite, and text that reads as a number.
_NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.sampled_from([0, -1, 2**63, 10**4000, 1e308, -0.0, 5e-324]),
    st.floats(),
    st.sampled_from(["72.5", " 1e400 ", "nan", "-inf", "1_000", "0x10", "٣"]),
)
_WORDS = st.sampled_from(
    [
        "",
        "   ",
        "general",
        "female",
        "barbell",
        "knee",
        "1990-02-31",
        "9999-12-31",
        "0001-01-01",
        "17:30",
        "25:99",
        "x" * 5000,
        "Zoë\u0301 \u202e\u200b",
        "\x00",
    ]
)
_SCALARS = st.one_of(st.none(), st.booleans(), _NUMBERS, st.text(), _WORDS)
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS) | st.text(), inner, max_size=4),
    ),
    max_leaves=8,
)
KEYS = st.one_of(st.sampled_from(FIELDS), st.text(max_size=12))


# Valid intakes to start from: drawing one afresh costs more than checking it.
VALID = [example(path.stem) for path in EXAMPLES] + demo_intakes(60, seed=3)


@st.composite
def mutated_intakes(draw: st.DrawFn) -> dict[str, Any]:
    """A valid intake with one to four fields changed, dropped or added."""
    start = draw(st.sampled_from(VALID))
    data: dict[str, Any] = json.loads(json.dumps(start, default=str))
    for _ in range(draw(st.integers(1, 4))):
        action = draw(st.sampled_from(["set", "drop", "nested", "imperial"]))
        if action == "set":
            data[draw(KEYS)] = draw(JSON_VALUES)
        elif action == "drop" and data:
            del data[draw(st.sampled_from(sorted(data)))]
        elif action == "nested":
            _mutate_nested(draw, data)
        else:
            data[draw(st.sampled_from(IMPERIAL))] = draw(_NUMBERS)
    return data


def _mutate_nested(draw: st.DrawFn, data: dict[str, Any]) -> None:
    """Change a field inside the recovery details or an injury."""
    target = draw(st.sampled_from(["recovery", "injuries"]))
    if target == "recovery":
        recovery = data.get("recovery")
        if not isinstance(recovery, dict):
            recovery = data["recovery"] = {}
        recovery[draw(st.text(max_size=24) | st.just("pain_now"))] = draw(JSON_VALUES)
    else:
        data["injuries"] = [{"area": draw(JSON_VALUES), "side": draw(JSON_VALUES)}]


ANY_INTAKE = st.one_of(
    mutated_intakes(),
    st.dictionaries(KEYS, JSON_VALUES, max_size=12),
    JSON_VALUES,
)


def names_a_field(field: str, given: set[str]) -> bool:
    """Whether a reported field is a key the user gave or a field of an intake.

    Imperial fields are only named when the user gave them.
    """
    if field in given or field == "intake":
        return True
    root = re.split(r"[.\[]", field, maxsplit=1)[0]
    return root in Intake.model_fields or root in given


def assert_validates_or_names_fields(raw: Any) -> None:
    """The contract of parse_intake, for any input."""
    try:
        intake = parse_intake(raw)
    except IntakeError as exc:
        assert exc.problems, "an IntakeError lists at least one problem"
        given = set(raw) if isinstance(raw, dict) else set()
        for problem in exc.problems:
            assert isinstance(problem.message, str) and problem.message.strip()
            assert names_a_field(problem.field, given), problem
        return
    # Whatever validates can be stored and read back unchanged.
    stored = Intake.from_stored(json.loads(json.dumps(intake.to_json_dict())))
    assert stored.to_json_dict() == intake.to_json_dict()
    assert math.isfinite(intake.weight_kg) and math.isfinite(intake.height_cm)


@FUZZ
@given(ANY_INTAKE)
def test_any_json_value_validates_or_raises_intake_error_naming_fields(
    raw: Any,
) -> None:
    assert_validates_or_names_fields(raw)


@settings(FUZZ, max_examples=400)
@given(st.sampled_from(VALID), st.sampled_from(IMPERIAL), _NUMBERS)
def test_any_imperial_number_validates_or_names_the_field_given(
    valid: dict[str, Any], key: str, value: Any
) -> None:
    replaced = ["weight_kg", "weight_lb"] if key == "weight_lb" else HEIGHTS
    data = {k: v for k, v in valid.items() if k not in replaced}
    data[key] = value
    assert_validates_or_names_fields(data)


# -- the command line ----------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@contextlib.contextmanager
def captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        yield out, err


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run ``packetstudio ARGS`` in this process; return (status, out, err)."""
    with captured() as (out, err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def assert_plain_outcome(status: int, out: str, err: str) -> None:
    assert status in (0, 2), err
    assert "Traceback" not in err
    if status == 2:
        assert err.startswith("packetstudio: ") and err.strip() != "packetstudio:"
    else:
        assert out.strip()


def _dumped(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


# The bytes of an intake file: broken encodings, JSON of any shape, deep
# nesting, numbers with thousands of digits, and nearly valid intakes.
FILE_BYTES = st.one_of(
    st.binary(max_size=200),
    st.text().map(lambda text: text.encode("utf-8", "surrogatepass")),
    ANY_INTAKE.map(_dumped),
    mutated_intakes().map(lambda d: b"\xef\xbb\xbf" + _dumped(d)),
    st.integers(1, 100_000).map(lambda n: b"[" * n),
    st.integers(1, 100_000).map(lambda n: b'{"a":' * n),
    st.integers(4000, 6000).map(lambda n: b'{"age": ' + b"9" * n + b"}"),
    st.sampled_from([b"", b"\xff\xfe{\x00}\x00", b"null", b"1e999", b'"\\ud800"']),
)


@settings(FUZZ, max_examples=250)
@given(FILE_BYTES)
def test_clients_add_answers_any_file_with_status_0_or_2(
    workdir: Path, data: bytes
) -> None:
    path = workdir / "intake.json"
    path.write_bytes(data)
    url = f"sqlite:///{workdir / 'clients.sqlite3'}"
    status, out, err = run_cli("--db", url, "clients", "add", "--intake", str(path))
    assert_plain_outcome(status, out, err)
    if status == 0:
        assert int(out) > 0
    else:
        assert str(path) in err, "the message names the file"


@settings(FUZZ, max_examples=100)
@given(FILE_BYTES, st.sampled_from([t.value for t in PacketType]))
def test_generate_answers_any_file_with_status_0_or_2(
    workdir: Path, data: bytes, packet_type: str
) -> None:
    path = workdir / "generate.json"
    path.write_bytes(data)
    status, out, err = run_cli("generate", "--intake", str(path), "--type", packet_type)
    assert_plain_outcome(status, out, err)
    if status == 0:
        assert json.loads(out)["packet_type"] == packet_type


@settings(FUZZ, max_examples=150)
@given(
    st.one_of(
        JSON_VALUES.map(_dumped),
        st.dictionaries(
            st.sampled_from(["version", "columns", "date_format", "defaults", "x"]),
            JSON_VALUES,
        ).map(_dumped),
        st.integers(1, 50_000).map(lambda n: b"[" * n),
        st.integers(4000, 6000).map(lambda n: b'{"version": ' + b"1" * n + b"}"),
    )
)
def test_clients_import_answers_any_mapping_file_with_status_0_or_2(
    workdir: Path, data: bytes
) -> None:
    table = workdir / "answers.csv"
    table.write_text("Full name,Weight (kg)\nAnn Lee,60\n", encoding="utf-8")
    mapping = workdir / "mapping.json"
    mapping.write_bytes(data)
    url = f"sqlite:///{workdir / 'import.sqlite3'}"
    report = workdir / "report.csv"
    status, out, err = run_cli(
        *("--db", url, "clients", "import", str(table), "--dry-run"),
        *("--mapping", str(mapping), "--report", str(report)),
    )
    assert_plain_outcome(status, out, err)
    if status == 2:
        assert str(mapping) in err, "the message names the mapping file"


# -- extreme but valid people --------------------------------------------------

EXTREMES = {
    "45 kg teen": {"client_type": "youth", "age": 15, "weight_kg": 45},
    "7-year-old": {
        "client_type": "youth",
        "age": 7,
        "weight_kg": 22,
        "height_cm": 120,
    },
    "180 kg adult": {"client_type": "general", "age": 41, "weight_kg": 180},
    "90-year-old": {
        "client_type": "general",
        "age": 90,
        "weight_kg": 48,
        "height_cm": 149,
        "activity_level": "sedentary",
        "medical_conditions": ["osteoporosis", "high blood pressure"],
    },
    "2.10 m athlete": {
        "client_type": "athlete",
        "age": 24,
        "weight_kg": 118,
        "height_cm": 210,
        "sport": "basketball",
        "season_phase": "in_season",
    },
    "90-year-old in recovery": {
        "client_type": "recovery",
        "age": 90,
        "weight_kg": 52,
        "recovery": {
            "condition": "hip replacement",
            "area": "hip",
            "weeks_since_onset": 12,
            "pain_now": 3,
            "medical_clearance": True,
        },
    },
}


def extreme_intake(changes: dict[str, Any]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "full_name": "Alex Extreme",
        "sex": "female",
        "height_cm": 160,
        "goal": "general_health",
        "activity_level": "moderately_active",
        "equipment": ["bodyweight", "dumbbells"],
    }
    if changes["client_type"] == "youth":
        base["guardian_name"] = "Sam Extreme"
    return base | changes


def packet_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("who", sorted(EXTREMES))
def test_extreme_but_valid_people_get_every_applicable_packet(who: str) -> None:
    intake = parse_intake(extreme_intake(EXTREMES[who]))
    day = date(2026, 12, 3)
    kinds = applicable_types(intake, day)
    assert kinds, "at least one packet applies"

    for kind in kinds:
        content = generate(kind, intake, as_of=day).model_dump(mode="json")
        handout = render_handout(
            kind.value, content, default_template(kind), Branding(), who, day
        )
        assert handout.pdf.startswith(b"%PDF-")
        assert packet_pages(handout.pdf) == handout.page_count >= 1


def test_the_extremes_cover_the_named_sizes_and_ages() -> None:
    intakes = {who: parse_intake(extreme_intake(c)) for who, c in EXTREMES.items()}
    assert intakes["45 kg teen"].weight_kg == 45
    assert intakes["180 kg adult"].weight_kg == 180
    assert intakes["90-year-old"].age_on(AS_OF) == 90
    assert intakes["2.10 m athlete"].height_cm == 210
    assert PacketType.YOUTH in applicable_types(intakes["45 kg teen"], AS_OF)
