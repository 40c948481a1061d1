"""Variable behaviour: local writes, propagation (spec 5.2) and input/output mappings (spec 5.3)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate, to_json
from zeebe.model.elements import VariableMapping
from zeebe.records import ValueType
from zeebe.state import ElementInstance, EngineState
from zeebe.state.variables import VisibleVariables


def parent_scope(state: EngineState) -> Any:
    """A `parent_of` function for `VisibleVariables` over live element instances."""
    instances = state.instances

    def parent_of(key: int) -> int:
        """The flow scope of a live instance, -1 at the root."""
        instance = instances.get(key)
        return -1 if instance is None else instance.flow_scope_key

    return parent_of


def visible(state: EngineState, scope_key: int) -> VisibleVariables:
    """All variables visible from a scope (inner shadows outer)."""
    return VisibleVariables(state.variables, scope_key, parent_scope(state))


def set_local(ctx: Context, scope: ElementInstance | int, name: str, value: Any) -> None:
    """Create or update a variable in exactly this scope (no propagation)."""
    state = ctx.state
    scope_key = scope if isinstance(scope, int) else scope.key
    instance = state.instances[scope_key]
    existing = state.variables.find(scope_key, name)
    text = json.dumps(value, separators=(",", ":"))
    if existing is not None and _same(existing[1], value):
        return  # unchanged values write nothing
    pi = instance.value
    record_value = {
        "name": name,
        "value": text,
        "scopeKey": scope_key,
        "processInstanceKey": instance.process_instance_key,
        "processDefinitionKey": instance.process_definition_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }
    if existing is None:
        ctx.event(ctx.next_key(), ValueType.VARIABLE, "CREATED", record_value)
    else:
        ctx.event(existing[0], ValueType.VARIABLE, "UPDATED", record_value)


def _same(left: Any, right: Any) -> bool:
    """Equal as JSON documents (so 1, 1.0 and true differ as they do in Zeebe)."""
    if left != right:
        return False
    return json.dumps(left, separators=(",", ":")) == json.dumps(right, separators=(",", ":"))


def set_locals(ctx: Context, scope_key: int, document: Mapping[str, Any]) -> None:
    """Write every entry of a document as a local variable of the scope."""
    for name, value in document.items():
        set_local(ctx, scope_key, name, value)


def merge_propagate(ctx: Context, start_scope_key: int, document: Mapping[str, Any]) -> None:
    """Spec 5.2: each variable updates the nearest scope (from start upwards) defining it,
    else it is created in the root scope. Spec 2.4 quirk (Zeebe 8.6): a scope holding an equal
    value does not stop the walk."""
    state = ctx.state
    for name, value in document.items():
        scope_key = start_scope_key
        target = -1
        root = start_scope_key
        while scope_key >= 0:
            found = state.variables.find(scope_key, name)
            if found is not None and not _same(found[1], value):
                target = scope_key
                break
            root = scope_key
            instance = state.instances.get(scope_key)
            scope_key = -1 if instance is None else instance.flow_scope_key
        set_local(ctx, target if target >= 0 else root, name, value)


class _Overlay(Mapping[str, Any]):
    """Earlier mapping results shadow the scope's variables (spec 5.3: evaluated in order)."""

    def __init__(self, first: Mapping[str, Any], second: Mapping[str, Any]) -> None:
        self._first = first
        self._second = second

    def __getitem__(self, name: str) -> Any:
        if name in self._first:
            return self._first[name]
        return self._second[name]

    def __contains__(self, name: object) -> bool:
        return name in self._first or name in self._second

    def __iter__(self) -> Iterator[str]:
        return iter({**dict(self._second), **dict(self._first)})

    def __len__(self) -> int:
        return len({**dict(self._second), **dict(self._first)})


def _set_path(document: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = document.get(part)
        if not isinstance(child, dict):
            child = {}
            document[part] = child
        document = child
    document[path[-1]] = value


def evaluate_inputs(
    mappings: tuple[VariableMapping, ...], context: Mapping[str, Any], now: int
) -> dict[str, Any] | Failure:
    """Input mappings: each target is a full path in a fresh local document (spec 5.3)."""
    result: dict[str, Any] = {}
    for mapping in mappings:
        value = evaluate(mapping.source, _Overlay(result, context), now)
        if isinstance(value, Failure):
            return value
        _set_path(result, mapping.target.split("."), to_json(value))
    return result


def evaluate_outputs(
    mappings: tuple[VariableMapping, ...],
    context: Mapping[str, Any],
    existing: Mapping[str, Any],
    now: int,
) -> dict[str, Any] | Failure:
    """Output mappings: write only the leaf of a nested target, keeping existing siblings."""
    result: dict[str, Any] = {}
    for mapping in mappings:
        value = evaluate(mapping.source, _Overlay(result, context), now)
        if isinstance(value, Failure):
            return value
        path = mapping.target.split(".")
        if len(path) > 1 and path[0] not in result and isinstance(existing.get(path[0]), dict):
            result[path[0]] = copy.deepcopy(existing[path[0]])
        _set_path(result, path, to_json(value))
    return result
