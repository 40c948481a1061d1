"""The call hierarchy of a process instance (REST 8.8 `ProcessInstanceCallHierarchyEntry`
items), walked up the read model's `parentProcessInstanceKey` links.

As Camunda's `ProcessInstanceServices.callHierarchy` (the instance's tree path): root first and
the instance itself last, and an empty list for a root instance. A child instance is owned by its
parent in the read model, so its ancestors are never evicted before it.
"""

from __future__ import annotations

from zeebe.readmodel.statistics import Readable, Row


def call_hierarchy(model: Readable, instance_key: int) -> list[Row] | None:
    """GET /process-instances/{key}/call-hierarchy: the instance's ancestry, root first and the
    instance last; empty for a root instance (as Camunda's tree path walk); None when unknown."""
    instance = model.get("processInstances", instance_key)
    if instance is None:
        return None
    chain: list[Row] = []
    seen: set[str] = set()
    row: Row | None = instance
    while row is not None and row["processInstanceKey"] not in seen:
        seen.add(row["processInstanceKey"])
        chain.append(_hierarchy_entry(row))
        parent = row.get("parentProcessInstanceKey")
        row = model.get("processInstances", int(parent)) if parent is not None else None
    return [] if len(chain) == 1 else chain[::-1]


def _hierarchy_entry(row: Row) -> Row:
    """`ProcessInstanceCallHierarchyEntry`: the name falls back to the process id."""
    return {
        "processInstanceKey": row["processInstanceKey"],
        "processDefinitionKey": row["processDefinitionKey"],
        "processDefinitionName": row.get("processDefinitionName") or row["processDefinitionId"],
    }
