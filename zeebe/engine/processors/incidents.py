"""INCIDENT RESOLVE (spec 2.5) and VARIABLE_DOCUMENT UPDATE (SetVariables, spec 1.2 row 14)."""

from __future__ import annotations

from zeebe.engine.bpmn import lifecycle
from zeebe.engine.bpmn.processors import run_activate, run_complete
from zeebe.engine.bpmn.task_listeners import retry_transition
from zeebe.engine.bpmn.variables import merge_propagate, set_locals
from zeebe.engine.context import Context
from zeebe.records import Record, RejectionType, ValueType


def resolve(ctx: Context, command: Record) -> None:
    """Mark an incident resolved; job incidents need retries, others re-run the failed step."""
    state = ctx.state
    incident = state.incidents.get(command.key)
    if incident is None:
        reason = (
            f"Expected to resolve incident with key '{command.key}', but no such incident was found"
        )
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    job = state.jobs.get(int(incident.value["jobKey"]))
    if job is not None and int(job.value["retries"]) <= 0:
        reason = (
            f"Expected to resolve incident with key '{command.key}', but job with key "
            f"'{job.key}' has no retries left. Please update the job retries and retry "
            "resolving the incident"
        )
        # Zeebe 8.6 answers this case with NOT_FOUND (spec 2.5, Appendix C.2).
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    ctx.event(command.key, ValueType.INCIDENT, "RESOLVED", incident.value)
    ctx.respond({})
    if job is not None:
        ctx.jobs_available(str(job.value["type"]))
        return
    instance = state.instances.get(int(incident.value["elementInstanceKey"]))
    if instance is None:
        return
    if instance.state == lifecycle.ACTIVATING:
        run_activate(ctx, instance)
    elif instance.state == lifecycle.COMPLETING:
        run_complete(ctx, instance)
    elif instance.state in (lifecycle.ACTIVATED, lifecycle.TERMINATING):
        retry_transition(ctx, instance)


def update_variables(ctx: Context, command: Record) -> None:
    """Merge a document into a scope: LOCAL writes there, PROPAGATE uses spec 5.2 rules."""
    value = command.value
    scope_key = int(value.get("scopeKey", -1))
    variables = value.get("variables") or {}
    instance = ctx.state.instances.get(scope_key)
    if instance is None:
        reason = (
            f"Expected to update variables for element with key '{scope_key}', "
            "but no such element was found"
        )
        ctx.reject(command, RejectionType.NOT_FOUND, reason)
        return
    if not isinstance(variables, dict):
        reason = "Expected document to be a root level object, but was not"
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, reason)
        return
    key = ctx.next_key()
    semantics = str(value.get("updateSemantics", "PROPAGATE"))
    ctx.event(
        key,
        ValueType.VARIABLE_DOCUMENT,
        "UPDATED",
        {"scopeKey": scope_key, "variables": variables, "updateSemantics": semantics},
    )
    if semantics == "LOCAL":
        set_locals(ctx, scope_key, variables)
    else:
        merge_propagate(ctx, scope_key, variables)
    ctx.respond({"key": key})
