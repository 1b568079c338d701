"""Writing a CSV file safely: formulas neutralised, never half-written."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from packetstudio.clientcsv.cells import neutralise

# Excel only detects UTF-8 when the file starts with a byte order mark.
ENCODING = "utf-8-sig"


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a UTF-8 (with BOM) CSV file atomically; return the rows written.

    The rows go to a temporary file beside ``path``, which then replaces it,
    so a crash or a full disk never leaves a half-written file under the
    final name.

    Raises:
        OSError: the folder cannot be written.
    """
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    count = 0
    try:
        with open(descriptor, "w", encoding=ENCODING, newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([neutralise(cell) for cell in header])
            for row in rows:
                writer.writerow([neutralise(cell) for cell in row])
                count += 1
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
