"""The end of an execution path inside an ad-hoc subprocess (docs "Ad-hoc sub-processes":
Completion, Collect output; Zeebe's AdHocSubProcessProcessor.before/afterExecutionPathCompleted).

When an inner element completes without outgoing flows, before its ELEMENT_COMPLETED:
- `outputElement` is evaluated in the inner element's scope and appended to the subprocess's
  local `outputCollection` ("When an inner flow completes, the `outputElement` expression is
  evaluated and the result is added to the `outputCollection`");
- `completionCondition` is evaluated in the subprocess's scope ("evaluated every time an inner
  element is completed").
A failure of either is an EXTRACT_VALUE_ERROR incident on the inner element, which stays
COMPLETING; resolving it completes the element again. After ELEMENT_COMPLETED:
- without a completion condition the subprocess completes once nothing inside is active;
- a condition that is false leaves the subprocess active, even with nothing inside active;
- a true condition with `cancelRemainingInstances` (default) terminates the remaining inner
  instances and completes the subprocess; without it the subprocess completes only if nothing
  else is active, and otherwise the next inner completion evaluates the condition again;
- with the job worker implementation (`ad_hoc_jobs`) the worker decides: a new job.
"""

from __future__ import annotations

from enum import Enum

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.ad_hoc_jobs import path_ended
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.variables import set_local, visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate, evaluate_typed, to_json
from zeebe.model.elements import AdHoc, ElementType
from zeebe.state import ElementInstance

_AD_HOC = ElementType.AD_HOC_SUB_PROCESS.value


class PathEnd(Enum):
    """What an inner path end means for its ad-hoc subprocess."""

    JOB_WORKER = "decided by the job worker"
    NO_CONDITION = "no condition"
    FULFILLED = "condition fulfilled"
    NOT_FULFILLED = "condition not fulfilled"
    INCIDENT = "incident raised"


def _ad_hoc_scope(ctx: Context, child: ElementInstance) -> ElementInstance | None:
    scope = ctx.state.instances.get(child.flow_scope_key)
    if scope is None or scope.value["bpmnElementType"] != _AD_HOC:
        return None
    return scope


def _ad_hoc_of(ctx: Context, scope: ElementInstance) -> AdHoc:
    ad_hoc = lifecycle.element_of(ctx, scope).ad_hoc
    return ad_hoc if ad_hoc is not None else AdHoc()


def before_path_end(ctx: Context, child: ElementInstance) -> PathEnd | None:
    """Before an inner element without outgoing flows completes: collect its output and
    evaluate the completion condition. None if the element is not inside an ad-hoc subprocess."""
    scope = _ad_hoc_scope(ctx, child)
    if scope is None:
        return None
    ad_hoc = _ad_hoc_of(ctx, scope)
    if not _collect_output(ctx, scope, child, ad_hoc):
        return PathEnd.INCIDENT
    if lifecycle.element_of(ctx, scope).task_definition is not None:
        return PathEnd.JOB_WORKER
    condition = ad_hoc.completion_condition
    if condition is None:
        return PathEnd.NO_CONDITION
    result = evaluate_typed(condition, visible(ctx.state, scope.key), ctx.now, "BOOLEAN")
    if isinstance(result, Failure):
        message = f"Failed to evaluate completion condition. {result.message}"
        raise_incident(ctx, child, "EXTRACT_VALUE_ERROR", message)
        return PathEnd.INCIDENT
    return PathEnd.FULFILLED if result else PathEnd.NOT_FULFILLED


def _collect_output(
    ctx: Context, scope: ElementInstance, child: ElementInstance, ad_hoc: AdHoc
) -> bool:
    if ad_hoc.output_collection is None or ad_hoc.output_element is None:
        return True
    value = evaluate(ad_hoc.output_element, visible(ctx.state, child.key), ctx.now)
    if isinstance(value, Failure):
        raise_incident(ctx, child, "EXTRACT_VALUE_ERROR", value.message)
        return False
    found = ctx.state.variables.find(scope.key, ad_hoc.output_collection)
    current = found[1] if found is not None else []
    if not isinstance(current, list):
        # Zeebe's OutputCollectionUpdater (the variable was overwritten with a non-list).
        message = (
            "The output collection has the wrong type. Expected ARRAY but was "
            f"{_msgpack_type(current)}."
        )
        raise_incident(ctx, child, "EXTRACT_VALUE_ERROR", message)
        return False
    set_local(ctx, scope, ad_hoc.output_collection, [*current, to_json(value)])
    return True


_MSGPACK_TYPES: dict[type, str] = {
    bool: "BOOLEAN",
    int: "INTEGER",
    float: "FLOAT",
    str: "STRING",
    dict: "MAP",
    type(None): "NIL",
}


def _msgpack_type(value: object) -> str:
    return _MSGPACK_TYPES.get(type(value), "EXTENSION")


def after_path_end(ctx: Context, child: ElementInstance, verdict: PathEnd) -> None:
    """After the inner element completed: complete the subprocess, terminate the remaining
    inner instances first, or keep waiting (see the module doc)."""
    scope = _ad_hoc_scope(ctx, child)
    if scope is None or verdict is PathEnd.NOT_FULFILLED:
        return
    if verdict is PathEnd.JOB_WORKER:
        path_ended(ctx, scope)
        return
    if verdict is PathEnd.FULFILLED and _ad_hoc_of(ctx, scope).cancel_remaining_instances:
        # the last terminated child completes the subprocess (lifecycle.child_finished)
        for remaining in ctx.state.children_of(scope.key):
            lifecycle.terminate(ctx, remaining)
    lifecycle.child_finished(ctx, scope.key)
