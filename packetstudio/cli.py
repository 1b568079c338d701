"""The ``packetstudio`` command: the GUI with no subcommand, tools without a display.

Nothing here imports Qt except :func:`_open_gui`, so every subcommand works on
a server with no display. A user mistake (a missing file, bad JSON, an invalid
intake, a ``--db`` file that is not a PacketStudio database) prints a plain
message to stderr and exits with status 2; a problem with the database (locked
by another program, the disk full, the server away) exits with status 1;
neither prints a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packetstudio import __version__
from packetstudio.queue import jobs as queue_jobs
from packetstudio.store import Database, DatabaseError, default_url
from packetstudio.store import clients as client_store
from packetstudio.store.database import NotADatabase
from packetstudio.vocabulary import PacketType

if TYPE_CHECKING:
    # The intake model (and pydantic) loads with the commands that read an
    # intake, not with the app, which shows its window without it.
    from packetstudio.intake import Intake

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """A mistake in what the user asked for; the message says how to fix it."""


Command = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    command: Command | None = getattr(args, "run", None)
    try:
        if command is None:
            return _open_gui(args)
        return command(args)
    except (UserError, NotADatabase) as exc:
        print(f"packetstudio: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DatabaseError as exc:
        print(f"packetstudio: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="packetstudio",
        description="Personalised client handouts for gyms. "
        "Run without a command to open the app.",
    )
    parser.add_argument(
        "--version", action="version", version=f"PacketStudio {__version__}"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: $PACKETSTUDIO_DB or the local SQLite file), "
        "e.g. postgresql+psycopg://user@server/packetstudio",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    _add_clients_commands(commands)
    _add_demo_command(commands)
    _add_generate_command(commands)
    _add_packets_commands(commands)
    _add_queue_commands(commands)
    _add_worker_command(commands)
    _add_backup_commands(commands)
    return parser


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


def _open_database(args: argparse.Namespace) -> Database:
    return Database.open(args.db or default_url())


def _open_gui(args: argparse.Namespace) -> int:
    from packetstudio.startup import loading

    with loading():
        from packetstudio.ui.app import run_app

    return run_app(args.db or default_url())


# -- clients -----------------------------------------------------------------


def _add_clients_commands(commands: Any) -> None:
    clients = commands.add_parser("clients", help="add, list and show clients")
    sub = clients.add_subparsers(
        title="clients commands", metavar="ACTION", required=True
    )

    add = sub.add_parser("add", help="add a client from an intake JSON file")
    add.add_argument("--intake", required=True, type=Path, metavar="FILE.json")
    add.set_defaults(run=_clients_add)

    listing = sub.add_parser("list", help="list every client")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(run=_clients_list)

    show = sub.add_parser("show", help="show one client and their intake")
    show.add_argument("client_id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(run=_clients_show)

    _add_clients_import(sub)
    export = sub.add_parser("export", help="write every client to a CSV file")
    export.add_argument("file", type=Path, metavar="FILE.csv")
    export.add_argument(
        "--force", action="store_true", help="replace the file if it exists"
    )
    export.set_defaults(run=_clients_export)


def _add_clients_import(sub: Any) -> None:
    importing = sub.add_parser(
        "import", help="add clients from a CSV export of an online intake form"
    )
    importing.add_argument("file", type=Path, metavar="FILE.csv")
    importing.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE",
        help="which intake field each column gives (JSON; default: the mapping "
        "saved by the last import in the app, else guessed from the headers)",
    )
    importing.add_argument(
        "--save-mapping",
        type=Path,
        metavar="FILE",
        help="write the mapping used to FILE, to correct and pass to --mapping",
    )
    importing.add_argument(
        "--dry-run",
        action="store_true",
        help="check every row and write the report, but change nothing",
    )
    importing.add_argument(
        "--on-duplicate",
        choices=["skip", "update"],
        help="for a client already there (same name and date of birth): skip "
        "the row, or save it as their new intake (default: ask)",
    )
    importing.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="where to list rows with errors (default: FILE-errors.csv beside "
        "the import file)",
    )
    importing.set_defaults(run=_clients_import)


def _clients_add(args: argparse.Namespace) -> int:
    intake = read_intake(args.intake)
    db = _open_database(args)
    try:
        client_id = client_store.add_client(db, intake)
    finally:
        db.close()
    log.info("Added client %s", client_id)
    print(client_id)
    return EXIT_OK


def _clients_list(args: argparse.Namespace) -> int:
    db = _open_database(args)
    try:
        rows = client_store.list_clients(db)
    finally:
        db.close()
    if args.json:
        _print_json([_row_json(row) for row in rows])
    else:
        for row in rows:
            status = row.packet_status or "-"
            print(f"{row.id:>6}  {row.full_name:<32} {row.client_type:<9} {status}")
    return EXIT_OK


def _row_json(row: client_store.ClientRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "full_name": row.full_name,
        "client_type": row.client_type,
        "goal": row.goal,
        "packet_status": row.packet_status,
        "updated_at": row.updated_at.isoformat(),
    }


def _clients_show(args: argparse.Namespace) -> int:
    db = _open_database(args)
    try:
        record = client_store.get_client(db, args.client_id)
    except client_store.ClientNotFound as exc:
        raise UserError(str(exc)) from None
    finally:
        db.close()
    document = {
        "id": record.id,
        "full_name": record.full_name,
        "intake_version": record.intake_version,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "packet_status": record.packet_status,
        "intake": record.intake.to_json_dict(),
    }
    if args.json:
        _print_json(document)
    else:
        intake = record.intake
        print(
            f"{record.full_name} (client {record.id}, "
            f"intake version {record.intake_version})"
        )
        print(
            f"  {intake.client_type.value}, goal {intake.goal.value}, "
            f"age {intake.age_on(date.today())}"
        )
        print(f"  {intake.height_cm} cm, {intake.weight_kg} kg")
    return EXIT_OK


def _clients_import(args: argparse.Namespace) -> int:
    from packetstudio import clientcsv as csvio

    try:
        table = csvio.read_csv(args.file)
        mapping = csvio.load_mapping(args.mapping) if args.mapping else None
    except (csvio.CsvReadError, csvio.MappingError) as exc:
        raise UserError(str(exc)) from None
    if not table.rows:
        raise UserError(f"{args.file}: has a header row but no answers")
    db = _open_database(args)
    try:
        plan = csvio.plan_import(db, table, mapping or _saved_mapping(db))
        _prepare_import(args, plan)
        if args.dry_run:
            _print_dry_run(plan)
            return EXIT_OK
        choice = _duplicate_choice(args, plan)
        result = csvio.apply_import(db, plan, default=choice)
    except csvio.ImportConflict as exc:
        print(f"packetstudio: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    finally:
        db.close()
    print(
        f"Imported {_count(len(result.created), 'new client')}, updated "
        f"{len(result.updated)}, skipped {_count(result.skipped, 'duplicate')}."
    )
    return EXIT_OK


def _saved_mapping(db: Database) -> Any:
    from packetstudio.clientcsv import ImportMapping, load_saved_mapping

    saved = load_saved_mapping(db)
    if saved is not None:
        print("Using the column mapping saved by the last import.", file=sys.stderr)
    return saved or ImportMapping()


def _prepare_import(args: argparse.Namespace, plan: Any) -> None:
    """Say how the file was read, save the mapping and write the report."""
    from packetstudio.clientcsv import (
        RowStatus,
        default_report_path,
        save_mapping,
        write_report,
    )
    from packetstudio.clientcsv.reading import describe_format

    print(f"Read {args.file} ({describe_format(plan.table)})", file=sys.stderr)
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.save_mapping:
        _write_or_fail(args.save_mapping, lambda p: save_mapping(plan.mapping, p))
    rejected = plan.count(RowStatus.INVALID)
    if not rejected:
        return
    report = args.report or default_report_path(args.file)
    _write_or_fail(report, lambda p: write_report(plan, p))
    verb = (
        "would not be" if args.dry_run else ("was not" if rejected == 1 else "were not")
    )
    print(
        f"{_count(rejected, 'row')} with errors {verb} imported; see {report}",
        file=sys.stderr,
    )


def _write_or_fail(path: Path, write: Callable[[Path], object]) -> None:
    try:
        write(path)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror})") from None


def _print_dry_run(plan: Any) -> None:
    from packetstudio.clientcsv import RowStatus

    print(
        f"Dry run, nothing changed: {_count(plan.count(RowStatus.NEW), 'new client')}"
        f", {_count(plan.count(RowStatus.DUPLICATE), 'duplicate')}, "
        f"{_count(plan.count(RowStatus.INVALID), 'row')} with errors."
    )


def _duplicate_choice(args: argparse.Namespace, plan: Any) -> Any:
    """Return what to do with duplicates: as given, as answered, or skip."""
    from packetstudio.clientcsv import DuplicateChoice, RowStatus

    if args.on_duplicate:
        return DuplicateChoice(args.on_duplicate)
    duplicates = plan.with_status(RowStatus.DUPLICATE)
    if not duplicates:
        return DuplicateChoice.SKIP
    if not sys.stdin.isatty():
        print(
            f"{_count(len(duplicates), 'row')} match clients already there (same "
            "name and date of birth) and will be skipped; use --on-duplicate "
            "update to save them as new intakes.",
            file=sys.stderr,
        )
        return DuplicateChoice.SKIP
    print("These rows match clients already there:", file=sys.stderr)
    for row in duplicates[:_SHOWN_DUPLICATES]:
        same = (
            f"client {row.duplicate_of}"
            if row.duplicate_of is not None
            else f"row {row.duplicate_of_row}"
        )
        print(f"  row {row.number}: {row.name} (same as {same})", file=sys.stderr)
    if len(duplicates) > _SHOWN_DUPLICATES:
        print(f"  and {len(duplicates) - _SHOWN_DUPLICATES} more", file=sys.stderr)
    print(
        "Update them with these answers [u] or skip them [s]? [s/u] ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    answer = sys.stdin.readline().strip().lower()
    updating = answer in {"u", "update"}
    return DuplicateChoice.UPDATE if updating else DuplicateChoice.SKIP


_SHOWN_DUPLICATES = 10


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _clients_export(args: argparse.Namespace) -> int:
    from packetstudio.clientcsv import write_clients_csv

    path: Path = args.file
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name")
    if path.exists() and not args.force:
        raise UserError(f"{path} already exists; use --force to replace it")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: no such folder")
    db = _open_database(args)
    try:
        count = write_clients_csv(db, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror})") from None
    finally:
        db.close()
    print(f"Exported {_count(count, 'client')} to {path}")
    return EXIT_OK


# -- demo --------------------------------------------------------------------


def _add_demo_command(commands: Any) -> None:
    demo = commands.add_parser("demo", help="add realistic sample clients")
    demo.add_argument("--clients", type=_positive, default=20, metavar="N")
    demo.add_argument("--seed", type=int, default=1, help="same seed, same clients")
    demo.set_defaults(run=_demo)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a whole number, got {text!r}"
        ) from None
    if not 1 <= value <= 1_000_000:
        raise argparse.ArgumentTypeError("must be between 1 and 1,000,000")
    return value


def _demo(args: argparse.Namespace) -> int:
    from packetstudio.demo import demo_intakes
    from packetstudio.intake import parse_intake

    intakes = [parse_intake(raw) for raw in demo_intakes(args.clients, args.seed)]
    db = _open_database(args)
    try:
        ids = client_store.add_clients(db, intakes)
    finally:
        db.close()
    print(f"Added {len(ids)} sample clients (ids {ids[0]}-{ids[-1]})")
    return EXIT_OK


# -- generate ----------------------------------------------------------------


def _add_generate_command(commands: Any) -> None:
    generate = commands.add_parser(
        "generate", help="make one packet from an intake file, without a database"
    )
    generate.add_argument("--intake", required=True, type=Path, metavar="FILE.json")
    generate.add_argument(
        "--type",
        required=True,
        choices=[t.value for t in PacketType],
        dest="packet_type",
    )
    generate.add_argument(
        "--json", action="store_true", help="print the content as JSON"
    )
    generate.add_argument(
        "--pdf",
        type=Path,
        metavar="OUT.pdf",
        help="write the handout PDF (with the default branding) to this file",
    )
    generate.add_argument(
        "--template",
        type=Path,
        metavar="FILE",
        help="render the PDF with this template instead of the bundled default",
    )
    generate.set_defaults(run=_generate)


def _generate(args: argparse.Namespace) -> int:
    from packetstudio.generators import NotApplicable, generate

    intake = read_intake(args.intake)
    try:
        content = generate(PacketType(args.packet_type), intake)
    except NotApplicable as exc:
        raise UserError(str(exc)) from None
    if args.pdf is None or args.json:
        print(content.model_dump_json(indent=2))
    if args.pdf is not None:
        pages = _write_handout(args, content.model_dump(mode="json"), intake)
        print(f"Wrote {args.pdf} ({pages} pages)", file=sys.stderr)
    return EXIT_OK


def _write_handout(
    args: argparse.Namespace, content: dict[str, Any], intake: Intake
) -> int:
    """Render the handout and write it atomically; return its page count."""
    from packetstudio.export import write_atomic
    from packetstudio.pdf import Branding, render_handout
    from packetstudio.templates import TemplateFailure, default_template

    kind = PacketType(args.packet_type)
    if args.template is None:
        source = default_template(kind)
    else:
        source = _read_template(args.template)
    day = date.fromisoformat(content["as_of"])
    try:
        handout = render_handout(
            kind.value, content, source, Branding(), intake.full_name, day
        )
    except TemplateFailure as exc:
        raise UserError(f"{args.template or 'the default template'}: {exc}") from None
    target: Path = args.pdf
    if not target.parent.is_dir():
        raise UserError(f"{target.parent}: no such folder")
    try:
        write_atomic(target, handout.pdf, overwrite=True)
    except OSError as exc:
        raise UserError(f"{target}: cannot be written ({exc.strerror})") from None
    return handout.page_count


def _read_template(path: Path) -> str:
    """Read a template file, turning every way it can fail into a UserError."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None


