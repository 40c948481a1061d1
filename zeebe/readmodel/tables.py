"""The read model's mutable tables and the per-instance index used for eviction."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
CHILD_TABLES = ("elementInstances", "incidents", "variables", "jobs")


@dataclass
class Tables:
    """Rows by table name and key, plus which child rows belong to which process instance.

    Only the projections and the eviction below mutate it; the owner guards it with a lock.
    """

    rows: dict[str, dict[int, Row]] = field(
        default_factory=lambda: {
            name: {} for name in ("processDefinitions", "processInstances", *CHILD_TABLES)
        }
    )
    children: dict[int, dict[str, set[int]]] = field(default_factory=dict)
    finished: OrderedDict[int, None] = field(default_factory=OrderedDict)
    element_names: dict[int, dict[str, str]] = field(default_factory=dict)

    def put_child(
        self, table: str, key: int, row: Row, owner_field: str = "processInstanceKey"
    ) -> None:
        """Insert or replace a row owned by the process instance in `row[owner_field]`."""
        self.rows[table][key] = row
        owner = row.get(owner_field)
        if owner is not None:
            self.children.setdefault(int(owner), {}).setdefault(table, set()).add(key)

    def evict_instance(self, instance_key: int) -> None:
        """Drop a process instance and every row that belongs to it (child instances too)."""
        self.rows["processInstances"].pop(instance_key, None)
        self.finished.pop(instance_key, None)
        owned = self.children.pop(instance_key, {})
        for nested in owned.pop("processInstances", set()):
            self.evict_instance(nested)
        for table, keys in owned.items():
            for key in keys:
                self.rows[table].pop(key, None)

    def enforce_retention(self, max_finished: int) -> None:
        """Keep at most `max_finished` finished root instances; the oldest finished go first."""
        while len(self.finished) > max_finished:
            oldest, _ = self.finished.popitem(last=False)
            self.evict_instance(oldest)
