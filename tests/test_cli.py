"""The command line: what it prints, and how it refuses mistakes."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from packetstudio import __version__
from packetstudio.cli import main
from tests.conftest import EXAMPLES, example


@pytest.fixture
def run(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``packetstudio --db <temp> ARGS`` in-process; return (status, out, err)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--db", sqlite_url, *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_clients_add_accepts_every_example_and_prints_the_id(
    run: Any, path: Path
) -> None:
    status, out, err = run("clients", "add", "--intake", str(path))
    assert (status, err) == (0, "")
    client_id = int(out)

    status, out, _ = run("clients", "show", str(client_id), "--json")
    shown = json.loads(out)
    assert shown["full_name"] == example(path.stem)["full_name"]
    assert shown["intake"]["client_type"] == path.stem


def test_demo_then_list_shows_that_many_clients(run: Any) -> None:
    assert run("demo", "--clients", "50")[0] == 0
    status, out, _ = run("clients", "list", "--json")
    listed = json.loads(out)
    assert status == 0
    assert len(listed) == 50
    assert {c["client_type"] for c in listed} == {
        "general",
        "athlete",
        "youth",
        "recovery",
    }


def test_demo_is_reproducible_from_its_seed(tmp_path: Path, capsys: Any) -> None:
    names = []
    for attempt in range(2):
        url = f"sqlite:///{tmp_path / f'{attempt}.sqlite3'}"
        main(["--db", url, "demo", "--clients", "10", "--seed", "7"])
        main(["--db", url, "clients", "list", "--json"])
        out = capsys.readouterr().out
        names.append([c["full_name"] for c in json.loads(out[out.index("[") :])])
    assert names[0] == names[1]


def test_an_invalid_intake_names_every_bad_field(run: Any, tmp_path: Path) -> None:
    bad = example("general") | {"weight_kg": 900, "shoe_size": 42}
    bad["date_of_birth"] = "1990-02-31"
    status, out, err = run(
        "clients", "add", "--intake", str(write_json(tmp_path / "b.json", bad))
    )
    assert status == 2
    assert out == ""
    assert "3 problems" in err
    for field in ("weight_kg", "shoe_size", "date_of_birth"):
        assert f"  {field}: " in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ('{\n  "full_name": \n', "not valid JSON"),
        ("[1, 2]", "An intake must be a JSON object"),
    ],
)
def test_bad_files_give_one_clear_message(
    run: Any, tmp_path: Path, content: str | None, expected: str
) -> None:
    path = tmp_path / "intake.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    status, _, err = run("clients", "add", "--intake", str(path))
    assert status == 2
    assert str(path) in err
    assert expected in err


def test_a_file_that_is_not_utf8_is_named(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"full_name": "Zoë"}'.encode("latin-1"))
    status, _, err = run("clients", "add", "--intake", str(path))
    assert status == 2
    assert "not a UTF-8 text file" in err


def test_show_of_an_unknown_client_fails_with_its_id(run: Any) -> None:
    status, _, err = run("clients", "show", "77")
    assert status == 2
    assert "No client has id 77" in err


def test_a_foreign_database_file_fails_without_a_traceback(
    tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not a database")
    status = main(["--db", f"sqlite:///{path}", "clients", "list"])
    err = capsys.readouterr().err
    assert status == 2
    assert "not a database file" in err
    assert path.read_bytes() == b"\xff\xd8\xff\xe0 not a database"


def test_version_is_printed(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"PacketStudio {__version__}"


def test_the_installed_version_is_the_packages_own() -> None:
    assert importlib.metadata.version("packetstudio") == __version__


def test_the_command_line_never_imports_qt(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    code = (
        "import sys; from packetstudio.cli import main; "
        f"main(['--db', '{url}', 'demo', '--clients', '3']); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    env = os.environ | {"PACKETSTUDIO_DB": f"sqlite:///{tmp_path / 'm.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "-m", "packetstudio", "clients", "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_queue_stats_tell_how_many_packets_were_made_and_at_what_pace(
    run: Any,
) -> None:
    assert run("demo", "--clients", "3", "--seed", "2")[0] == 0
    assert run("packets", "enqueue", "--all-clients", "--type", "all")[0] == 0
    assert run("worker", "--processes", "0", "--until-empty")[0] == 0

    status, out, _ = run("queue", "stats", "--json")
    made = json.loads(out)["ready"]
    assert status == 0 and made >= 3
    status, out, err = run("queue", "stats")

    assert (status, err) == (0, "")
    # Made within seconds: the pace of that first minute, not spread over an hour.
    assert out.splitlines()[1] == (
        f"{made} made in the last hour, "
        f"{float(made)} per minute since the first of them began"
    )
