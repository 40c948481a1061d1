"""Start elements nested in embedded subprocesses (CreateProcessInstance start instructions).

Zeebe creates the missing flow scopes of a start instruction's element ("Start instructions have
the same limitations as process instance modification", gRPC reference): the container on the
path is activated and continues with the nested elements instead of its none start event, so the
instance later leaves the subprocess the modelled way.
"""

from __future__ import annotations

from collections.abc import Sequence

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.context import Context
from zeebe.model.elements import Process
from zeebe.state import ElementInstance, ProcessDefinition


def child_on_path(process: Process, scope_id: str, target: str) -> str:
    """The element directly inside `scope_id` that contains `target` (or `target` itself)."""
    current = target
    while (element := process.elements.get(current)) is not None and element.flow_scope not in (
        scope_id,
        None,
    ):
        current = element.flow_scope
    return current


def activate_targets(
    ctx: Context,
    definition: ProcessDefinition,
    scope: ElementInstance,
    targets: Sequence[str],
    start_key: int = -1,
) -> None:
    """Activate each target in `scope`; a deeper one activates the container on its path first,
    which starts with it (one container instance for all targets inside it)."""
    process = definition.process
    nested: dict[str, list[str]] = {}
    for target in targets:
        nested.setdefault(child_on_path(process, scope.element_id, target), []).append(target)
    for child_id, wanted in nested.items():
        direct = child_id in wanted
        element = process.elements[child_id]
        child = lifecycle.activate(ctx, definition, element, scope.key, start_key if direct else -1)
        if not direct:
            ctx.start_points[child.key] = (tuple(wanted), -1)
