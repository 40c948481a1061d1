"""The read model's mutable tables and the per-owner index used for eviction and searches."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
CHILD_TABLES = (
    "elementInstances",
    "incidents",
    "variables",
    "jobs",
    "userTasks",
    "decisionInstances",
    "decisionInstanceDetails",
    "sequenceFlows",
)
# definitions are never evicted (zeebe/readmodel/decisions.py for the decision tables)
DEFINITION_TABLES = (
    "processDefinitions",
    "decisionDefinitions",
    "decisionRequirements",
    "decisionRequirementsXml",
    "forms",
)
# The field whose (process instance) key owns a row, per table: `children` indexes rows by it.
# A process instance belongs to its parent instance (root instances have no owner).
OWNER_FIELDS: dict[str, str] = {
    "processInstances": "parentProcessInstanceKey",
    **{table: "processInstanceKey" for table in CHILD_TABLES},
}


@dataclass
class Tables:
    """Rows by table name and key, plus which rows belong to which process instance.

    `children[owner][table]` holds the keys of the rows of `table` whose `OWNER_FIELDS[table]`
    is `owner`; rows only enter a table through `put_child` (or the definition projection), so
    the index never misses a row. Only the projections and the eviction below mutate it; the
    owner guards it with a lock.
    """

    rows: dict[str, dict[int, Row]] = field(
        default_factory=lambda: {
            name: {} for name in (*DEFINITION_TABLES, "processInstances", *CHILD_TABLES)
        }
    )
    children: dict[int, dict[str, set[int]]] = field(default_factory=dict)
    finished: OrderedDict[int, None] = field(default_factory=OrderedDict)
    element_names: dict[int, dict[str, str]] = field(default_factory=dict)

    def put_child(self, table: str, key: int, row: Row) -> None:
        """Insert or replace a row, indexed under the instance in its `OWNER_FIELDS[table]`."""
        self.rows[table][key] = row
        owner = row.get(OWNER_FIELDS[table])
        if owner is not None:
            self.children.setdefault(int(owner), {}).setdefault(table, set()).add(key)

    def owned_rows(self, table: str, owner: int) -> Iterator[Row]:
        """The rows of `table` owned by process instance `owner` (no scan of the table)."""
        rows = self.rows[table]
        for key in self.children.get(owner, {}).get(table, ()):
            row = rows.get(key)
            if row is not None:
                yield row

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