# -- packets and the queue ---------------------------------------------------


def _add_packets_commands(commands: Any) -> None:
    packets = commands.add_parser("packets", help="queue packets for clients")
    sub = packets.add_subparsers(
        title="packets commands", metavar="ACTION", required=True
    )
    enqueue = sub.add_parser("enqueue", help="queue packets to be generated")
    who = enqueue.add_mutually_exclusive_group(required=True)
    who.add_argument("--client", type=int, metavar="ID", help="one client")
    who.add_argument("--all-clients", action="store_true", help="every client")
    enqueue.add_argument(
        "--type",
        required=True,
        dest="packet_type",
        choices=[*(t.value for t in PacketType), "all"],
        help="a packet type, or 'all' for every type that applies to the client",
    )
    enqueue.set_defaults(run=_packets_enqueue)

    export = sub.add_parser("export", help="write ready handouts as PDF files")
    whose = export.add_mutually_exclusive_group(required=True)
    whose.add_argument("--client", type=int, metavar="ID", help="one client")
    whose.add_argument("--all", action="store_true", help="every client")
    export.add_argument("--out", required=True, type=Path, metavar="DIR")
    export.add_argument(
        "--force", action="store_true", help="overwrite files that already exist"
    )
    export.set_defaults(run=_packets_export)


