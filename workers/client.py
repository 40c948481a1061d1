"""``ServiceClient``: one saga service's forward and compensation endpoints over HTTP.

Follows services/CONTRACT.md: forward ``POST /v1/<operation>`` with ``Idempotency-Key``,
compensation ``POST /v1/<operation>/<key>/compensation``, problem+json errors. The transport is
injected (``workers.transport.OriginTransport`` in production, a fake in unit tests); retries use
tenacity with exponential back-off and jitter, and every attempt goes through the service's
circuit breaker. Every attempt is a CLIENT span (child of the job's span) whose context is the
``traceparent`` header the service continues from.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import pybreaker
from opentelemetry.trace import SpanKind, Status, StatusCode
from tenacity import (
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from services.kit import tracing
from workers.breaker import ConcurrentCircuitBreaker
from workers.contract import COMPENSATED
from workers.failures import (
    PermanentServiceError,
    ServiceRefusedError,
    ServiceUnavailableError,
    TransientServiceError,
)
from workers.transport import TransportError

__all__ = [
    "HttpResponse",
    "RetryPolicy",
    "ServiceClient",
    "Transport",
    "classify_response",
    "create_breaker",
]

JsonObject = dict[str, Any]


class HttpResponse(Protocol):
    """The part of an HTTP answer the client reads (``workers.transport.Reply``)."""

    @property
    def status_code(self) -> int:
        """The HTTP status."""

    def json(self) -> Any:
        """The decoded JSON body."""


class Transport(Protocol):
    """Sends one request; raises ``workers.transport.TransportError`` when no answer came."""

    def post(
        self, url: str, *, json: Any, headers: Mapping[str, str], timeout: float
    ) -> HttpResponse:
        """Send a POST request."""


@dataclass(frozen=True)
class RetryPolicy:
    """In-job retries of transient faults: exponential back-off with jitter."""

    attempts: int = 3
    initial_s: float = 0.2
    max_s: float = 2.0
    jitter_s: float = 0.2


def _problem(response: HttpResponse) -> JsonObject:
    """The problem+json body, or an empty dict when the body is not a JSON object."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _classify_unprocessable(response: HttpResponse) -> JsonObject:
    """422: a business code, except key reuse, which means the worker sent a different body."""
    problem = _problem(response)
    code = str(problem.get("code") or "")
    if not code or code == "IDEMPOTENCY_KEY_REUSED":
        raise PermanentServiceError(f"422 {code or 'without code'}: {problem.get('detail', '')}")
    raise ServiceRefusedError(code, str(problem.get("detail", "")))


def _classify_conflict(response: HttpResponse) -> JsonObject:
    """409: the forward key was compensated or tombstoned, so the late call is refused."""
    raise ServiceRefusedError(COMPENSATED, str(_problem(response).get("detail", "")))


_BY_STATUS: dict[int, Callable[[HttpResponse], JsonObject]] = {
    409: _classify_conflict,
    422: _classify_unprocessable,
}


def classify_response(response: HttpResponse) -> JsonObject:
    """Return the JSON body of a 2xx answer or raise the failure the status code stands for."""
    status = response.status_code
    if 200 <= status < 300:
        body = _problem(response)
        return body
    if status in _BY_STATUS:
        return _BY_STATUS[status](response)
    if status == 429 or status >= 500:
        raise TransientServiceError(f"HTTP {status}")
    raise PermanentServiceError(f"HTTP {status}: {_problem(response).get('detail', '')}")


def create_breaker(
    service: str,
    *,
    fail_max: int = 5,
    reset_timeout_s: float = 30.0,
    listeners: tuple[pybreaker.CircuitBreakerListener, ...] = (),
) -> pybreaker.CircuitBreaker:
    """A breaker that counts only technical faults: a declined payment says nothing about health.
    Concurrent calls pass while it is closed (`workers.breaker`)."""
    return ConcurrentCircuitBreaker(
        fail_max=fail_max,
        reset_timeout=reset_timeout_s,
        exclude=[ServiceRefusedError, PermanentServiceError],
        listeners=list(listeners),
        name=service,
    )


class ServiceClient:
    """Calls one service; idempotency keys make every retry safe to repeat."""

    def __init__(
        self,
        *,
        service: str,
        base_url: str,
        transport: Transport,
        breaker: pybreaker.CircuitBreaker,
        timeout_s: float = 5.0,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.service = service
        self._base_url = base_url.rstrip("/")
        self._transport = transport
        self._breaker = breaker
        self._timeout_s = timeout_s
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def forward(self, operation: str, key: str, body: Mapping[str, Any]) -> JsonObject:
        """``POST /v1/<operation>`` with ``Idempotency-Key: key``; the 2xx JSON body."""
        request = _Request(
            url=f"{self._base_url}/v1/{operation}",
            route=f"/v1/{operation}",
            headers={"Idempotency-Key": key},
        )
        return self._call(request, dict(body))

    def compensate(self, operation: str, key: str, reason: str | None = None) -> JsonObject:
        """``POST /v1/<operation>/<key>/compensation``; succeeds for a never-done forward too."""
        request = _Request(
            url=f"{self._base_url}/v1/{operation}/{key}/compensation",
            route=f"/v1/{operation}/<key>/compensation",
            headers={},
        )
        return self._call(request, {"reason": reason} if reason else {})

    def _call(self, request: _Request, body: JsonObject) -> JsonObject:
        """Retry transient faults; a tripped or open breaker ends the attempts at once."""
        retrying = Retrying(
            stop=stop_after_attempt(self._retry.attempts),
            wait=wait_exponential_jitter(
                multiplier=self._retry.initial_s,
                max=self._retry.max_s,
                jitter=self._retry.jitter_s,
            ),
            retry=retry_if_exception_type(TransientServiceError),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._breaker.call, self._attempt, request, body)
        except pybreaker.CircuitBreakerError as error:
            raise ServiceUnavailableError(self.service) from error

    def _attempt(self, request: _Request, body: JsonObject) -> JsonObject:
        """One HTTP attempt in its CLIENT span; network errors are transient."""
        attributes = {
            "http.request.method": "POST",
            "url.full": request.url,
            "http.route": request.route,
            "peer.service": self.service,
        }
        with tracing.start_span(
            f"POST {request.route}", kind=SpanKind.CLIENT, attributes=attributes
        ) as span:
            headers = {**request.headers, **tracing.inject()}
            try:
                response = self._transport.post(
                    request.url, json=body, headers=headers, timeout=self._timeout_s
                )
            except TransportError as error:
                raise TransientServiceError(f"{type(error).__name__}: {error}") from error
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 400:
                span.set_status(Status(StatusCode.ERROR, f"HTTP {response.status_code}"))
            return classify_response(response)


@dataclass(frozen=True)
class _Request:
    """One service call: where it goes, its route template (the span name) and its headers."""

    url: str
    route: str
    headers: Mapping[str, str]
