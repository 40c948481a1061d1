"""REST 8.8 reads derived from the read model beyond plain searches and gets:

- forms: `GET /v2/forms/{formKey}`, `GET /v2/user-tasks/{userTaskKey}/form` (the task's linked
  form; 204 when it has none), `GET /v2/process-definitions/{key}/form` (the start event's
  linked form, latest version; 204 when none) - `FormResult {formKey, formId, version, schema,
  tenantId}` with the form JSON as text (`zeebe/readmodel/forms.py`);
- `GET /v2/process-instances/{key}/sequence-flows`: `{items: [ProcessInstanceSequenceFlowResult]}`
  (`zeebe/readmodel/sequence_flows.py`);
- element statistics, `{items: [{elementId, active, canceled, incidents, completed}]}`:
  `GET /v2/process-instances/{key}/statistics/element-instances` and
  `POST /v2/process-definitions/{key}/statistics/element-instances` `{filter}` (a process-instance
  filter) (`zeebe/readmodel/statistics.py`);
- `GET /v2/process-instances/{key}/call-hierarchy`: a JSON array of
  `{processInstanceKey, processDefinitionKey, processDefinitionName}`, root first
  (`zeebe/readmodel/hierarchy.py`).

As in Camunda, the sequence-flow and statistics reads of an unknown key answer empty items (their
documented responses have no 404); the gets of forms, tasks, definitions and the call hierarchy
answer 404 for unknown keys. Malformed keys and filters are 400 problems.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import read_model
from zeebe.http.rest.problems import bad_request
from zeebe.http.rest.queries import not_found
from zeebe.readmodel import SearchError
from zeebe.readmodel.forms import latest_form_request, start_form_id
from zeebe.readmodel.hierarchy import call_hierarchy
from zeebe.readmodel.statistics import all_items, definition_statistics, instance_statistics

NO_CONTENT = 204


def _form(form_key: int) -> dict[str, Any]:
    form = read_model().get("forms", form_key)
    if form is None:
        raise not_found("Form", form_key)
    return form


def get_form(key: str) -> Response:
    """GET /v2/forms/{formKey}: a deployed form."""
    return jsonify(_form(parse_key(key, "formKey")))


def user_task_form(key: str) -> Response:
    """GET /v2/user-tasks/{userTaskKey}/form: the form the task links (by its formKey)."""
    parsed = parse_key(key, "userTaskKey")
    task = read_model().get("userTasks", parsed)
    if task is None:
        raise not_found("User task", parsed)
    if task.get("formKey") is None:
        return Response(status=NO_CONTENT)
    return jsonify(_form(int(task["formKey"])))


def start_form(key: str) -> Response:
    """GET /v2/process-definitions/{key}/form: the latest version of the form the start event
    links (`zeebe:formDefinition formId`); 204 when it links none or none is deployed."""
    parsed = parse_key(key, "processDefinitionKey")
    model = read_model()
    definition = model.get("processDefinitions", parsed)
    xml = model.definition_xml(parsed)
    if definition is None or xml is None:
        raise not_found("Process definition", parsed)
    form_id = start_form_id(xml, str(definition["processDefinitionId"]))
    if form_id is None:
        return Response(status=NO_CONTENT)
    request = latest_form_request(form_id, str(definition["tenantId"]))
    forms = model.search("forms", request)["items"]
    return jsonify(forms[0]) if forms else Response(status=NO_CONTENT)


def sequence_flows(key: str) -> Response:
    """GET /v2/process-instances/{key}/sequence-flows: the flows the instance took."""
    parsed = parse_key(key, "processInstanceKey")
    rows = all_items(read_model(), "sequenceFlows", {"processInstanceKey": str(parsed)})
    return jsonify({"items": list(rows)})


def instance_element_statistics(key: str) -> Response:
    """GET /v2/process-instances/{key}/statistics/element-instances."""
    parsed = parse_key(key, "processInstanceKey")
    return jsonify({"items": instance_statistics(read_model(), parsed)})


def definition_element_statistics(key: str) -> Response:
    """POST /v2/process-definitions/{key}/statistics/element-instances `{filter}`."""
    parsed = parse_key(key, "processDefinitionKey")
    body = Body.read(optional=True).data
    try:
        items = definition_statistics(read_model(), parsed, body.get("filter"))
    except SearchError as error:
        raise bad_request(f"Invalid statistics request, {error.field}: {error.message}") from error
    return jsonify({"items": items})


def instance_call_hierarchy(key: str) -> Response:
    """GET /v2/process-instances/{key}/call-hierarchy: ancestors root first, then the instance."""
    parsed = parse_key(key, "processInstanceKey")
    chain = call_hierarchy(read_model(), parsed)
    if chain is None:
        raise not_found("Process instance", parsed)
    return jsonify(chain)


ROUTES: tuple[tuple[str, Any, str], ...] = (
    ("/forms/<key>", get_form, "GET"),
    ("/user-tasks/<key>/form", user_task_form, "GET"),
    ("/process-definitions/<key>/form", start_form, "GET"),
    ("/process-instances/<key>/sequence-flows", sequence_flows, "GET"),
    ("/process-instances/<key>/statistics/element-instances", instance_element_statistics, "GET"),
    (
        "/process-definitions/<key>/statistics/element-instances",
        definition_element_statistics,
        "POST",
    ),
    ("/process-instances/<key>/call-hierarchy", instance_call_hierarchy, "GET"),
)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    for path, view, method in ROUTES:
        blueprint.add_url_rule(path, view_func=view, methods=[method])
