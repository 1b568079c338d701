"""The variables a template may use, as a tree to browse and insert from.

The tree is built from the very context a sample handout is rendered with
(:func:`packetstudio.pdf.render.template_context`), so it lists exactly what
a template sees: ``content``, ``client``, ``packet`` and ``gym``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from packetstudio.pdf.branding import Branding
from packetstudio.pdf.render import template_context
from packetstudio.templates.defaults import (
    SAMPLE_AS_OF,
    sample_client_name,
    sample_content,
)
from packetstudio.vocabulary import PacketType

# content.calculations.target_kcal.value is four names deep.
MAX_DEPTH = 4
EXAMPLE_CHARS = 60
PATH_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Variable:
    """One name a template can print, with an example value.

    Attributes:
        path: the expression that reads it, ``content.calculations.target_kcal``.
        name: the last part of the path, as the tree shows it.
        example: the sample packet's value, shortened, or a description
            ("list of 7") for containers.
        children: the fields inside it, for a mapping or a list of mappings.
    """

    path: str
    name: str
    example: str
    children: tuple[Variable, ...] = ()


def template_variables(packet_type: PacketType) -> list[Variable]:
    """Return what a template of ``packet_type`` can use, from its sample."""
    context = template_context(
        packet_type,
        sample_content(packet_type),
        Branding(),
        sample_client_name(packet_type),
        SAMPLE_AS_OF,
    )
    return [_variable(name, name, value, 1) for name, value in context.items()]


def _variable(path: str, name: str, value: Any, depth: int) -> Variable:
    children = tuple(_children(path, value, depth)) if depth < MAX_DEPTH else ()
    return Variable(path, name, _example(value), children)


def _children(path: str, value: Any, depth: int) -> Iterator[Variable]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if str(key).isidentifier():
                yield _variable(f"{path}.{key}", str(key), item, depth + 1)
    elif isinstance(value, list) and value and isinstance(value[0], Mapping):
        # A list of records: show the fields of its first one, read by index.
        for key, item in value[0].items():
            if str(key).isidentifier():
                yield _variable(f"{path}[0].{key}", f"[0].{key}", item, depth + 1)


def _example(value: Any) -> str:
    if isinstance(value, Mapping):
        return f"{len(value)} fields"
    if isinstance(value, list):
        return f"list of {len(value)}"
    text = " ".join(str(value).split())
    if len(text) > EXAMPLE_CHARS:
        text = text[: EXAMPLE_CHARS - 1] + "…"
    return text


def flatten(variables: list[Variable]) -> Iterator[Variable]:
    """Yield every variable of the tree, parents before their children."""
    for variable in variables:
        yield variable
        yield from flatten(list(variable.children))


class VariableTree(QTreeWidget):
    """Lists the variables of a packet type; activating one inserts it.

    Signals:
        insert_requested(text): insert ``{{ path }}`` at the editor's cursor
            (sent on double-click, or Enter on an item).
    """

    insert_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels(["Variable", "Sample value"])
        self.setUniformRowHeights(True)
        self.setExpandsOnDoubleClick(False)
        self.setToolTip("Double-click or press Enter to insert at the cursor")
        self.itemActivated.connect(self._activated)

    def show_variables(self, variables: list[Variable]) -> None:
        """List ``variables`` (from :func:`template_variables`), tops expanded."""
        self.clear()
        for variable in variables:
            self.addTopLevelItem(self._item(variable))
        for item in self._top_items():
            item.setExpanded(True)
        self.resizeColumnToContents(0)

    def _item(self, variable: Variable) -> QTreeWidgetItem:
        item = QTreeWidgetItem([variable.name, variable.example])
        item.setData(0, PATH_ROLE, variable.path)
        item.setToolTip(0, f"{{{{ {variable.path} }}}}")
        item.setToolTip(1, variable.example)
        for child in variable.children:
            item.addChild(self._item(child))
        return item

    def item_for(self, path: str) -> QTreeWidgetItem | None:
        """Return the item of the variable read by ``path``, if listed."""
        for item in self._items():
            if item.data(0, PATH_ROLE) == path:
                return item
        return None

    def _items(self) -> Iterator[QTreeWidgetItem]:
        pending = self._top_items()
        while pending:
            item = pending.pop(0)
            yield item
            children = (item.child(i) for i in range(item.childCount()))
            pending.extend(child for child in children if child is not None)

    def _top_items(self) -> list[QTreeWidgetItem]:
        found = (self.topLevelItem(i) for i in range(self.topLevelItemCount()))
        return [item for item in found if item is not None]

    @Slot(QTreeWidgetItem, int)
    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        self.insert_requested.emit(f"{{{{ {item.data(0, PATH_ROLE)} }}}}")
