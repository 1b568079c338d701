"""Reading a CSV export into rows of text, however the form tool wrote it.

Google Forms, Typeform and JotForm (and Excel, when someone re-saves their
file) differ in encoding, byte order mark, delimiter and line endings; answers
may span several lines inside quotes. What comes out is always the same: the
header texts and one tuple of cells per row, with the number that row has in
a spreadsheet, so that a report can point at it.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

from packetstudio.clientcsv.cells import restore

log = logging.getLogger(__name__)

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SEP_LINE = re.compile(r"^sep=(.)\r?\n", re.IGNORECASE)
_ZIP_MAGIC = b"PK\x03\x04"


class CsvReadError(Exception):
    """A file cannot be read as CSV; the message names it and says why."""


@dataclass(frozen=True)
class CsvRow:
    """One row of answers.

    Attributes:
        number: the row's number as a spreadsheet shows it (the header is
            row 1), however many lines its answers span.
        cells: one text per column, "" where the row has no answer.
        overflow: non-empty cells beyond the last column, which no header
            names.
    """

    number: int
    cells: tuple[str, ...]
    overflow: tuple[str, ...] = ()


@dataclass(frozen=True)
class CsvTable:
    """A CSV file's headers and rows, with how it was read.

    Attributes:
        source: the file's name, for messages.
        headers: the column headers, made unique ("Notes", "Notes (2)").
        rows: the rows with at least one answer, in file order.
        delimiter: the character between cells.
        encoding: how the bytes were decoded, in words.
        notes: things the user should know about how the file was read.
    """

    source: str
    headers: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    delimiter: str
    encoding: str
    notes: tuple[str, ...] = ()

    def column(self, header: str) -> list[str]:
        """Return every row's answer in the column ``header``."""
        index = self.headers.index(header)
        return [row.cells[index] for row in self.rows]


def read_csv(path: Path) -> CsvTable:
    """Read a CSV file exported by an online form tool or a spreadsheet.

    Raises:
        CsvReadError: the file is missing, unreadable, not text, or not CSV.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CsvReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CsvReadError(f"{path}: is a folder, not a file") from None
    except OSError as exc:
        raise CsvReadError(f"{path}: cannot be read ({exc.strerror})") from None
    text, encoding, notes = decode(data, path.name)
    table = parse_csv_text(text, path.name, encoding=encoding)
    log.info(
        "Read a CSV file: %d rows, %d columns, %s",
        len(table.rows),
        len(table.headers),
        encoding,
    )
    return replace(table, notes=tuple(notes) + table.notes)


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Return the text of ``data``, the encoding in words, and any notes.

    UTF-8 is tried first (with or without a byte order mark), then UTF-16
    with a byte order mark (Excel's "Unicode text"), then Windows-1252, which
    older Excel versions write on Western European Windows.

    Raises:
        CsvReadError: the bytes are not text in any of those encodings.
    """
    if data.startswith(_ZIP_MAGIC):
        raise CsvReadError(
            f"{name} is a spreadsheet workbook, not a CSV file. Save it as "
            "CSV first (in Excel: File > Save As > CSV UTF-8)."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "UTF-16", []
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", name), "UTF-8 with BOM", []
    if b"\x00" in data[:4096]:
        raise CsvReadError(f"{name} is not a text file; choose a CSV file.")
    try:
        return data.decode("utf-8"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise CsvReadError(
            f"{name} is not UTF-8 or Windows-1252 text. Save it again as "
            "CSV UTF-8 and import that file."
        ) from None
    note = (
        f"{name} is not UTF-8; it was read as Windows-1252 (Western European). "
        "Check that names with accents look right."
    )
    return text, "Windows-1252", [note]


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CsvReadError(
            f"{name} starts like {encoding.upper()} text but has invalid bytes "
            f"at position {exc.start}; the file may be damaged."
        ) from None


def parse_csv_text(text: str, source: str, *, encoding: str = "UTF-8") -> CsvTable:
    """Split CSV text into headers and rows, detecting the delimiter.

    Raises:
        CsvReadError: the text has no header or a quote is never closed.
    """
    delimiter, text = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records = [[_cell(c) for c in record] for record in reader]
    except csv.Error as exc:
        raise CsvReadError(
            f"{source}, line {reader.line_num}: {exc}. The file may be cut "
            "short or damaged; open it in a spreadsheet and save it as CSV again."
        ) from None
    if not records or not any(c.strip() for c in records[0]):
        raise CsvReadError(f"{source} is empty: it has no header row.")
    headers = unique_headers(records[0])
    rows = tuple(
        _row(number, record, len(headers))
        for number, record in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in record)
    )
    return CsvTable(
        source=source,
        headers=headers,
        rows=rows,
        delimiter=delimiter,
        encoding=encoding,
    )


def _delimiter(text: str) -> tuple[str, str]:
    """Return the delimiter and the text without an Excel "sep=" line."""
    hint = _SEP_LINE.match(text)
    if hint and hint.group(1) in DELIMITERS:
        return hint.group(1), text[hint.end() :]
    counts = _counts_outside_quotes(_first_record(text))
    best = max(DELIMITERS, key=lambda d: counts[d])
    return (best if counts[best] else ","), text


def _first_record(text: str) -> str:
    """Return the text up to the first line break outside quotes."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return text[:index]
    return text


def _counts_outside_quotes(line: str) -> dict[str, int]:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char in counts and not quoted:
            counts[char] += 1
    return counts


def _cell(text: str) -> str:
    # Line breaks inside answers become "\n" whatever the file used.
    return restore(text.replace("\r\n", "\n").replace("\r", "\n"))


def unique_headers(raw: list[str]) -> tuple[str, ...]:
    """Return the headers stripped, named if blank, and numbered if repeated."""
    headers: list[str] = []
    for index, text in enumerate(raw, start=1):
        base = " ".join(text.split()) or f"Column {index}"
        name, count = base, 1
        while name in headers:
            count += 1
            name = f"{base} ({count})"
        headers.append(name)
    return tuple(headers)


def _row(number: int, record: list[str], width: int) -> CsvRow:
    cells = record[:width] + [""] * (width - len(record))
    overflow = tuple(cell for cell in record[width:] if cell.strip())
    return CsvRow(number=number, cells=tuple(cells), overflow=overflow)


def describe_format(table: CsvTable) -> str:
    """Return how the file was read, in words: "UTF-8, semicolon-separated"."""
    return f"{table.encoding}, {DELIMITER_NAMES[table.delimiter]}-separated"
