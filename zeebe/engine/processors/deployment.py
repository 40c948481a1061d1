"""DEPLOYMENT CREATE: parse and validate resources, version processes (Appendix B), open
start-event subscriptions and timers of new versions (spec 5.5, 9.1).

Record order as Zeebe 8.7's DeploymentCreateProcessor: the deployment key first, then keys and
versions per resource in request order; once all validated, the CREATED records of the new
versions in resource order (PROCESS; DECISION_REQUIREMENTS then its DECISIONs; FORM), then the
start events of new processes, then DEPLOYMENT CREATED."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from zeebe.engine.context import Context
from zeebe.engine.deploy import checksum, parse_cached
from zeebe.engine.processors.deployment_definitions import (
    DMN_SUFFIX,
    FORM_SUFFIX,
    DefinitionMetadata,
    DefinitionResource,
    PendingRecord,
    duplicated_ids,
    parse_definition,
    version_definition,
)
from zeebe.engine.processors.start_events import invalid_start_events, replace_start_events
from zeebe.model.elements import ParsedResource, Process
from zeebe.model.errors import (
    DEPLOYMENT_ERROR_PREFIX,
    BpmnValidationError,
    deployment_rejection_reason,
)
from zeebe.records import DEFAULT_TENANT, Record, RejectionType, ValueType
from zeebe.state import ProcessDefinition

PROCESS_SUFFIXES = (".bpmn", ".xml")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One process of one resource, parsed and ready to be versioned."""

    resource_name: str
    resource: bytes
    digest: str
    process: Process


def _parse(ctx: Context, name: str, data: bytes) -> ParsedResource | DefinitionResource | str:
    if name.endswith((DMN_SUFFIX, FORM_SUFFIX)):
        return parse_definition(ctx, name, data)
    if not name.endswith(PROCESS_SUFFIXES):
        return (
            f"'{name}': Resource type is not supported (unsupported file type). "
            "Supported resource types are: .bpmn, .xml, .dmn, .form"
        )
    try:
        parsed = parse_cached(ctx.state, data, name, checksum(data))
    except BpmnValidationError as error:
        return error.detail
    return invalid_start_events(ctx, name, parsed) or parsed


Item = Candidate | DefinitionResource


def _candidates(ctx: Context, resources: list[dict[str, Any]]) -> list[Item] | str:
    """Every process and definition resource in request order, or the rejection reason."""
    errors: list[str] = []
    items: list[Item] = []
    for resource in resources:
        name = str(resource.get("resourceName", ""))
        data = resource.get("resource", b"")
        data = data.encode() if isinstance(data, str) else bytes(data)
        parsed = _parse(ctx, name, data)
        if isinstance(parsed, str):
            errors.append(parsed)
        elif isinstance(parsed, DefinitionResource):
            items.append(parsed)
        else:
            items.extend(Candidate(name, data, checksum(data), p) for p in parsed.processes)
    if errors:
        return deployment_rejection_reason(errors)
    found = [i for i in items if isinstance(i, Candidate)]
    definitions = [i for i in items if isinstance(i, DefinitionResource)]
    duplicated = _duplicated_process(found) or duplicated_ids(definitions)
    return duplicated if duplicated is not None else items


def _duplicated_process(found: list[Candidate]) -> str | None:
    by_id: dict[str, list[str]] = {}
    for candidate in found:
        by_id.setdefault(candidate.process.id, []).append(candidate.resource_name)
    for names in by_id.values():
        if len(names) > 1:
            duplicated = f"Duplicated process id in resources '{names[0]}' and '{names[1]}'"
            return f"{DEPLOYMENT_ERROR_PREFIX}\n{duplicated}"
    return None


@dataclass(slots=True)
class Plan:
    """Keys, versions and pending records of one deployment, built before anything is written."""

    processes: list[dict[str, Any]]
    definitions: DefinitionMetadata
    pending: list[PendingRecord]
    # new process keys with the version they replace (for the start events)
    replaced: list[tuple[int, ProcessDefinition | None]]