def _packets_enqueue(args: argparse.Namespace) -> int:
    from packetstudio.queue.plan import PlanError, plan_packets

    db = _open_database(args)
    try:
        client_ids = [args.client] if args.client is not None else None
        try:
            plan = plan_packets(db, client_ids, args.packet_type)
        except PlanError as exc:
            raise UserError(str(exc)) from None
        job_ids = queue_jobs.enqueue(db, plan.requests)
    finally:
        db.close()
    for reason in plan.skipped:
        print(f"skipped: {reason}", file=sys.stderr)
    print(f"Queued {len(job_ids)} packets")
    return EXIT_OK


def _packets_export(args: argparse.Namespace) -> int:
    from packetstudio.export import ExportError, FileExists, export_clients

    client_ids = None if args.all else [args.client]
    db = _open_database(args)
    try:
        written = export_clients(db, args.out, client_ids, force=args.force)
    except FileExists as exc:
        raise UserError(f"{exc}; use --force to overwrite") from None
    except ExportError as exc:
        raise UserError(str(exc)) from None
    except OSError as exc:
        where = exc.filename or args.out
        raise UserError(f"{where}: cannot be written ({exc.strerror})") from None
    finally:
        db.close()
    if not written and not args.all:
        raise UserError(
            f"Client {args.client} has no ready packets; generate them first"
        )
    for path in written:
        print(path)
    print(f"Exported {len(written)} handouts to {args.out}", file=sys.stderr)
    return EXIT_OK


