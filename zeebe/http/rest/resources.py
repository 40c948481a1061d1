"""`POST /v2/resources/{resourceKey}/deletion` (8.6+): delete a deployed process, decision
requirements graph or form, the REST face of DeleteResource (same RESOURCE_DELETION command and
rejections). The body is optional (`operationReference`). 8.6-8.8 answer 200; the body carries
`resourceKey` (the 8.9 response shape, harmless to older clients) and no batch operation, since
history deletion (`deleteHistory`, 8.9) is not part of the 8.8 surface this engine follows."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from zeebe.engine.api import Command
from zeebe.http.rest.body import Body, parse_key
from zeebe.http.rest.bridge import execute
from zeebe.records import ValueType


def delete_resource(key: str) -> Response:
    """Delete the resource; unknown keys are 404 (the engine's NOT_FOUND rejection)."""
    body = Body.read(optional=True)
    resource_key = parse_key(key, "resourceKey")
    body.operation_reference()
    execute(Command(ValueType.RESOURCE_DELETION, "DELETE", {"resourceKey": resource_key}))
    return jsonify({"resourceKey": str(resource_key), "batchOperation": None})


def register(blueprint: Blueprint) -> None:
    """Add the routes of this module."""
    blueprint.add_url_rule("/resources/<key>/deletion", view_func=delete_resource, methods=["POST"])
