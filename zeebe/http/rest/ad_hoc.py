"""Ad-hoc sub-process REST shapes (Orchestration Cluster API 8.8).

- `POST /v2/element-instances/ad-hoc-activities/{adHocSubProcessInstanceKey}/activation` with
  `{elements: [{elementId, variables}]}`: AD_HOC_SUB_PROCESS_INSTRUCTION ACTIVATE, 204; the
  gateway's checks ("No elements provided.", "No elements[0].elementId provided."), engine
  rejections as 404 / 409 / 400 problems.
- A job completion `result` of type `adHocSubProcess` (JobResultAdHocSubProcess
  `{activateElements: [{elementId, variables}], isCompletionConditionFulfilled,
  isCancelRemainingInstances}`) becomes the JOB record's result shape
  (`completionConditionFulfilled`, `cancelRemainingInstances`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from zeebe.engine.api import Command
from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import execute
from zeebe.http.rest.problems import bad_request
from zeebe.records import ValueType


def _no(name: str) -> str:
    """Zeebe's REST gateway ERROR_MESSAGE_EMPTY_ATTRIBUTE."""
    return f"No {name} provided."


def _element(item: Any, field: str, index: int) -> dict[str, Any]:
    """One `{elementId, variables}` reference, checked."""
    if not isinstance(item, dict):
        raise bad_request(f"The value for {field}[{index}] must be a JSON object")
    element_id = item.get("elementId")
    if not isinstance(element_id, str) or not element_id.strip():
        raise bad_request(_no(f"{field}[{index}].elementId"))
    variables = item.get("variables")
    if variables is None:
        variables = {}
    if not isinstance(variables, dict):
        raise bad_request(f"The value for {field}[{index}].variables must be a JSON object")
    return {"elementId": element_id, "variables": variables}


def _elements(raw: Any, field: str, *, required: bool) -> list[dict[str, Any]]:
    if raw is None or raw == []:
        if required:
            raise bad_request(_no(field))
        return []
    if not isinstance(raw, list):
        raise bad_request(f"The value for {field} must be a list")
    return [_element(item, field, index) for index, item in enumerate(raw)]


def activate_activities(key: str) -> Response:
    """POST .../ad-hoc-activities/{key}/activation: activate elements of the subprocess."""
    instance_key = parse_key(key, "adHocSubProcessInstanceKey")
    body = Body.read()
    value = {
        "adHocSubProcessInstanceKey": str(instance_key),
        "activateElements": _elements(body.data.get("elements"), "elements", required=True),
    }
    execute(Command(ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "ACTIVATE", value))
    return Response(status=204)


def _flag(raw: dict[str, Any], name: str) -> bool:
    value = raw.get(name)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise bad_request(f"The value for result.{name} must be a boolean")
    return value


def job_result(raw: dict[str, Any]) -> dict[str, Any]:
    """The JOB COMPLETE `result` for a REST JobResultAdHocSubProcess."""
    return {
        "type": "AD_HOC_SUB_PROCESS",
        "activateElements": _elements(
            raw.get("activateElements"), "result.activateElements", required=False
        ),
        "completionConditionFulfilled": _flag(raw, "isCompletionConditionFulfilled"),
        "cancelRemainingInstances": _flag(raw, "isCancelRemainingInstances"),
    }


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule(
        "/element-instances/ad-hoc-activities/<key>/activation",
        view_func=activate_activities,
        methods=["POST"],
    )
