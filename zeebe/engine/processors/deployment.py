"""DEPLOYMENT CREATE: parse and validate resources, version processes (Appendix B), open
start-event subscriptions and timers of new versions (spec 5.5, 9.1)."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from zeebe.engine.context import Context
from zeebe.engine.deploy import checksum, parse_cached
from zeebe.engine.processors.deployment_definitions import (
    DMN_SUFFIX,
    FORM_SUFFIX,
    DefinitionResource,
    duplicated_ids,
    parse_definition,
    version_definitions,
)
from zeebe.engine.processors.start_events import replace_start_events
from zeebe.model.elements import ParsedResource, Process
from zeebe.model.errors import (
    DEPLOYMENT_ERROR_PREFIX,
    BpmnValidationError,
    deployment_rejection_reason,
)
from zeebe.records import DEFAULT_TENANT, Record, RejectionType, ValueType

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
        return parse_cached(ctx.state, data, name, checksum(data))
    except BpmnValidationError as error:
        return error.detail


Parsed = tuple[list[Candidate], list[DefinitionResource]]


def _candidates(ctx: Context, resources: list[dict[str, Any]]) -> Parsed | str:
    errors: list[str] = []
    found: list[Candidate] = []
    definitions: list[DefinitionResource] = []
    for resource in resources:
        name = str(resource.get("resourceName", ""))
        data = resource.get("resource", b"")
        data = data.encode() if isinstance(data, str) else bytes(data)
        parsed = _parse(ctx, name, data)
        if isinstance(parsed, str):
            errors.append(parsed)
        elif isinstance(parsed, DefinitionResource):
            definitions.append(parsed)
        else:
            found.extend(Candidate(name, data, checksum(data), p) for p in parsed.processes)
    if errors:
        return deployment_rejection_reason(errors)
    duplicated = _duplicated_process(found) or duplicated_ids(definitions)
    return duplicated if duplicated is not None else (found, definitions)


def _duplicated_process(found: list[Candidate]) -> str | None:
    by_id: dict[str, list[str]] = {}
    for candidate in found:
        by_id.setdefault(candidate.process.id, []).append(candidate.resource_name)
    for names in by_id.values():
        if len(names) > 1:
            duplicated = f"Duplicated process id in resources '{names[0]}' and '{names[1]}'"
            return f"{DEPLOYMENT_ERROR_PREFIX}\n{duplicated}"
    return None


def deploy(ctx: Context, command: Record) -> None:
    """Validate all resources, then write PROCESS CREATED per new version and DEPLOYMENT CREATED
    (which also carries the DRG, decision and form metadata)."""
    value = command.value
    resources = list(value.get("resources") or [])
    tenant_id = str(value.get("tenantId") or DEFAULT_TENANT)
    if not resources:
        reason = "Expected to deploy at least one resource, but none given"
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, reason)
        return
    parsed = _candidates(ctx, resources)
    if isinstance(parsed, str):
        ctx.reject(command, RejectionType.INVALID_ARGUMENT, parsed)
        return
    candidates, definitions = parsed
    deployment_key = ctx.next_key()
    metadata = [_version(ctx, c, tenant_id, deployment_key) for c in candidates]
    extra = version_definitions(ctx, definitions, tenant_id, deployment_key)
    deployed = [(c.resource_name, c.resource) for c in candidates]
    deployed += [(d.resource_name, d.resource) for d in definitions]
    ctx.event(
        deployment_key,
        ValueType.DEPLOYMENT,
        "CREATED",
        {
            "resources": [{"resourceName": n, "resource": _b64(r)} for n, r in deployed],
            "processesMetadata": metadata,
            "decisionsMetadata": extra.decisions,
            "decisionRequirementsMetadata": extra.drgs,
            "formMetadata": extra.forms,
            "tenantId": tenant_id,
            "deploymentKey": deployment_key,
        },
    )
    deployments = [_process_entry(m, tenant_id) for m in metadata] + extra.deployments
    ctx.respond({"key": deployment_key, "deployments": deployments, "tenantId": tenant_id})


def _process_entry(metadata: dict[str, Any], tenant_id: str) -> dict[str, Any]:
    """A bare ProcessMetadata dict (the gateway wraps it as the `process` oneof)."""
    keys = ("bpmnProcessId", "version", "processDefinitionKey", "resourceName")
    return {k: metadata[k] for k in keys} | {"tenantId": tenant_id}


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _version(
    ctx: Context, candidate: Candidate, tenant_id: str, deployment_key: int
) -> dict[str, Any]:
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
        ctx.event(
            key, ValueType.PROCESS, "CREATED", record_value | {"resource": _b64(candidate.resource)}
        )
        replace_start_events(ctx, ctx.state.processes[key], latest)
    return {k: v for k, v in record_value.items() if k != "duplicate"} | {"isDuplicate": duplicate}
