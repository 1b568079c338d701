"""Importing a CSV file of intakes: plan every row, then store in one go.

:func:`plan_import` reads every row into an intake with
:func:`packetstudio.intake.parse_intake`, collects each row's problems with
its spreadsheet row number, and marks duplicates: the same name and date of
birth as a client already in the database or as an earlier row of the file.
Nothing is written while planning, so a plan is also a dry run.

:func:`apply_import` then stores the new rows and, where chosen, updates the
duplicates' clients with a new intake version, all in one transaction: the
import happens completely or not at all. Rows with problems are never
stored, not even in part; :func:`write_report` lists them for the person who
has to fix them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from packetstudio.clientcsv.answers import DateOrder, date_order_shown, order_words
from packetstudio.clientcsv.mapping import ImportMapping
from packetstudio.clientcsv.reading import CsvRow, CsvTable
from packetstudio.clientcsv.rows import RowDraft, RowReader, build_raw
from packetstudio.clientcsv.targets import IGNORE, TARGETS, Kind
from packetstudio.clientcsv.writing import write_csv
from packetstudio.intake import Intake, IntakeError, parse_intake
from packetstudio.store.clients import add_intake_version, fold, insert_clients
from packetstudio.store.database import Database
from packetstudio.store.models import Client

log = logging.getLogger(__name__)

REPORT_HEADER = ("row", "name", "column", "field", "answer", "message")
_LOOKUP_CHUNK = 500

# An answer that failed to read also explains these intake complaints.
_COVERS = {"date_of_birth": ("age",), "height_cm": ("height_ft", "height_in")}


class DuplicateChoice(StrEnum):
    """What to do with a row whose client is already there."""

    SKIP = "skip"
    UPDATE = "update"


class RowStatus(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    INVALID = "invalid"


class ImportConflict(Exception):
    """The database changed under the import; nothing was imported."""


@dataclass(frozen=True)
class RowProblem:
    """One reason a row cannot be imported.

    Attributes:
        row: the row's number as a spreadsheet shows it (header is row 1).
        field: the intake field ("weight_kg", "injuries[0].area"), or "row".
        column: the CSV column the answer came from ("" if none did).
        answer: the answer as typed ("" if there was none).
        message: what is wrong, naming the field.
    """

    row: int
    field: str
    column: str
    answer: str
    message: str


@dataclass(frozen=True)
class PlannedRow:
    """What importing one row would do.

    Attributes:
        number: the row's number as a spreadsheet shows it.
        name: the client's name as given, for people to recognise the row.
        intake: the validated intake, None if the row has problems.
        problems: every reason the row cannot be imported.
        duplicate_of: the id of the client already in the database with the
            same name and date of birth.
        duplicate_of_row: the earlier row of this file with the same name
            and date of birth.
    """

    number: int
    name: str
    intake: Intake | None
    problems: tuple[RowProblem, ...] = ()
    duplicate_of: int | None = None
    duplicate_of_row: int | None = None

    @property
    def status(self) -> RowStatus:
        if self.intake is None:
            return RowStatus.INVALID
        if self.duplicate_of is not None or self.duplicate_of_row is not None:
            return RowStatus.DUPLICATE
        return RowStatus.NEW


@dataclass(frozen=True)
class ImportPlan:
    """Every row of a file with what importing it would do.

    Attributes:
        table: the file as read.
        mapping: the column targets used, one per header.
        date_order: how numeric dates were read, None if they were not.
        rows: one planned row per non-blank row, in file order.
        notes: what the person should know about the whole file.
    """

    table: CsvTable
    mapping: ImportMapping
    date_order: DateOrder | None
    rows: tuple[PlannedRow, ...]
    notes: tuple[str, ...]

    def with_status(self, status: RowStatus) -> list[PlannedRow]:
        """Return the rows that would be imported as ``status``."""
        return [row for row in self.rows if row.status is status]

    def count(self, status: RowStatus) -> int:
        """Return how many rows have ``status``."""
        return sum(1 for row in self.rows if row.status is status)

    def problems(self) -> list[RowProblem]:
        """Return every problem of every row, in file order."""
        return [p for row in self.rows for p in row.problems]


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    Attributes:
        created: ids of the clients added, in file order.
        updated: ids of the clients given a new intake version.
        skipped: duplicate rows left out.
        rejected: rows not imported because of their problems.
    """

    created: tuple[int, ...]
    updated: tuple[int, ...]
    skipped: int
    rejected: int


# -- planning ------------------------------------------------------------------


def plan_import(
    db: Database,
    table: CsvTable,
    mapping: ImportMapping,
    *,
    today: date | None = None,
) -> ImportPlan:
    """Read and validate every row, and find duplicates; change nothing."""
    day = today or date.today()
    mapping = mapping.for_headers(table.headers)
    order, date_note = _date_order(table, mapping, day)
    reader = RowReader.for_file(table.headers, mapping)
    rows = [_plan_row(reader, row, order, day) for row in table.rows]
    rows = _mark_duplicates(db, rows)
    plan = ImportPlan(
        table=table,
        mapping=mapping,
        date_order=order,
        rows=tuple(rows),
        notes=(*table.notes, *_notes(mapping), *([date_note] if date_note else [])),
    )
    log.info(
        "Planned an import: %d new, %d duplicates, %d rejected",
        plan.count(RowStatus.NEW),
        plan.count(RowStatus.DUPLICATE),
        plan.count(RowStatus.INVALID),
    )
    return plan


