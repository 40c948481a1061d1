"""HTTP entrypoints of a service object that runs its own idempotent forward/compensation.

Order (MongoDB, the outbox inside the document) and payment (a PSP call between two
transactions) keep their operation logic in a service class instead of `routes.register_operation`'s
unit of work; this module gives them the same three routes from the service's methods.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request

from services.common.idempotency import OperationResult
from services.common.outbox import trace_headers
from services.common.validation import require_idempotency_key
from services.common.web import app_extension

S = TypeVar("S")
Forward = Callable[[S, str, Any, Mapping[str, str]], OperationResult]
Compensate = Callable[[S, str, Mapping[str, str]], OperationResult]
Read = Callable[[S, str], Mapping[str, Any]]


def register_keyed_operation(
    blueprint: Blueprint,
    *,
    path: str,
    extension: str,
    forward: Forward[S],
    compensate: Compensate[S],
    read: Read[S],
) -> None:
    """Add `POST <path>` (key from `Idempotency-Key`), `POST <path>/<key>/compensation` and
    `GET <path>/<key>`, calling the service stored in `app.extensions[extension]`."""

    def forward_view() -> Response:
        key = require_idempotency_key(request.headers.get("Idempotency-Key"))
        headers = trace_headers(dict(request.headers))
        result = forward(app_extension(extension), key, request.get_json(silent=True), headers)
        return json_response(result.body, result.status)

    def compensation_view(key: str) -> Response:
        require_idempotency_key(key)
        result = compensate(app_extension(extension), key, trace_headers(dict(request.headers)))
        return json_response(result.body, result.status)

    def read_view(key: str) -> Response:
        return json_response(read(app_extension(extension), key))

    name = path.strip("/").replace("/", "_")
    blueprint.add_url_rule(path, f"{name}_forward", forward_view, methods=["POST"])
    blueprint.add_url_rule(
        f"{path}/<key>/compensation", f"{name}_compensation", compensation_view, methods=["POST"]
    )
    blueprint.add_url_rule(f"{path}/<key>", f"{name}_read", read_view, methods=["GET"])


def json_response(body: Mapping[str, Any], status: int = 200) -> Response:
    """`body` as a JSON response with `status`."""
    response = jsonify(dict(body))
    response.status_code = status
    return response
