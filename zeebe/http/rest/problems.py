"""RFC 9457 problem details for the REST API (spec 8.1): every error is one of these."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, json, request
from werkzeug.exceptions import HTTPException

from zeebe.engine.api import Rejection
from zeebe.gateway.errors import GatewayError
from zeebe.records import RejectionType

PROBLEM_JSON = "application/problem+json"

# Spec 8.1: INVALID_ARGUMENT 400, NOT_FOUND 404, invalid state 409; duplicates are conflicts too.
REJECTION_STATUS: dict[RejectionType, int] = {
    RejectionType.INVALID_ARGUMENT: 400,
    RejectionType.NOT_FOUND: 404,
    RejectionType.ALREADY_EXISTS: 409,
    RejectionType.INVALID_STATE: 409,
    RejectionType.UNAUTHORIZED: 401,
    RejectionType.FORBIDDEN: 403,
    RejectionType.EXCEEDED_BATCH_RECORD_SIZE: 400,
}
# gRPC status names (from request validation shared with the gateway) as HTTP statuses.
GRPC_STATUS: dict[str, int] = {
    "INVALID_ARGUMENT": 400,
    "NOT_FOUND": 404,
    "FAILED_PRECONDITION": 409,
    "ALREADY_EXISTS": 409,
    "PERMISSION_DENIED": 403,
    "UNAVAILABLE": 503,
    "DEADLINE_EXCEEDED": 504,
}


class ProblemError(Exception):
    """Ends a request with a problem+json response."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail


def bad_request(detail: str) -> ProblemError:
    """A 400 for malformed input (the detail names the field). Camunda's RequestValidator joins
    its violations with ". " and ends the detail with a period, so every detail here does too."""
    return ProblemError(400, "INVALID_ARGUMENT", detail if detail.endswith(".") else detail + ".")


def unreadable_body(detail: str) -> ProblemError:
    """A 400 for a body Spring cannot read (missing, not JSON): title "Bad Request" and
    Spring's own detail ("Required request body is missing", "Failed to read request")."""
    return ProblemError(400, "Bad Request", detail)


def rejection_problem(rejection: Rejection) -> ProblemError:
    """An engine rejection with the status the REST gateway maps it to."""
    status = REJECTION_STATUS.get(rejection.type, 500)
    return ProblemError(status, rejection.type.value, rejection.message())


def gateway_problem(error: GatewayError) -> ProblemError:
    """A validation failure shared with the gRPC gateway (tenants, job requests, documents)."""
    name = str(getattr(error.code, "name", "INVALID_ARGUMENT"))
    return ProblemError(GRPC_STATUS.get(name, 500), name, error.message)


def problem_response(status: int, title: str, detail: str) -> Response:
    """The RFC 9457 body `{type, title, status, detail, instance}`."""
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    return Response(json.dumps(body), status=status, content_type=PROBLEM_JSON)


def handle_problem(error: ProblemError) -> Response:
    """Flask error handler for ProblemError."""
    return problem_response(error.status, error.title, error.detail)


SPRING_DETAILS: dict[int, Callable[[], str]] = {
    404: lambda: f"No static resource {request.path.lstrip('/')}.",
    405: lambda: f"Method '{request.method}' is not supported.",
}


def handle_http_error(error: HTTPException) -> Response | HTTPException:
    """Unknown routes and wrong methods under /v2 answer problem+json; elsewhere unchanged."""
    if not request.path.startswith("/v2"):
        return error
    status = error.code or 500
    # Spring's own problems carry the reason phrase as title ("Not Found") and its detail texts
    title = error.name or "Error"
    detail = SPRING_DETAILS.get(status, lambda: error.description or title)()
    response = problem_response(status, title, detail)
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response
