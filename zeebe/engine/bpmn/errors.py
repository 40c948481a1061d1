"""Error catching (spec 2.6): from the throwing element up through its scopes, the first error
boundary event matching the code (specific before catch-all) catches; otherwise an incident.
Escalations (spec 2.6, last point) are caught the same way but never raise an incident."""

from __future__ import annotations

from typing import Any

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.event_subprocess import start_events
from zeebe.engine.bpmn.events import trigger_event
from zeebe.engine.context import Context
from zeebe.model.elements import Element, EventType
from zeebe.records import ValueType
from zeebe.state import ElementInstance


def _catchers(ctx: Context, instance: ElementInstance, kind: EventType) -> list[Element]:
    """Catch events of `kind`: starts of the scope's event subprocesses, then its boundaries."""
    process = lifecycle.definition_of(ctx, instance).process
    element = process.elements[instance.element_id]
    boundaries = () if lifecycle.is_mi_inner(ctx, instance) else element.boundary_events
    candidates = [
        *start_events(process, element),
        *(process.elements[b] for b in boundaries),
    ]
    return [
        c for c in candidates if c.event_definition is not None and c.event_definition.kind is kind
    ]


def _code_of(event: Element) -> str | None:
    definition = event.event_definition
    if definition is None:
        return None
    code = definition.error_code or definition.escalation_code
    return None if code is None else code.source


def find_catch(
    ctx: Context, thrown_from: ElementInstance, code: str, kind: EventType = EventType.ERROR
) -> tuple[ElementInstance, Element] | list[str]:
    """The (scope instance, catching event), or the codes available in the scopes."""
    available: list[str] = []
    instance: ElementInstance | None = thrown_from
    while instance is not None:
        catchers = _catchers(ctx, instance, kind)
        if instance.interrupted:  # running an interrupting event subprocess: boundaries only
            catchers = [c for c in catchers if c.attached_to == instance.element_id]
        exact = [c for c in catchers if _code_of(c) == code]
        catch_all = [c for c in catchers if _code_of(c) is None]
        accepting = instance.state == lifecycle.ACTIVATED
        if accepting and (exact or catch_all):
            return instance, (exact or catch_all)[0]
        available.extend(c for c in (_code_of(c) for c in catchers) if c is not None)
        scope_key = instance.flow_scope_key
        if scope_key < 0:  # a called process: continue at the calling call activity
            scope_key = int(instance.value["parentElementInstanceKey"])
        instance = ctx.state.instances.get(scope_key)
    return available


def throw_error(
    ctx: Context, thrown_from: ElementInstance, code: str, message: str, variables: dict[str, Any]
) -> str | None:
    """Throw a BPMN error; None if caught, else the UNHANDLED_ERROR_EVENT incident message."""
    found = find_catch(ctx, thrown_from, code)
    if isinstance(found, tuple):
        scope, event = found
        trigger_event(ctx, scope, event.id, variables)
        return None
    with_message = f" with message '{message}'" if message else ""
    text = (
        f"Expected to throw an error event with the code '{code}'{with_message}, "
        "but it was not caught."
    )
    if found:
        return text + f" Available error events are [{', '.join(found)}]"
    return text + " No error events are available in the scope."


def throw_escalation(ctx: Context, thrown_from: ElementInstance, code: str) -> bool:
    """Throw an escalation; True if a catch event was triggered (uncaught: no incident)."""
    found = find_catch(ctx, thrown_from, code, EventType.ESCALATION)
    pi = thrown_from.value
    value = {
        "escalationCode": code,
        "throwElementId": thrown_from.element_id,
        "catchElementId": found[1].id if isinstance(found, tuple) else "",
        "processInstanceKey": thrown_from.process_instance_key,
        "bpmnProcessId": pi["bpmnProcessId"],
        "tenantId": pi["tenantId"],
    }
    intent = "ESCALATED" if isinstance(found, tuple) else "NOT_ESCALATED"
    ctx.event(ctx.next_key(), ValueType.ESCALATION, intent, value)
    if isinstance(found, tuple):
        scope, event = found
        return trigger_event(ctx, scope, event.id, {})
    return False
