"""The packet types' templates and their saved versions, for the editor."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from packetstudio.store.database import Database
from packetstudio.store.templates import (
    TemplateVersion,
    current_template,
    template_history,
)
from packetstudio.templates.defaults import default_template
from packetstudio.vocabulary import PacketType

TYPE_ROLE = Qt.ItemDataRole.UserRole
BODY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class TemplateState:
    """Which template a packet type uses now.

    Attributes:
        version: the stored version in use, None when none was ever saved.
        customised: False while the text in use is the bundled default.
    """

    packet_type: PacketType
    version: int | None
    body: str
    customised: bool

    @property
    def words(self) -> str:
        """ "Version 3, customised", "Version 4, the default", "Default"."""
        if self.version is None:
            return "Default"
        kind = "customised" if self.customised else "the default"
        return f"Version {self.version}, {kind}"


def template_state(db: Database, packet_type: PacketType) -> TemplateState:
    body, version = current_template(db, packet_type)
    customised = body != default_template(packet_type)
    return TemplateState(packet_type, version, body, customised)


def type_name(packet_type: PacketType) -> str:
    return packet_type.value.capitalize()


def _tree(name: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setObjectName(name)
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    return tree


class VersionsPanel(QWidget):
    """The templates of every packet type and the chosen one's history.

    Signals:
        type_chosen(packet_type): the user chose another packet type's
            template (a PacketType).
        version_opened(version, text): the user asked to open a saved
            version (its number, 0 for the bundled default) in the editor.
    """

    type_chosen = Signal(object)
    version_opened = Signal(int, str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.types = _tree("template_types", ["Template", "In use"])
        self.types.setAccessibleName("Templates")
        self.history = _tree("template_history", ["Version", "Saved", "Note"])
        self.history.setAccessibleName("Saved versions")
        self.history.setToolTip(
            "Double-click a version, or press Enter on it, to open it in the editor"
        )
        self.types_label = QLabel("&Templates")
        self.types_label.setBuddy(self.types)
        self.history_label = QLabel("&History")
        self.history_label.setBuddy(self.history)
        self._type_items: dict[PacketType, QTreeWidgetItem] = {}
        for packet_type in PacketType:
            item = QTreeWidgetItem([type_name(packet_type), ""])
            item.setData(0, TYPE_ROLE, packet_type.value)
            self.types.addTopLevelItem(item)
            self._type_items[packet_type] = item
        rows = self.types.sizeHintForRow(0) * len(PacketType)
        header = self.types.header().sizeHint().height()
        self.types.setFixedHeight(rows + header + 2 * self.types.frameWidth() + 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.types_label)
        layout.addWidget(self.types)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)
        self.types.currentItemChanged.connect(self._type_changed)
        self.history.itemActivated.connect(self._history_activated)

    @property
    def packet_type(self) -> PacketType:
        item = self.types.currentItem()
        if item is None:
            return PacketType.NUTRITION
        return PacketType(item.data(0, TYPE_ROLE))

    def select(self, packet_type: PacketType, *, quietly: bool = False) -> None:
        """Make ``packet_type`` the chosen template (without a signal if quietly)."""
        self.types.blockSignals(quietly)
        self.types.setCurrentItem(self._type_items[packet_type])
        self.types.blockSignals(False)

    def refresh(self) -> dict[PacketType, TemplateState]:
        """Read every packet type's state and the chosen one's history again."""
        states = {kind: template_state(self.db, kind) for kind in PacketType}
        for kind, item in self._type_items.items():
            item.setText(1, states[kind].words)
        self.types.resizeColumnToContents(0)
        self._show_history(template_history(self.db, self.packet_type))
        return states

    def _show_history(self, versions: list[TemplateVersion]) -> None:
        self.history.clear()
        for version in versions:
            saved = version.created_at.astimezone().strftime("%d %b %Y %H:%M")
            item = QTreeWidgetItem([str(version.version), saved, version.note or ""])
            item.setData(0, TYPE_ROLE, version.version)
            item.setData(0, BODY_ROLE, version.body)
            item.setToolTip(2, version.note or "")
            self.history.addTopLevelItem(item)
        default = QTreeWidgetItem(["Default", "", "As PacketStudio ships it"])
        default.setData(0, TYPE_ROLE, 0)
        default.setData(0, BODY_ROLE, default_template(self.packet_type))
        self.history.addTopLevelItem(default)
        for column in (0, 1):
            self.history.resizeColumnToContents(column)

    @Slot(QTreeWidgetItem, QTreeWidgetItem)
    def _type_changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.type_chosen.emit(PacketType(current.data(0, TYPE_ROLE)))

    @Slot(QTreeWidgetItem, int)
    def _history_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.version_opened.emit(item.data(0, TYPE_ROLE), item.data(0, BODY_ROLE))
