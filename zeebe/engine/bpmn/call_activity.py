"""Call activities (spec 4.2, 5.4): a child process instance of the latest version of the called
process; variables copied in on start and propagated back on completion; terminating the call
activity terminates the child; errors of the child can be caught at the call activity."""

from __future__ import annotations

from zeebe.engine.bpmn import bindings, lifecycle
from zeebe.engine.bpmn.events import boundary_targets, close_subscriptions, open_subscriptions
from zeebe.engine.bpmn.incidents import raise_incident, resolve_incidents_of
from zeebe.engine.bpmn.mappings import apply_inputs
from zeebe.engine.bpmn.variables import visible
from zeebe.engine.context import Context
from zeebe.engine.expressions import Failure, evaluate_typed
from zeebe.model.elements import CalledElement, Element
from zeebe.records import ValueType
from zeebe.state import ElementInstance, ProcessDefinition


def _called(element: Element) -> CalledElement:
    assert element.called_element is not None
    return element.called_element


def _called_definition(
    ctx: Context, instance: ElementInstance, element: Element
) -> ProcessDefinition | None:
    """The process to call, or None after an incident: an expression failure is
    EXTRACT_VALUE_ERROR, a process not found CALLED_ELEMENT_ERROR (CallActivityProcessor:
    evaluateStringExpression, then getProcessForProcessId)."""
    called = _called(element)
    process_id = evaluate_typed(
        called.process_id, visible(ctx.state, instance.key), ctx.now, "STRING"
    )
    if isinstance(process_id, Failure):
        raise_incident(ctx, instance, "EXTRACT_VALUE_ERROR", process_id.message)
        return None
    binding = (called.binding_type, called.version_tag)
    definition = bindings.called_process(
        ctx.state, str(process_id), binding, instance.process_definition_key
    )
    if isinstance(definition, Failure):
        raise_incident(ctx, instance, "CALLED_ELEMENT_ERROR", definition.message)
        return None
    return definition


def activate_call_activity(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Inputs, boundary events, ACTIVATED, then the child instance at its none start event."""
    from zeebe.engine.processors.instances import start_instance

    if not apply_inputs(ctx, instance, element):
        return
    definition = _called_definition(ctx, instance, element)
    if definition is None:
        return
    if not open_subscriptions(ctx, instance, boundary_targets(ctx, instance, element)):
        return
    lifecycle.transition(ctx, instance, lifecycle.ACTIVATED)
    if _called(element).propagate_all_parent_variables:
        variables = visible(ctx.state, instance.key).to_dict()
    else:
        variables = {k: v for k, (_, v) in ctx.state.variables.local(instance.key).items()}
    parent = (instance.process_instance_key, instance.key)
    start_instance(ctx, definition, variables, parent=parent)


def child_completed(ctx: Context, child: ElementInstance) -> None:
    """Before the child process instance's COMPLETED: hand its variables to the call activity
    (spec 5.4) as the call activity's result, then complete the call activity."""
    caller = ctx.state.instances.get(int(child.value["parentElementInstanceKey"]))
    if caller is None or caller.state != lifecycle.ACTIVATED:
        return
    element = lifecycle.element_of(ctx, caller)
    propagate = _called(element).propagate_all_child_variables or bool(element.outputs)
    variables = visible(ctx.state, child.key).to_dict() if propagate else {}
    pi = caller.value
    trigger = {
        "scopeKey": caller.key,
        "targetElementId": caller.element_id,
        "variables": variables,
        "processDefinitionKey": caller.process_definition_key,
        "processInstanceKey": caller.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }
    ctx.event(caller.key, ValueType.PROCESS_EVENT, "TRIGGERING", trigger)
    ctx.follow_up(lambda: _complete_caller(ctx, caller))


def _complete_caller(ctx: Context, caller: ElementInstance) -> None:
    if ctx.state.instances.get(caller.key) is caller and caller.state == lifecycle.ACTIVATED:
        lifecycle.complete(ctx, caller)


def terminate_call_activity(ctx: Context, instance: ElementInstance, element: Element) -> None:
    """Terminating the call activity terminates the child instance (spec 4.2)."""
    close_subscriptions(ctx, instance)
    resolve_incidents_of(ctx, instance.key)
    child = ctx.state.instances.get(ctx.state.called.get(instance.key, -1))
    if child is not None:
        lifecycle.terminate(ctx, child)
