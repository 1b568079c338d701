"""Keeping spreadsheets from running cell text as formulas, and undoing that.

Excel, LibreOffice and Google Sheets treat a cell that starts with ``=``,
``+``, ``-`` or ``@`` (and, in some versions, a tab or carriage return) as a
formula. A client named ``=HYPERLINK(...)`` must open as text, so every cell
PacketStudio writes gets a leading single quote in front of such a character,
and every cell it reads loses that quote again.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(cell: str) -> str:
    """Return ``cell`` with a quote in front if a spreadsheet would run it."""
    if cell.startswith(FORMULA_STARTS):
        return QUOTE + cell
    return cell


def restore(cell: str) -> str:
    """Return the original text of a cell written by :func:`neutralise`.

    Only a quote followed by a formula character is removed, so a name like
    "'Tis" keeps its apostrophe.
    """
    if cell.startswith(QUOTE) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell
