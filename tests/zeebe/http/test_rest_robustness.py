"""Bad input never produces a 500: garbage is a 4xx problem (or ignored when irrelevant)."""

from __future__ import annotations

from typing import Any

import pytest
from rest_support import Rest

pytestmark = pytest.mark.e2e

ENDPOINTS = [
    ("POST", "/process-instances"),
    ("POST", "/process-instances/1/cancellation"),
    ("POST", "/process-instances/search"),
    ("POST", "/process-instances/1/incidents/search"),
    ("POST", "/messages/publication"),
    ("POST", "/messages/correlation"),
    ("POST", "/signals/broadcast"),
    ("POST", "/jobs/activation"),
    ("POST", "/jobs/1/completion"),
    ("POST", "/jobs/1/failure"),
    ("POST", "/jobs/1/error"),
    ("PATCH", "/jobs/1"),
    ("POST", "/jobs/search"),
    ("POST", "/incidents/1/resolution"),
    ("POST", "/incidents/search"),
    ("POST", "/process-definitions/search"),
    ("POST", "/element-instances/search"),
    ("POST", "/variables/search"),
    ("PUT", "/element-instances/1/variables"),
]
GARBAGE: list[Any] = [
    [],
    "text",
    7,
    {"variables": "x", "filter": [], "sort": {}, "page": "p", "changeset": 1},
    {"name": 1, "type": [], "timeout": "1", "retries": "x", "errorCode": {}, "signalName": 3},
    {"processDefinitionKey": True, "requestTimeout": "x", "awaitCompletion": "yes"},
    {"filter": {"processInstanceKey": {"$in": "x"}}, "page": {"after": 5}},
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_garbage_bodies_are_never_server_errors(rest: Rest, method: str, path: str) -> None:
    """Non-object bodies are 400; wrong field types are 4xx problem+json; fields an endpoint
    does not know are ignored. Nothing is a 5xx."""
    for body in GARBAGE:
        response = rest.session.request(method, rest.base + path, json=body, timeout=10)
        assert response.status_code < 500, (body, response.status_code, response.text)
        if not isinstance(body, dict):
            assert response.status_code == 400, (body, response.text)
        if response.status_code >= 400:
            assert response.headers["content-type"] == "application/problem+json"
