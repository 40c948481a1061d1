"""Incident behaviour: model-level failures become incidents on the element, never exceptions."""

from __future__ import annotations

from zeebe.engine.context import Context
from zeebe.records import ValueType
from zeebe.state import ElementInstance


def raise_incident(
    ctx: Context,
    instance: ElementInstance,
    error_type: str,
    message: str,
    *,
    job_key: int = -1,
    variable_scope_key: int | None = None,
) -> None:
    """Create an incident attached to an element instance (spec 2.5)."""
    value = instance.value
    ctx.event(
        ctx.next_key(),
        ValueType.INCIDENT,
        "CREATED",
        {
            "errorType": error_type,
            "errorMessage": message,
            "bpmnProcessId": value["bpmnProcessId"],
            "processDefinitionKey": instance.process_definition_key,
            "processInstanceKey": instance.process_instance_key,
            "elementId": instance.element_id,
            "elementInstanceKey": instance.key,
            "jobKey": job_key,
            "variableScopeKey": instance.key if variable_scope_key is None else variable_scope_key,
            "tenantId": value["tenantId"],
        },
    )


def resolve_incidents_of(ctx: Context, element_instance_key: int) -> None:
    """Resolve all incidents of an element instance that is being left (terminated)."""
    for incident_key in sorted(ctx.state.incidents_by_element.get(element_instance_key, ())):
        incident = ctx.state.incidents[incident_key]
        ctx.event(incident_key, ValueType.INCIDENT, "RESOLVED", incident.value)
