"""RFC 9457 problem details: the only error shape our services return."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PROBLEM_BASE = "https://checkout-saga.example/problems/"
PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Problem:
    """A problem+json document without its `instance` (the request path adds it)."""

    status: int
    code: str
    title: str
    detail: str
    slug: str
    extensions: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self, instance: str) -> dict[str, Any]:
        """Render the RFC 9457 body for the request at `instance`."""
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "code": self.code,
        }
        body.update(self.extensions)
        return body


class ProblemError(Exception):
    """Raised by service code to answer with a problem; carries the Problem value."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


class BusinessError(ProblemError):
    """A business outcome (422 with a machine code) that workers map to a BPMN error."""

    def __init__(self, code: str, detail: str, **extensions: Any) -> None:
        slug = code.lower().replace("_", "-")
        title = code.replace("_", " ").capitalize()
        super().__init__(Problem(422, code, title, detail, slug, extensions))
        self.code = code


def validation_problem(field_name: str, detail: str) -> Problem:
    """400 naming the offending field."""
    return Problem(
        400, "VALIDATION_FAILED", "Validation failed", detail, "validation", {"field": field_name}
    )


def not_found_problem(detail: str) -> Problem:
    """404 for an unknown resource or route."""
    return Problem(404, "NOT_FOUND", "Not found", detail, "not-found")


def compensated_problem(key: str) -> Problem:
    """409: the key was compensated or tombstoned, a late forward call is refused."""
    return Problem(
        409,
        "COMPENSATED",
        "Operation already compensated",
        f"late forward call after compensation is refused for key {key!r}",
        "compensated",
        {"key": key},
    )


def key_reused_problem(key: str) -> Problem:
    """422: the same idempotency key was sent with a different body."""
    return Problem(
        422,
        "IDEMPOTENCY_KEY_REUSED",
        "Idempotency key reused",
        f"idempotency key {key!r} was already used with a different request body",
        "idempotency-key-reused",
        {"key": key},
    )


def http_problem(status: int, title: str, detail: str) -> Problem:
    """Problem for framework-level HTTP errors (unknown route, wrong method, ...)."""
    codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 503: "UNAVAILABLE"}
    code = codes.get(status, "VALIDATION_FAILED" if status == 400 else f"HTTP_{status}")
    return Problem(status, code, title, detail, code.lower().replace("_", "-"))
