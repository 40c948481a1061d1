"""Process instance commands: create (optionally awaiting the result), cancel, migrate, set
variables."""

from __future__ import annotations

import asyncio
from typing import Any

from flask import Blueprint, Response, jsonify

from zeebe.engine.api import Command, CommandResult
from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import REQUEST_TIMEOUT_S, execute, on_loop
from zeebe.http.rest.problems import ProblemError, bad_request, rejection_problem
from zeebe.records import ValueType
from zeebe.runtime.broker import Broker

Outcome = tuple[CommandResult, dict[str, Any] | None]


def _start_instructions(body: Body) -> list[dict[str, str]]:
    raw = body.data.get("startInstructions") or []
    if not isinstance(raw, list):
        raise bad_request("The value for startInstructions must be a list")
    instructions = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("elementId"), str):
            raise bad_request(f"startInstructions[{index}].elementId must be a string")
        instructions.append({"elementId": item["elementId"]})
    return instructions


def _creation_value(body: Body) -> dict[str, Any]:
    """PROCESS_INSTANCE_CREATION value: by key, or by id with version (-1 = latest)."""
    definition_key = body.key("processDefinitionKey")
    process_id = body.string("processDefinitionId")
    # ProcessInstanceRequestValidator: exactly one of the two (the 8.8 schema is a oneOf)
    if definition_key is None and not process_id:
        raise bad_request("At least one of [processDefinitionId, processDefinitionKey] is required")
    if definition_key is not None and process_id:
        raise bad_request("Only one of [processDefinitionId, processDefinitionKey] is allowed")
    body.operation_reference()
    return {
        "bpmnProcessId": process_id if definition_key is None else "",
        "version": body.integer("processDefinitionVersion", default=-1),
        "processDefinitionKey": definition_key if definition_key is not None else -1,
        "variables": body.document("variables"),
        "startInstructions": _start_instructions(body),
        "tenantId": body.tenant("Create Process Instance"),
    }


def _await_result(command: Command, timeout_s: float) -> Outcome:
    """CREATE_WITH_AWAITING_RESULT, then wait for the instance result on the loop."""

    async def run(target: Broker) -> Outcome:
        created, result = await target.create_awaiting_result(command)
        if created.rejection is not None or created.response is None:
            return created, None
        try:
            outcome = await asyncio.wait_for(asyncio.shield(result), timeout_s)
        except TimeoutError:
            target.forget_result(int(created.response["processInstanceKey"]))
            raise ProblemError(
                504,
                "DEADLINE_EXCEEDED",
                f"Expected to receive the result of process instance "
                f"'{created.response['processInstanceKey']}' within {int(timeout_s * 1000)} ms, "
                "but timed out. The process instance will continue to run in the background.",
            ) from None
        return created, outcome

    created, outcome = on_loop(run, timeout_s + REQUEST_TIMEOUT_S)
    if created.rejection is not None:
        raise rejection_problem(created.rejection)
    return created, outcome


def create_instance() -> Response:
    """POST /v2/process-instances (spec 8.2)."""
    body = Body.read()
    value = _creation_value(body)
    if body.boolean("awaitCompletion"):
        value["fetchVariables"] = body.strings("fetchVariables")
        timeout_ms = body.integer("requestTimeout") or int(REQUEST_TIMEOUT_S * 1000)
        command = Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT", value)
        created, outcome = _await_result(command, timeout_ms / 1000)
        variables = (outcome or {}).get("variables") or {}
    else:
        created = execute(Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value))
        variables = {}
    response = created.response or {}
    return jsonify(
        {
            "processDefinitionId": response.get("bpmnProcessId"),
            "processDefinitionVersion": response.get("version"),
            "tenantId": response.get("tenantId"),
            "variables": variables,
            "processDefinitionKey": str(response.get("processDefinitionKey")),
            "processInstanceKey": str(response.get("processInstanceKey")),
            "tags": [],
        }
    )


def cancel_instance(key: str) -> Response:
    """POST /v2/process-instances/{key}/cancellation -> 204."""
    Body.read(optional=True).operation_reference()
    instance_key = parse_key(key, "processInstanceKey")
    execute(Command(ValueType.PROCESS_INSTANCE, "CANCEL", {}, key=instance_key))
    return Response(status=204)


def _mapping_instructions(body: Body) -> list[dict[str, str]]:
    raw = body.data.get("mappingInstructions")
    if not isinstance(raw, list) or not raw:
        raise bad_request("No mappingInstructions provided")
    instructions = []
    for item in raw:
        source = item.get("sourceElementId") if isinstance(item, dict) else None
        target = item.get("targetElementId") if isinstance(item, dict) else None
        # ProcessInstanceRequestValidator: ERROR_MESSAGE_ALL_REQUIRED_FIELD
        if not (isinstance(source, str) and source and isinstance(target, str) and target):
            raise bad_request("All [sourceElementId, targetElementId] are required")
        instructions.append({"sourceElementId": source, "targetElementId": target})
    return instructions


def migrate_instance(key: str) -> Response:
    """POST /v2/process-instances/{key}/migration -> 204 (rejections as problems)."""
    body = Body.read()
    instance_key = parse_key(key, "processInstanceKey")
    target_key = body.key("targetProcessDefinitionKey", required=True)
    instructions = _mapping_instructions(body)
    body.operation_reference()
    value = {
        "processInstanceKey": instance_key,
        "targetProcessDefinitionKey": target_key,
        "mappingInstructions": instructions,
    }
    execute(Command(ValueType.PROCESS_INSTANCE_MIGRATION, "MIGRATE", value, key=instance_key))
    return Response(status=204)


def set_variables(key: str) -> Response:
    """PUT /v2/element-instances/{key}/variables: merge into the scope (local or propagated)."""
    body = Body.read()
    variables = body.document("variables")
    if not variables:
        # ElementRequestValidator: a missing and an empty document are both refused
        raise bad_request("No variables provided")
    body.operation_reference()
    value = {
        "scopeKey": parse_key(key, "elementInstanceKey"),
        "variables": variables,
        "updateSemantics": "LOCAL" if body.boolean("local") else "PROPAGATE",
    }
    execute(Command(ValueType.VARIABLE_DOCUMENT, "UPDATE", value))
    return Response(status=204)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/process-instances", view_func=create_instance, methods=["POST"])
    blueprint.add_url_rule(
        "/process-instances/<key>/cancellation", view_func=cancel_instance, methods=["POST"]
    )
    blueprint.add_url_rule(
        "/process-instances/<key>/migration", view_func=migrate_instance, methods=["POST"]
    )
    blueprint.add_url_rule(
        "/element-instances/<key>/variables", view_func=set_variables, methods=["PUT"]
    )
