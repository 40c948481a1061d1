"""`POST /v2/process-instances/{key}/modification` (8.6+): activate and terminate instructions,
the REST face of ModifyProcessInstance (same PROCESS_INSTANCE_MODIFICATION command, same
rejections). Request shape from the 8.7/8.8 REST reference: `activateInstructions[{elementId*,
ancestorElementInstanceKey (default -1), variableInstructions[{variables*, scopeId}]}]`,
`terminateInstructions[{elementInstanceKey*}]`, `operationReference`; 204 on success."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from zeebe.engine.api import Command
from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import execute
from zeebe.http.rest.problems import bad_request
from zeebe.records import ValueType


def _objects(body: Body, name: str) -> list[dict[str, Any]]:
    raw = body.data.get(name)
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise bad_request(f"The value for {name} must be a list of objects")
    return raw


def _variable_instructions(item: dict[str, Any], where: str) -> list[dict[str, Any]]:
    raw = item.get("variableInstructions") or []
    if not isinstance(raw, list):
        raise bad_request(f"The value for {where}.variableInstructions must be a list")
    instructions = []
    for index, entry in enumerate(raw):
        at = f"{where}.variableInstructions[{index}]"
        variables = entry.get("variables") if isinstance(entry, dict) else None
        if not isinstance(variables, dict):
            raise bad_request(f"The value for {at}.variables must be a JSON object")
        scope_id = entry.get("scopeId") or ""
        if not isinstance(scope_id, str):
            raise bad_request(f"The value for {at}.scopeId must be a string")
        instructions.append({"variables": variables, "scopeId": scope_id})
    return instructions


def _activate(body: Body) -> list[dict[str, Any]]:
    instructions = []
    for index, item in enumerate(_objects(body, "activateInstructions")):
        where = f"activateInstructions[{index}]"
        element_id = item.get("elementId")
        if not isinstance(element_id, str) or not element_id:
            raise bad_request(f"No {where}.elementId provided")
        ancestor = item.get("ancestorElementInstanceKey")
        instructions.append(
            {
                "elementId": element_id,
                "ancestorElementInstanceKey": (
                    -1
                    if ancestor is None
                    else parse_key(ancestor, f"{where}.ancestorElementInstanceKey")
                ),
                "variableInstructions": _variable_instructions(item, where),
            }
        )
    return instructions


def _terminate(body: Body) -> list[dict[str, int]]:
    instructions = []
    for index, item in enumerate(_objects(body, "terminateInstructions")):
        key = item.get("elementInstanceKey")
        name = f"terminateInstructions[{index}].elementInstanceKey"
        if key is None:
            raise bad_request(f"No {name} provided")
        instructions.append({"elementInstanceKey": parse_key(key, name)})
    return instructions


def _missing(body: Body) -> list[str]:
    """ProcessInstanceRequestValidator.validateModifyProcessInstanceRequest: one violation per
    kind of missing attribute, in its order."""
    activate = _objects(body, "activateInstructions")
    terminate = _objects(body, "terminateInstructions")
    variables = [
        entry
        for item in activate
        if isinstance(item.get("variableInstructions"), list)
        for entry in item["variableInstructions"]
    ]
    checks = (
        ("elementId", any(not item.get("elementId") for item in activate)),
        ("variables", any(not (isinstance(v, dict) and v.get("variables")) for v in variables)),
        ("elementInstanceKey", any(item.get("elementInstanceKey") is None for item in terminate)),
    )
    return [f"No {name} provided" for name, missing in checks if missing]


def modify_instance(key: str) -> Response:
    """Apply every instruction atomically; a rejected instruction rejects the whole command."""
    body = Body.read()
    instance_key = parse_key(key, "processInstanceKey")
    violations = _missing(body)
    if violations:
        raise bad_request(". ".join(violations))
    body.operation_reference()
    value = {"activateInstructions": _activate(body), "terminateInstructions": _terminate(body)}
    execute(Command(ValueType.PROCESS_INSTANCE_MODIFICATION, "MODIFY", value, key=instance_key))
    return Response(status=204)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule(
        "/process-instances/<key>/modification", view_func=modify_instance, methods=["POST"]
    )