def _add_queue_commands(commands: Any) -> None:
    queue = commands.add_parser("queue", help="queue statistics and housekeeping")
    sub = queue.add_subparsers(title="queue commands", metavar="ACTION", required=True)
    stats = sub.add_parser("stats", help="counts per state and throughput")
    stats.add_argument("--json", action="store_true", help="print JSON")
    stats.set_defaults(run=_queue_stats)
    sub.add_parser("retry-failed", help="queue every failed job again").set_defaults(
        run=_queue_retry_failed
    )
    cancel = sub.add_parser("cancel", help="cancel a queued or running job")
    cancel.add_argument("job_id", type=int, metavar="ID")
    cancel.set_defaults(run=_queue_cancel)
    cleanup = sub.add_parser("cleanup", help="delete old finished job records")
    cleanup.add_argument("--older-than", type=_days, required=True, metavar="DAYS")
    cleanup.set_defaults(run=_queue_cleanup)


def _days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a number of days, got {text!r}"
        ) from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more days")
    return value


def _queue_stats(args: argparse.Namespace) -> int:
    db = _open_database(args)
    try:
        stats = queue_jobs.stats(db)
    finally:
        db.close()
    document = stats.to_json()
    if args.json:
        _print_json(document)
    else:
        print("  ".join(f"{s.value} {document[s.value]}" for s in queue_jobs.JobStatus))
        print(
            f"{document['finished_last_hour']} made in the last hour, "
            f"{document['per_minute']} per minute since the first of them began"
        )
    return EXIT_OK