def _plan(ctx: Context, items: list[Item], tenant_id: str, deployment_key: int) -> Plan:
    plan = Plan([], DefinitionMetadata(), [], [])
    common = {"tenantId": tenant_id, "deploymentKey": deployment_key}
    for item in items:
        if isinstance(item, DefinitionResource):
            plan.pending += version_definition(ctx, item, common, plan.definitions)
        else:
            _version(ctx, item, tenant_id, deployment_key, plan)
    return plan


def deploy(ctx: Context, command: Record) -> None:
    """Validate all resources, then write the CREATED record of every new version, open start
    events, and write DEPLOYMENT CREATED (which also carries all metadata)."""
    value = command.value
    resources = list(value.get("resources") or [])
    tenant_id = str(value.get("tenantId") or DEFAULT_TENANT)
    if not resources:
        reason = "Expected to deploy at least one resource, but none given"
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, reason)
        return
    items = _candidates(ctx, resources)
    if isinstance(items, str):
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, items)
        return
    deployment_key = ctx.next_key()
    plan = _plan(ctx, items, tenant_id, deployment_key)
    for pending in plan.pending:
        ctx.event(pending.key, pending.value_type, "CREATED", pending.value)
    for key, latest in plan.replaced:
        replace_start_events(ctx, ctx.state.processes[key], latest)
    extra = plan.definitions
    deployed = [(i.resource_name, i.resource) for i in items]
    ctx.event(
        deployment_key,
        ValueType.DEPLOYMENT,
        "CREATED",
        {
            "resources": [{"resourceName": n, "resource": _b64(r)} for n, r in _unique(deployed)],
            "processesMetadata": plan.processes,
            "decisionsMetadata": extra.decisions,
            "decisionRequirementsMetadata": extra.drgs,
            "formMetadata": extra.forms,
            "tenantId": tenant_id,
            "deploymentKey": deployment_key,
        },
    )
    deployments = [_process_entry(m, tenant_id) for m in plan.processes] + extra.deployments
    ctx.respond({"key": deployment_key, "deployments": deployments, "tenantId": tenant_id})


def _unique(deployed: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """One entry per resource (a BPMN resource with several processes yields several items)."""
    return list(dict(deployed).items())


def _process_entry(metadata: dict[str, Any], tenant_id: str) -> dict[str, Any]:
    """A bare ProcessMetadata dict (the gateway wraps it as the `process` oneof)."""
    keys = ("bpmnProcessId", "version", "processDefinitionKey", "resourceName")
    return {k: metadata[k] for k in keys} | {"tenantId": tenant_id}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _version(
    ctx: Context, candidate: Candidate, tenant_id: str, deployment_key: int, plan: Plan
) -> None:
    """Appendix B: same checksum and resource name as the latest version -> duplicate."""
    latest = ctx.state.latest(candidate.process.id)
    duplicate = (
        latest is not None
        and latest.checksum == candidate.digest
        and latest.resource_name == candidate.resource_name
    )
    if latest is not None and duplicate:
        key, version = latest.key, latest.version
    else:
        key, version = ctx.next_key(), (latest.version + 1 if latest else 1)
    record_value = {
        "bpmnProcessId": candidate.process.id,
        "version": version,
        "versionTag": candidate.process.version_tag or "",
        "processDefinitionKey": key,
        "resourceName": candidate.resource_name,
        "checksum": candidate.digest,
        "tenantId": tenant_id,
        "deploymentKey": deployment_key,
        "duplicate": duplicate,
    }
    if not duplicate:
        value = record_value | {"resource": _b64(candidate.resource)}
        plan.pending.append(PendingRecord(key, ValueType.PROCESS, value))
        plan.replaced.append((key, latest))
    metadata = {k: v for k, v in record_value.items() if k != "duplicate"}
    plan.processes.append(metadata | {"isDuplicate": duplicate})
