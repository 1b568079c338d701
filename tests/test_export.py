"""Writing handouts to files: names, no overwriting, atomic writes, the CLI."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from packetstudio.cli import main
from packetstudio.export import (
    FileExists,
    export_packets,
    handout_file_name,
    safe_part,
    write_atomic,
)
from packetstudio.intake import parse_intake
from packetstudio.queue import jobs
from packetstudio.queue.jobs import QueueConfig
from packetstudio.queue.worker import Worker
from packetstudio.store import Database
from packetstudio.store.clients import add_client
from packetstudio.store.packets import packets_for_client
from tests.conftest import example

DAY = date(2026, 12, 3)
FAST = QueueConfig(backoff_s=0.05, jitter=0.0, lease_s=5)
RESERVED = '<>:"/\\|?*'


@pytest.fixture
def run(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run ``packetstudio --db <temp> ARGS`` in-process; return (status, out, err)."""

    def invoke(*args: str) -> tuple[int, str, str]:
        status = main(["--db", sqlite_url, *args])
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return invoke


def make_ready(db: Database, *intakes: dict[str, Any]) -> list[int]:
    """Add clients, make their nutrition packets ready; return their ids."""
    ids = [add_client(db, parse_intake(raw)) for raw in intakes]
    jobs.enqueue(db, [(i, "nutrition") for i in ids])
    Worker(db, config=FAST, idle_s=0.02).run(until_empty=True)
    return ids


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return " ".join(reader.pages[0].extract_text().split())


# -- file names ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Maria Lopez", "Lopez_Maria_Nutrition_2026-12-03.pdf"),
        ("Zoë Ångström", "Ångström_Zoë_Nutrition_2026-12-03.pdf"),
        ("Nguyễn Thị Minh", "Minh_Nguyễn-Thị_Nutrition_2026-12-03.pdf"),
        ("Дмитрий Соколов", "Соколов_Дмитрий_Nutrition_2026-12-03.pdf"),
        ("Seán O'Brien", "O'Brien_Seán_Nutrition_2026-12-03.pdf"),
        ("Cher", "Cher_Nutrition_2026-12-03.pdf"),
        ("../../etc/passwd", "etc-passwd_Nutrition_2026-12-03.pdf"),
        ('CON: "A*B"?', "A-B_CON_Nutrition_2026-12-03.pdf"),
        ("/// ...", "Client-7_Nutrition_2026-12-03.pdf"),
    ],
)
def test_file_names_are_readable_and_safe(name: str, expected: str) -> None:
    file_name = handout_file_name(name, "nutrition", DAY, client_id=7)

    assert file_name == expected
    assert not set(file_name) & set(RESERVED)
    assert not any(ord(c) < 32 for c in file_name)


def test_names_are_normalized_so_accents_compare_equal() -> None:
    decomposed = "Zoe\u0308"

    assert safe_part(decomposed) == "Zoë"


def test_very_long_names_are_cut() -> None:
    name = handout_file_name("A" * 300 + " " + "B" * 300, "youth", DAY)

    assert len(name) < 120


# -- writing -------------------------------------------------------------------


def test_write_atomic_never_replaces_a_file_unless_asked(tmp_path: Path) -> None:
    target = tmp_path / "handout.pdf"
    target.write_bytes(b"first")

    with pytest.raises(FileExists, match=r"handout\.pdf already exists"):
        write_atomic(target, b"second", overwrite=False)
    assert target.read_bytes() == b"first"

    write_atomic(target, b"second", overwrite=True)
    assert target.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


def test_a_failed_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    folder_in_the_way = tmp_path / "handout.pdf"
    folder_in_the_way.mkdir()

    with pytest.raises(OSError):
        write_atomic(folder_in_the_way, b"%PDF", overwrite=True)

    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]


# -- exporting from the database -----------------------------------------------


def test_export_all_writes_every_ready_handout(
    run: Any, sqlite_db: Database, tmp_path: Path
) -> None:
    make_ready(sqlite_db, example("general"), example("athlete"))
    out = tmp_path / "handouts"

    status, printed, err = run("packets", "export", "--all", "--out", str(out))

    assert status == 0, err
    names = sorted(p.name for p in out.iterdir())
    assert [n.split("_")[:3] for n in names] == [
        ["Lopez", "Maria", "Nutrition"],
        ["Mensah", "Kwame", "Nutrition"],
    ]
    assert printed.split() == [str(out / n) for n in sorted(names, reverse=True)]
    assert "Maria Lopez" in pdf_text(out / names[0])
    assert "Exported 2 handouts" in err


