"""DEPLOYMENT CREATE: parse and validate resources, version processes (Appendix B), open
start-event subscriptions and timers of new versions (spec 5.5, 9.1).

Record order as Zeebe 8.7's DeploymentCreateProcessor: the deployment key first, then keys and
versions per resource in request order; once all validated, the CREATED records of the new
versions in resource order (PROCESS; DECISION_REQUIREMENTS then its DECISIONs; FORM), then the
start events of new processes, then DEPLOYMENT CREATED: the metadata without the resources.
When any resource changed, duplicates are versioned again with it (`deployment_records.py`).
"""

from __future__ import annotations

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
    plan_definition,
)
from zeebe.engine.processors.deployment_records import (
    Planned,
    deployment_value,
    resource_records,
    response_deployments,
)
from zeebe.engine.processors.start_events import invalid_start_events, replace_start_events
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


def _plan(ctx: Context, item: Item, common: dict[str, Any]) -> Planned:
    if isinstance(item, DefinitionResource):
        return plan_definition(ctx, item, common)
    return _plan_process(ctx, item, common)


def deploy(ctx: Context, command: Record) -> None:
    """Validate all resources, then write the CREATED record of every new version, open start
    events, and write DEPLOYMENT CREATED (which carries all metadata, no resources)."""
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
    common = {"tenantId": tenant_id, "deploymentKey": deployment_key}
    planned = [_plan(ctx, item, common) for item in items]
    for pending in resource_records(ctx, planned, deployment_key):
        ctx.event(pending.key, pending.value_type, "CREATED", pending.value)
    for item in planned:
        if item.value_type is ValueType.PROCESS and not item.duplicate:
            new = ctx.state.processes[item.metadata["processDefinitionKey"]]
            replace_start_events(ctx, new, item.previous)
    record = deployment_value(planned, tenant_id, deployment_key)
    ctx.event(deployment_key, ValueType.DEPLOYMENT, "CREATED", record)
    deployments = response_deployments(planned)
    ctx.respond({"key": deployment_key, "deployments": deployments, "tenantId": tenant_id})


def _plan_process(ctx: Context, candidate: Candidate, common: dict[str, Any]) -> Planned:
    """Appendix B: same checksum and resource name as the latest version -> duplicate, which
    keeps that version's key, version and deploymentKey (Zeebe BpmnResourceTransformer); a new
    version is the highest ever deployed + 1, deleted versions included. The checksum compared
    is the last created version's digest, which deleting the latest version drops."""
    latest = ctx.state.latest(candidate.process.id)
    digest = ctx.state.definitions.process_digest.get(candidate.process.id)
    duplicate = (
        latest is not None
        and digest == candidate.digest
        and latest.resource_name == candidate.resource_name
    )
    if latest is not None and duplicate:
        key, version, deployment_key = latest.key, latest.version, latest.deployment_key
    else:
        version = ctx.state.definitions.next_process_version(candidate.process.id)
        key, deployment_key = ctx.next_key(), common["deploymentKey"]
    metadata = {
        "bpmnProcessId": candidate.process.id,
        "version": version,
        "versionTag": candidate.process.version_tag or "",
        "processDefinitionKey": key,
        "resourceName": candidate.resource_name,
        "checksum": candidate.digest,
        "duplicate": duplicate,
        "tenantId": common["tenantId"],
        "deploymentKey": deployment_key,
    }
    return Planned(ValueType.PROCESS, candidate.resource, metadata, previous=latest)