def _queue_retry_failed(args: argparse.Namespace) -> int:
    db = _open_database(args)
    try:
        count = queue_jobs.retry(db)
    finally:
        db.close()
    print(f"Queued {count} failed jobs again")
    return EXIT_OK


def _queue_cancel(args: argparse.Namespace) -> int:
    db = _open_database(args)
    try:
        cancelled = queue_jobs.cancel(db, args.job_id)
    finally:
        db.close()
    if not cancelled:
        raise UserError(f"Job {args.job_id} does not exist or has already finished")
    print(f"Cancelled job {args.job_id}")
    return EXIT_OK


def _queue_cleanup(args: argparse.Namespace) -> int:
    db = _open_database(args)
    try:
        removed = queue_jobs.cleanup(db, timedelta(days=args.older_than))
    finally:
        db.close()
    print(f"Removed {removed} finished job records")
    return EXIT_OK


def _add_worker_command(commands: Any) -> None:
    worker = commands.add_parser(
        "worker", help="generate queued packets, without a display"
    )
    worker.add_argument(
        "--threads",
        type=_positive,
        default=1,
        metavar="N",
        help="packets made at once (default 1); each render process also has "
        "a thread preparing the next job",
    )
    worker.add_argument(
        "--processes",
        type=int,
        metavar="N",
        help="processes rendering PDFs (default: one per thread; 0 renders in "
        "the worker's threads)",
    )
    worker.add_argument(
        "--until-empty",
        action="store_true",
        help="stop once no job is queued or running",
    )
    worker.set_defaults(run=_worker)