def test_export_refuses_to_overwrite_without_force(
    run: Any, sqlite_db: Database, tmp_path: Path
) -> None:
    [client] = make_ready(sqlite_db, example("general"))
    out = tmp_path / "out"
    export = ["packets", "export", "--client", str(client), "--out", str(out)]
    assert run(*export)[0] == 0
    [written] = list(out.iterdir())
    written.write_bytes(b"edited by hand")

    status, _, err = run(*export)

    assert status == 2
    assert f"{written} already exists; use --force to overwrite" in err
    assert written.read_bytes() == b"edited by hand"

    assert run(*export, "--force")[0] == 0
    assert written.read_bytes().startswith(b"%PDF")
    assert [p.name for p in out.iterdir()] == [written.name]


def test_clients_with_the_same_name_get_separate_files(
    sqlite_db: Database, tmp_path: Path
) -> None:
    first, second = make_ready(sqlite_db, example("general"), example("general"))
    ids = [p.id for c in (first, second) for p in packets_for_client(sqlite_db, c)]

    written = export_packets(sqlite_db, ids, tmp_path)

    assert sorted(p.name for p in written) == [
        f"Lopez_Maria_Nutrition_{written[0].stem.split('_')[3]}_client-{first}.pdf",
        f"Lopez_Maria_Nutrition_{written[0].stem.split('_')[3]}_client-{second}.pdf",
    ]


def test_packets_that_are_not_ready_are_not_exported(
    sqlite_db: Database, tmp_path: Path
) -> None:
    client = add_client(sqlite_db, parse_intake(example("general")))
    jobs.enqueue(sqlite_db, [(client, "nutrition")])
    [packet] = packets_for_client(sqlite_db, client)

    assert export_packets(sqlite_db, [packet.id], tmp_path) == []


@pytest.mark.parametrize(
    ("client", "message"),
    [("99", "No client has id 99"), ("1", "Client 1 has no ready packets")],
)
def test_export_of_a_client_without_handouts_is_explained(
    run: Any, tmp_path: Path, client: str, message: str
) -> None:
    assert run("clients", "add", "--intake", str(_example_file(tmp_path)))[0] == 0

    out = tmp_path / "x"

    status, _, err = run("packets", "export", "--client", client, "--out", str(out))

    assert status == 2
    assert message in err
    assert not out.exists()


def test_export_needs_one_client_or_all(run: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        run("packets", "export", "--client", "1", "--all", "--out", "unused")

    assert exited.value.code == 2


def test_exporting_into_a_file_is_refused(run: Any, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")

    status, _, err = run("packets", "export", "--all", "--out", str(blocker))

    assert status == 2
    assert "is a file, not a folder" in err


# -- generate --pdf, without a database ----------------------------------------


def test_generate_writes_one_handout_without_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    monkeypatch.setenv("PACKETSTUDIO_DB", f"sqlite:///{tmp_path / 'never.sqlite3'}")
    out = tmp_path / "maria.pdf"

    status = main(
        [
            "generate",
            "--intake",
            str(_example_file(tmp_path)),
            "--type",
            "workout",
            "--pdf",
            str(out),
        ]
    )

    assert status == 0
    assert "Maria Lopez" in pdf_text(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["general.json", "maria.pdf"]
    assert capsys.readouterr().out == ""


def test_generate_reports_a_broken_template_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "mine.xml.j2"
    template.write_text("<handout>\n<p>{{ content.nope }}</p>\n</handout>\n")

    status = main(
        [
            "generate",
            "--intake",
            str(_example_file(tmp_path)),
            "--type",
            "workout",
            "--pdf",
            str(tmp_path / "x.pdf"),
            "--template",
            str(template),
        ]
    )

    assert status == 2
    assert "line 2: undefined value" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_generate_into_a_missing_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(
        [
            "generate",
            "--intake",
            str(_example_file(tmp_path)),
            "--type",
            "workout",
            "--pdf",
            str(tmp_path / "missing" / "x.pdf"),
        ]
    )

    assert status == 2
    assert "no such folder" in capsys.readouterr().err


def _example_file(folder: Path) -> Path:
    path = folder / "general.json"
    path.write_text(json.dumps(example("general")), encoding="utf-8")
    return path
