"""Mapping behaviour shared by element processors: inputs on activation, outputs on completion."""

from __future__ import annotations

from zeebe.engine.bpmn.incidents import raise_incident
from zeebe.engine.bpmn.lifecycle import is_mi_inner
from zeebe.engine.bpmn.variables import (
    evaluate_inputs,
    evaluate_outputs,
    merge_propagate,
    set_locals,
    visible,
)
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure
from zeebe.model.elements import Element, ElementType, EventType
from zeebe.state import ElementInstance

IO_MAPPING_ERROR = "IO_MAPPING_ERROR"
# spec 5.2: "The error, terminate, and compensation variants do not support output mappings and
# propagate nothing" (Zeebe's End/IntermediateThrowEventProcessor: no applyOutputMappings there)
_NO_OUTPUTS = frozenset({EventType.TERMINATE, EventType.COMPENSATION})


def apply_inputs(ctx: Context, instance: ElementInstance, element: Element) -> bool:
    """Input mappings create locals of the instance (spec 5.3). They are evaluated in the
    instance's scope, so a multi-instance iteration sees its inputElement and loopCounter."""
    if not element.inputs:
        return True
    context = visible(ctx.state, instance.key)
    result = evaluate_inputs(element.inputs, context, ctx.now)
    if isinstance(result, Failure):
        raise_incident(ctx, instance, IO_MAPPING_ERROR, result.message)
        return False
    set_locals(ctx, instance.key, result)
    return True


def apply_outputs(ctx: Context, instance: ElementInstance, element: Element) -> bool:
    """Merge the element's result (job variables, message payload, ...) per spec 2.4 / 5.3.

    Without output mappings the result propagates from the instance's own scope; with them the
    result becomes locals, the mappings are evaluated there and only their targets propagate,
    starting at the flow scope.
    """
    if element.element_type is ElementType.BOUNDARY_EVENT:
        return _apply_boundary_outputs(ctx, instance, element)
    if _without_outputs(element):
        return True
    trigger = ctx.state.triggers.get(instance.key)
    document = trigger.variables if trigger is not None else {}
    if not element.outputs:
        if document:
            merge_propagate(ctx, instance.key, document)
        return True
    set_locals(ctx, instance.key, document)
    result = evaluate_outputs(
        element.outputs,
        visible(ctx.state, instance.key),
        visible(ctx.state, instance.flow_scope_key),
        ctx.now,
    )
    if isinstance(result, Failure):
        raise_incident(ctx, instance, IO_MAPPING_ERROR, result.message)
        return False
    # an iteration of a multi-instance merges from its own scope, where its inputElement and
    # outputElement live (BpmnVariableMappingBehavior.getVariableScopeKey)
    merge_propagate(
        ctx, instance.key if is_mi_inner(ctx, instance) else instance.flow_scope_key, result
    )
    return True


def _apply_boundary_outputs(ctx: Context, instance: ElementInstance, element: Element) -> bool:
    """A boundary event's payload is already its locals (`activate_event`). Without output
    mappings they propagate from the flow scope, except for an error boundary event, whose
    variables stay local (BpmnVariableMappingBehavior; JobThrowErrorTest
    shouldThrowErrorWithVariables; spec 2.6 "local scope of the error catch event")."""
    if not element.outputs:
        definition = element.event_definition
        if definition is None or definition.kind is not EventType.ERROR:
            local = {n: v for n, (_, v) in ctx.state.variables.local(instance.key).items()}
            merge_propagate(ctx, instance.flow_scope_key, local)
        return True
    result = evaluate_outputs(
        element.outputs,
        visible(ctx.state, instance.key),
        visible(ctx.state, instance.flow_scope_key),
        ctx.now,
    )
    if isinstance(result, Failure):
        raise_incident(ctx, instance, IO_MAPPING_ERROR, result.message)
        return False
    merge_propagate(ctx, instance.flow_scope_key, result)
    return True


def _without_outputs(element: Element) -> bool:
    """A terminate or compensation end/throw event ignores any output mapping."""
    definition = element.event_definition
    return (
        definition is not None
        and definition.kind in _NO_OUTPUTS
        and element.element_type in (ElementType.END_EVENT, ElementType.INTERMEDIATE_THROW_EVENT)
    )