def _worker(args: argparse.Namespace) -> int:
    from packetstudio.pdf.pool import RenderPool
    from packetstudio.pipeline import process
    from packetstudio.queue.worker import Worker, job_threads

    processes = args.threads if args.processes is None else args.processes
    pool = RenderPool(processes) if processes > 0 else None
    if pool is not None:
        pool.warm()
    db = _open_database(args)
    worker = Worker(
        db,
        threads=job_threads(args.threads, processes),
        config=queue_config_from_env(),
        process=process if pool is None else partial(process, make=pool.make),
    )
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    try:
        stats = worker.run(until_empty=args.until_empty)
    finally:
        if pool is not None:
            pool.close()
        db.close()
    print(
        f"Worker stopped: {stats.ready} ready, {stats.failed} failed, "
        f"{stats.retried} to retry"
    )
    return EXIT_OK


def queue_config_from_env() -> queue_jobs.QueueConfig:
    """Return the queue settings, with overrides from the environment.

    ``PACKETSTUDIO_LEASE_S`` and ``PACKETSTUDIO_BACKOFF_S`` shorten leases and
    retry delays, for tests and for servers that want faster recovery.
    """
    defaults = queue_jobs.QueueConfig()
    return queue_jobs.QueueConfig(
        lease_s=_env_seconds("PACKETSTUDIO_LEASE_S", defaults.lease_s),
        backoff_s=_env_seconds("PACKETSTUDIO_BACKOFF_S", defaults.backoff_s),
    )


def _env_seconds(name: str, default: float) -> float:
    text = os.environ.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        raise UserError(f"{name} must be a number of seconds, not {text!r}") from None
    if value <= 0:
        raise UserError(f"{name} must be more than 0 seconds")
    return value


# -- backups -----------------------------------------------------------------


def _add_backup_commands(commands: Any) -> None:
    backup = commands.add_parser("backup", help="back up the SQLite database")
    backup.add_argument(
        "--out", type=Path, metavar="FILE", help="where to write it (default: backups/)"
    )
    backup.set_defaults(run=_backup)
    restore = commands.add_parser("restore", help="restore the database from a backup")
    restore.add_argument("backup_file", type=Path, metavar="FILE")
    restore.add_argument(
        "--yes", action="store_true", help="do not ask for confirmation"
    )
    restore.set_defaults(run=_restore)


def _backup(args: argparse.Namespace) -> int:
    from packetstudio.store import backup

    database = backup.database_file(args.db or default_url())
    Database.open(args.db or default_url()).close()  # refuse foreign files first
    print(backup.take_backup(database, args.out))
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from packetstudio.store import backup

    database = backup.database_file(args.db or default_url())
    backup.check_backup(args.backup_file)
    if not args.yes and not _confirm(
        f"Replace every client and packet in {database} with the backup "
        f"{args.backup_file}? The current state is backed up first. [y/N] "
    ):
        print("Nothing was restored.", file=sys.stderr)
        return EXIT_FAILURE
    safety = backup.restore_backup(database, args.backup_file)
    Database.open(args.db or default_url()).close()  # migrate an older backup
    print(f"Restored from {args.backup_file}; the previous state is in {safety}")
    return EXIT_OK


def _confirm(question: str) -> bool:
    print(question, end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in {"y", "yes"}


# -- helpers -----------------------------------------------------------------


def read_json(path: Path) -> Any:
    """Read a JSON file, turning every way it can fail into a :class:`UserError`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path}: is a folder, not a file") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{path}: not valid JSON: {exc.msg} "
            f"at line {exc.lineno}, column {exc.colno}"
        ) from None
    except RecursionError:
        raise UserError(f"{path}: its JSON is nested too deeply to read") from None
    except ValueError:  # an integer of more digits than Python converts
        raise UserError(f"{path}: holds a number too long to read") from None


def read_intake(path: Path) -> Intake:
    """Read and validate an intake JSON file."""
    from packetstudio.intake import IntakeError, parse_intake

    raw = read_json(path)
    try:
        return parse_intake(raw)
    except IntakeError as exc:
        lines = "\n".join(f"  {p.field}: {p.message}" for p in exc.problems)
        count = len(exc.problems)
        noun = "problem" if count == 1 else "problems"
        raise UserError(f"{path}: invalid intake ({count} {noun}):\n{lines}") from None


def _print_json(document: Any) -> None:
    json.dump(document, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