def _notes(mapping: ImportMapping) -> list[str]:
    notes = []
    missing = mapping.missing()
    if missing:
        notes.append(
            "No column gives " + ", ".join(missing) + ", so every row will be "
            "rejected. Map a column to it, or give one answer for every row."
        )
    return notes


def _date_order(
    table: CsvTable, mapping: ImportMapping, today: date
) -> tuple[DateOrder | None, str | None]:
    """Return how to read numeric dates, and a note saying why.

    A date like 23/04/1990 can only be read day first; one such date makes
    the whole file day first, unless another date can only be read month
    first, in which case only the unmistakable dates are read.
    """
    if mapping.date_order is not None:
        return mapping.date_order, None
    columns = [
        index
        for index, header in enumerate(table.headers)
        if (target := mapping.target(header)) != IGNORE
        and TARGETS[target].kind is Kind.DATE
    ]
    shown: dict[DateOrder, int] = {}
    for row in table.rows:
        for index in columns:
            order = date_order_shown(row.cells[index], today)
            if order is not None:
                shown.setdefault(order, row.number)
    if len(shown) == 1:
        [(order, number)] = shown.items()
        return order, f"Dates are read {order_words(order)}, as row {number} shows."
    if len(shown) == 2:
        day_row = shown[DateOrder.DAY_FIRST]
        month_row = shown[DateOrder.MONTH_FIRST]
        return None, (
            f"Some dates are written day first (row {day_row}) and some month "
            f"first (row {month_row}); dates that could be either are "
            "reported. Choose the date order to read them."
        )
    return None, None


def _plan_row(
    reader: RowReader, row: CsvRow, order: DateOrder | None, today: date
) -> PlannedRow:
    draft = build_raw(reader.answers(row.cells), order, today)
    name = draft.raw.get("full_name")
    name = name if isinstance(name, str) else ""
    problems = _answer_problems(row.number, draft)
    if row.overflow:
        problems.append(_overflow(row))
    try:
        intake = parse_intake(draft.raw)
    except IntakeError as exc:
        problems += _intake_problems(row.number, draft, exc)
        intake = None
    if problems:
        return PlannedRow(row.number, name, None, tuple(problems))
    return PlannedRow(row.number, name, intake)


def _answer_problems(number: int, draft: RowDraft) -> list[RowProblem]:
    return [
        RowProblem(number, p.field, p.column, p.answer, p.message)
        for p in draft.problems
    ]


def _intake_problems(
    number: int, draft: RowDraft, error: IntakeError
) -> list[RowProblem]:
    """Return the model's problems that no unreadable answer already explains."""
    explained = {p.field for p in draft.problems}
    for field in list(explained):
        explained.update(_COVERS.get(field, ()))
    problems = []
    for problem in error.problems:
        base = problem.field.partition("[")[0]
        if problem.field in explained or base in explained:
            continue
        answer = draft.answer_for(problem.field)
        problems.append(
            RowProblem(
                number,
                problem.field,
                answer.column if answer else "",
                answer.text if answer else "",
                problem.message,
            )
        )
    return problems


def _overflow(row: CsvRow) -> RowProblem:
    count = len(row.overflow)
    return RowProblem(
        row.number,
        "row",
        "",
        " | ".join(row.overflow),
        f"This row has {count} more answers than the file has columns; an "
        "answer with the delimiter in it may be missing its quotes",
    )


# -- duplicates ----------------------------------------------------------------

_Key = tuple[str, str | None]


def duplicate_key(intake: Intake) -> _Key:
    """Return what makes two intakes the same client: name and birthday.

    The name is folded as the client list sorts it (case and accents
    ignored). Two intakes without a date of birth and with the same name
    count as the same client too: a person then decides.
    """
    born = intake.date_of_birth.isoformat() if intake.date_of_birth else None
    return fold(intake.full_name)[:120], born


def _mark_duplicates(db: Database, rows: list[PlannedRow]) -> list[PlannedRow]:
    keys = {duplicate_key(r.intake) for r in rows if r.intake is not None}
    with db.read() as session:
        existing = _existing(session, keys)
    first_row: dict[_Key, int] = {}
    marked = []
    for row in rows:
        key = duplicate_key(row.intake) if row.intake is not None else None
        if key is None:
            marked.append(row)
        elif key in existing:
            marked.append(_replace_dup(row, client=existing[key]))
        elif key in first_row:
            marked.append(_replace_dup(row, earlier=first_row[key]))
        else:
            first_row[key] = row.number
            marked.append(row)
    return marked


