"""Multi-instance activities (spec 4.2): a body instance (MULTI_INSTANCE_BODY, same element id)
owns the boundary events and runs one inner instance per input element, in parallel or in
sequence; `inputElement` and `loopCounter` (from 1) are locals of each inner instance; the output
collection is a local of the body, propagated when the body completes."""

from __future__ import annotations

import re
from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.events import boundary_targets, close_subscriptions, open_subscriptions
from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.variables import merge_propagate, set_local, visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import (
    Failure,
    evaluate,
    evaluate_typed,
    to_json,
    type_name,
    warnings_suffix,
)
from zeebe.model.elements import Element, Expression, LoopCharacteristics
from zeebe.state import ElementInstance

LOOP_COUNTER = "loopCounter"
# a name or a path (`result.nested`): Zeebe's Expression.getVariableName() gives its first name
_VARIABLE_REFERENCE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(\.[A-Za-z_][A-Za-z0-9_]*)*\s*")


def _loop(element: Element) -> LoopCharacteristics:
    assert element.loop is not None
    return element.loop


def _collection(ctx: Context, body: ElementInstance, element: Element) -> list[Any] | Failure:
    source = _loop(element).input_collection
    variables = visible(ctx.state, body.key)
    value = evaluate(source, variables, ctx.now)
    if isinstance(value, Failure):
        return value
    if not isinstance(value, list):
        return Failure(
            f"Expected result of the expression '{source.source.strip()}' to be 'ARRAY', "
            f"but was '{type_name(value)}'." + warnings_suffix(source, variables, ctx.now)
        )
    return value


def activate_body(ctx: Context, body: ElementInstance, element: Element) -> None:
    """Evaluate the input collection, open boundary events, start the inner instances."""
    items = _collection(ctx, body, element)
    if isinstance(items, Failure):
        raise_incident(ctx, body, "EXTRACT_VALUE_ERROR", items.message)
        return
    if not open_subscriptions(ctx, body, boundary_targets(ctx, body, element)):
        return
    lifecycle.transition(ctx, body, lifecycle.ACTIVATED)
    loop = _loop(element)
    if loop.output_collection:
        set_local(ctx, body, loop.output_collection, [None] * len(items))
    if not items:
        lifecycle.complete(ctx, body)
        return
    for item in items if not loop.is_sequential else items[:1]:
        _start_inner(ctx, body, element, item)


def _start_inner(ctx: Context, body: ElementInstance, element: Element, item: Any) -> None:
    definition = lifecycle.definition_of(ctx, body)
    inner = lifecycle.activate(ctx, definition, element, body.key)
    loop = _loop(element)
    if loop.input_element:
        set_local(ctx, inner, loop.input_element, to_json(item))
    output_variable = _output_element_variable(loop.output_element)
    if output_variable not in (None, loop.input_element, LOOP_COUNTER):
        # nil-initialised, so the job's result of that name stays local to the iteration
        # instead of propagating (MultiInstanceBodyProcessor.setLoopVariables)
        set_local(ctx, inner, str(output_variable), None)
    set_local(ctx, inner, LOOP_COUNTER, body.loop_counter)


def _output_element_variable(output_element: Expression | None) -> str | None:
    """The variable an outputElement that is a plain name or path refers to (else None)."""
    if output_element is None:
        return None
    match = _VARIABLE_REFERENCE.fullmatch(output_element.source)
    return match.group(1) if match else None


def complete_body(ctx: Context, body: ElementInstance, element: Element) -> None:
    """Propagate the output collection to the parent scope, then continue like the activity."""
    loop = _loop(element)
    if loop.output_collection:
        found = ctx.state.variables.find(body.key, loop.output_collection)
        merge_propagate(
            ctx, body.flow_scope_key, {loop.output_collection: found[1] if found else []}
        )
    close_subscriptions(ctx, body)
    lifecycle.finish_completion(ctx, body, element)


def collect_output(ctx: Context, inner: ElementInstance, element: Element) -> bool:
    """Before an inner instance completes: store its output element at its loop position."""
    loop = _loop(element)
    if not loop.output_collection or loop.output_element is None:
        return True
    value = evaluate(loop.output_element, visible(ctx.state, inner.key), ctx.now)
    if isinstance(value, Failure):
        raise_incident(ctx, inner, "EXTRACT_VALUE_ERROR", value.message)
        return False
    counter = ctx.state.variables.find(inner.key, LOOP_COUNTER)
    found = ctx.state.variables.find(inner.flow_scope_key, loop.output_collection)
    collected = list(found[1]) if found and isinstance(found[1], list) else []
    index = int(counter[1]) - 1 if counter else len(collected)
    while len(collected) <= index:
        collected.append(None)
    collected[index] = to_json(value)
    set_local(ctx, inner.flow_scope_key, loop.output_collection, collected)
    return True


def completion_condition_met(ctx: Context, inner: ElementInstance, element: Element) -> bool | None:
    """Before an inner instance completes: evaluate the completionCondition in its scope.

    As Zeebe's MultiInstanceBodyProcessor, the counters are those of the body with the completing
    instance already counted as completed; a non-boolean result is an incident (returns None).
    """
    condition = _loop(element).completion_condition
    if condition is None:
        return False
    body = ctx.state.instances[inner.flow_scope_key]
    counts = {
        "numberOfInstances": body.loop_counter,
        "numberOfActiveInstances": body.active_children - 1,
        "numberOfCompletedInstances": body.completed_children + 1,
        "numberOfTerminatedInstances": body.terminated_children,
    }
    variables = visible(ctx.state, inner.key).to_dict() | counts
    result = evaluate_typed(condition, variables, ctx.now, "BOOLEAN")
    if isinstance(result, Failure):
        raise_incident(ctx, inner, "EXTRACT_VALUE_ERROR", result.message)
        return None
    return bool(result)


def inner_completed(
    ctx: Context, body: ElementInstance, element: Element, condition_met: bool = False
) -> None:
    """After an inner instance completed: completion condition, next item, or body completion."""
    if body.state != lifecycle.ACTIVATED:
        return
    loop = _loop(element)
    if condition_met:
        for child in ctx.state.children_of(body.key):
            lifecycle.terminate(ctx, child)
        if body.state == lifecycle.ACTIVATED and body.active_children == 0:
            lifecycle.complete(ctx, body)
        return
    items = _collection(ctx, body, element)
    if loop.is_sequential and isinstance(items, list) and body.loop_counter < len(items):
        _start_inner(ctx, body, element, items[body.loop_counter])
    elif body.active_children == 0:
        lifecycle.complete(ctx, body)
