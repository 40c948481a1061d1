"""Decision searches and gets (REST 8.8, grammar of spec 8.3), answered from the read model
(`zeebe/readmodel/decisions.py`):

- `POST /v2/decision-definitions/search`, `GET /v2/decision-definitions/{key}` and `/xml` (the
  DMN XML of the decision's DRG);
- `POST /v2/decision-requirements/search`, `GET /v2/decision-requirements/{key}` and `/xml`;
- `POST /v2/decision-instances/search`, `GET /v2/decision-instances/{decisionEvaluationInstanceKey}`
  (the get adds `evaluatedInputs` and `matchedRules`).

Unknown keys are 404 problems, malformed keys and searches 400, as for the other /v2 queries.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from zeebe.http.rest.body import parse_key
from zeebe.http.rest.bridge import read_model
from zeebe.http.rest.problems import ProblemError, bad_request
from zeebe.http.rest.queries import not_found, register_table_routes
from zeebe.readmodel.decisions import instance_row_key

SEARCHES: dict[str, str] = {
    "/decision-definitions/search": "decisionDefinitions",
    "/decision-requirements/search": "decisionRequirements",
    "/decision-instances/search": "decisionInstances",
}
GETS: dict[str, tuple[str, str]] = {
    "/decision-definitions/<key>": ("decisionDefinitions", "Decision definition"),
    "/decision-requirements/<key>": ("decisionRequirements", "Decision requirements"),
}


def _xml_response(drg_key: int, what: str, key: int) -> Response:
    row = read_model().get("decisionRequirementsXml", drg_key)
    if row is None:
        raise not_found(what, key)
    return Response(str(row["xml"]), content_type="text/xml; charset=utf-8")


def decision_requirements_xml(key: str) -> Response:
    """GET /v2/decision-requirements/{key}/xml: the deployed DMN as text/xml."""
    parsed = parse_key(key, "decisionRequirementsKey")
    return _xml_response(parsed, "Decision requirements", parsed)


def decision_definition_xml(key: str) -> Response:
    """GET /v2/decision-definitions/{key}/xml: the DMN of the DRG the decision belongs to."""
    parsed = parse_key(key, "decisionDefinitionKey")
    decision = read_model().get("decisionDefinitions", parsed)
    if decision is None:
        raise not_found("Decision definition", parsed)
    drg_key = int(decision["decisionRequirementsKey"])
    return _xml_response(drg_key, "Decision definition", parsed)


def get_decision_instance(key: str) -> Response:
    """GET /v2/decision-instances/{decisionEvaluationInstanceKey}: the instance with its
    evaluated inputs and matched rules."""
    row_key = instance_row_key(key)
    if row_key is None:
        raise bad_request(
            f"The value for decisionEvaluationInstanceKey is '{key}' but must be "
            "'<decisionEvaluationKey>-<index>'"
        )
    row = read_model().get("decisionInstances", row_key)
    details = read_model().get("decisionInstanceDetails", row_key)
    if row is None or details is None:
        raise ProblemError(404, "NOT_FOUND", f"Decision instance with key '{key}' not found")
    return jsonify(row | details)


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    register_table_routes(blueprint, SEARCHES, GETS)
    blueprint.add_url_rule(
        "/decision-definitions/<key>/xml", view_func=decision_definition_xml, methods=["GET"]
    )
    blueprint.add_url_rule(
        "/decision-requirements/<key>/xml", view_func=decision_requirements_xml, methods=["GET"]
    )
    blueprint.add_url_rule(
        "/decision-instances/<key>", view_func=get_decision_instance, methods=["GET"]
    )
