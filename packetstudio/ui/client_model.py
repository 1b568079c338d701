"""The client list as a lazily loaded table model over the database.

Searching, filtering and sorting happen in SQL; the model holds only the rows
the view has scrolled to, fetched a page at a time, so 50,000 clients cost no
more to show than 200.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from packetstudio.store.clients import (
    ClientQuery,
    ClientRow,
    SortKey,
    list_clients,
    search_clients,
)
from packetstudio.store.database import Database
from packetstudio.ui.labels import error_colour, status_text, value_text

PAGE_SIZE = 200

Index = QModelIndex | QPersistentModelIndex

COLUMNS: list[tuple[str, SortKey]] = [
    ("Name", SortKey.NAME),
    ("Client type", SortKey.CLIENT_TYPE),
    ("Goal", SortKey.GOAL),
    ("Last packet", SortKey.PACKET_STATUS),
    ("Updated", SortKey.UPDATED),
]

CLIENT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ClientTableModel(QAbstractTableModel):
    """Clients matching the current search, in pages fetched on demand.

    Signals:
        total_changed(int): how many clients match the current search.
    """

    total_changed = Signal(int)

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self._query = ClientQuery()
        self._rows: list[ClientRow] = []
        self._total = 0
        self.reload()

    # -- what to show ------------------------------------------------------

    @property
    def query(self) -> ClientQuery:
        return self._query

    @property
    def total(self) -> int:
        return self._total

    def set_query(self, query: ClientQuery) -> None:
        """Show the clients matching ``query`` from the top."""
        if query != self._query:
            self._query = query
            self.reload()

    def reload(self) -> None:
        """Fetch the count and the first page again (after changes)."""
        keep = max(PAGE_SIZE, len(self._rows))
        self.beginResetModel()
        self._total, self._rows = search_clients(self._db, self._query, limit=keep)
        self.endResetModel()
        self.total_changed.emit(self._total)

    def refresh_client(self, client_id: int) -> None:
        """Re-read one loaded row (its status changed) without a reset."""
        for row, client in enumerate(self._rows):
            if client.id == client_id:
                fresh = list_clients(self._db, self._query, offset=row, limit=1)
                if fresh and fresh[0].id == client_id:
                    self._rows[row] = fresh[0]
                    self.dataChanged.emit(
                        self.index(row, 0), self.index(row, len(COLUMNS) - 1)
                    )
                else:  # the change moved it in the sort order
                    self.reload()
                return

    def client_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def row_of(self, client_id: int) -> int | None:
        for row, client in enumerate(self._rows):
            if client.id == client_id:
                return row
        return None

    # -- Qt model interface ------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = list_clients(
            self._db, self._query, offset=len(self._rows), limit=PAGE_SIZE
        )
        if not more:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        client = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(client, index.column())
        if role == CLIENT_ID_ROLE:
            return client.id
        failed = client.packet_status == "failed"
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 3 and failed:
            return error_colour()
        return None

    @staticmethod
    def _display(client: ClientRow, column: int) -> str:
        if column == 0:
            return client.full_name
        if column == 1:
            return value_text(client.client_type)
        if column == 2:
            return value_text(client.goal)
        if column == 3:
            return status_text(client.packet_status)
        return client.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")

    def sort(
        self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder
    ) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(
            replace(self._query, sort=COLUMNS[column][1], descending=descending)
        )
