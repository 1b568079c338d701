"""Clients in and out as CSV: online intake-form exports in, a client list out.

Reading (:mod:`.reading`) turns a file into a table of text cells; mapping
(:mod:`.mapping`) decides which intake field each column answers; answers
(:mod:`.answers`) reads what people actually type; rows (:mod:`.rows`) builds
one raw intake from one row; importing (:mod:`.importing`) validates every row
with :func:`packetstudio.intake.parse_intake`, finds duplicates and stores the
valid rows in one transaction; exporting (:mod:`.exporting`) writes the
client list back out in columns the importer maps back one to one.
"""

from packetstudio.clientcsv.exporting import write_clients_csv
from packetstudio.clientcsv.importing import (
    DuplicateChoice,
    ImportConflict,
    ImportPlan,
    ImportResult,
    PlannedRow,
    RowProblem,
    RowStatus,
    apply_import,
    default_report_path,
    plan_import,
    write_report,
)
from packetstudio.clientcsv.mapping import (
    ImportMapping,
    MappingError,
    load_mapping,
    load_saved_mapping,
    remember_mapping,
    save_mapping,
)
from packetstudio.clientcsv.reading import CsvReadError, CsvTable, read_csv

__all__ = [
    "CsvReadError",
    "CsvTable",
    "DuplicateChoice",
    "ImportConflict",
    "ImportMapping",
    "ImportPlan",
    "ImportResult",
    "MappingError",
    "PlannedRow",
    "RowProblem",
    "RowStatus",
    "apply_import",
    "default_report_path",
    "load_mapping",
    "load_saved_mapping",
    "plan_import",
    "read_csv",
    "remember_mapping",
    "save_mapping",
    "write_clients_csv",
    "write_report",
]