def _replace_dup(
    row: PlannedRow, *, client: int | None = None, earlier: int | None = None
) -> PlannedRow:
    return PlannedRow(row.number, row.name, row.intake, row.problems, client, earlier)


def _existing(session: Session, keys: Iterable[_Key]) -> dict[_Key, int]:
    """Return the lowest client id already stored for each key that has one."""
    wanted = set(keys)
    names = sorted({name for name, _ in wanted})
    found: dict[_Key, int] = {}
    for start in range(0, len(names), _LOOKUP_CHUNK):
        chunk = names[start : start + _LOOKUP_CHUNK]
        rows = session.execute(
            select(Client.id, Client.sort_name, Client.date_of_birth)
            .where(Client.sort_name.in_(chunk))
            .order_by(Client.id)
        )
        for client_id, name, born in rows:
            found.setdefault((name, born), client_id)
    return {key: found[key] for key in wanted if key in found}


# -- applying ------------------------------------------------------------------


def apply_import(
    db: Database,
    plan: ImportPlan,
    decisions: Mapping[int, DuplicateChoice] | None = None,
    *,
    default: DuplicateChoice = DuplicateChoice.SKIP,
) -> ImportResult:
    """Store the plan's new rows and chosen updates in one transaction.

    Args:
        db: the database the plan was made against.
        plan: the rows to import.
        decisions: what to do with each duplicate row, by row number.
        default: what to do with a duplicate row not in ``decisions``.

    A row that has become a duplicate since planning (another front desk
    added the client meanwhile) is skipped.

    Raises:
        ImportConflict: a client to update was deleted or renamed since
            planning; nothing was imported.
    """
    decisions = decisions or {}
    with db.write() as session:
        created, client_of_row, skipped = _create(session, plan)
        updated = []
        for row in plan.with_status(RowStatus.DUPLICATE):
            target = _client_of(row, client_of_row)
            choice = decisions.get(row.number, default)
            if choice is DuplicateChoice.SKIP or target is None:
                skipped += 1
                continue
            _update(session, target, row)
            updated.append(target)
    result = ImportResult(
        tuple(created), tuple(updated), skipped, plan.count(RowStatus.INVALID)
    )
    log.info(
        "Imported %d new clients, updated %d, skipped %d, rejected %d rows",
        len(result.created),
        len(result.updated),
        result.skipped,
        result.rejected,
    )
    return result


def _create(
    session: Session, plan: ImportPlan
) -> tuple[list[int], dict[int, int], int]:
    """Add the new rows; return their ids, row number -> id, and rows skipped."""
    fresh = plan.with_status(RowStatus.NEW)
    intakes = {row.number: row.intake for row in fresh if row.intake is not None}
    taken = _existing(session, (duplicate_key(i) for i in intakes.values()))
    rows = [r for r in fresh if duplicate_key(intakes[r.number]) not in taken]
    if taken:
        log.warning("%d rows became duplicates since the preview", len(taken))
    ids = insert_clients(session, [intakes[r.number] for r in rows])
    client_of_row = {r.number: i for r, i in zip(rows, ids, strict=True)}
    return ids, client_of_row, len(fresh) - len(rows)


def _client_of(row: PlannedRow, client_of_row: dict[int, int]) -> int | None:
    """Return the client a duplicate row would update, if it exists.

    A row repeating an earlier row of the file updates the client that row
    added; if that row was skipped after all, there is none.
    """
    if row.duplicate_of is not None:
        return row.duplicate_of
    if row.duplicate_of_row is not None:
        return client_of_row.get(row.duplicate_of_row)
    return None


def _update(session: Session, client_id: int, row: PlannedRow) -> None:
    """Save the row as the client's next intake, if it is still that client.

    The client must still have the row's name and date of birth: a client
    deleted since the preview may have left its id to a new one (SQLite
    reuses the highest id), and that one must not get this intake.
    """
    assert row.intake is not None
    client = session.get(Client, client_id)
    same = client is not None and (
        (client.sort_name, client.date_of_birth) == duplicate_key(row.intake)
    )
    if not same:
        raise ImportConflict(
            f"Client {client_id} (row {row.number}) was changed or deleted since "
            "the preview; nothing was imported. Run the import again."
        )
    add_intake_version(session, client_id, row.intake)


# -- the report ----------------------------------------------------------------


def default_report_path(source: Path) -> Path:
    """Return where the error report of ``source`` goes: beside it."""
    return source.with_name(f"{source.stem}-errors.csv")


def write_report(plan: ImportPlan, path: Path) -> int:
    """Write every problem of every rejected row; return how many were written.

    Raises:
        OSError: the report cannot be written.
    """
    names = {row.number: row.name for row in plan.rows}
    problems = plan.problems()
    write_csv(
        path,
        REPORT_HEADER,
        (
            (str(p.row), names[p.row], p.column, p.field, p.answer, p.message)
            for p in problems
        ),
    )
    log.info("Wrote an import report with %d problems", len(problems))
    return len(problems)
