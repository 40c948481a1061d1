"""How a service call can fail, as seen by a worker.

Three families, because each one crosses the worker boundary differently (CONVENTIONS habit 6):
business outcomes become BPMN errors, transient faults are retried (then fail the job), and
permanent faults (our own bad request) fail the job at once so an operator sees an incident.
"""

from __future__ import annotations

__all__ = [
    "MalformedJobError",
    "PermanentServiceError",
    "ServiceRefusedError",
    "ServiceUnavailableError",
    "TransientServiceError",
]


class ServiceRefusedError(Exception):
    """The service refused the step for a business reason (422 with ``code``, or 409)."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


class TransientServiceError(Exception):
    """A fault that may pass: 5xx, 429, timeout, connection refused. Retried with back-off."""


class PermanentServiceError(Exception):
    """A request the service will never accept as sent (400, 404, key reuse): a bug to look at."""


class ServiceUnavailableError(Exception):
    """The circuit breaker for the service is open: the call was not attempted."""

    def __init__(self, service: str) -> None:
        super().__init__(f"circuit breaker for {service} is open")
        self.service = service


class MalformedJobError(Exception):
    """The job lacks a variable the step cannot do without: a malformed start, not a fault.

    Not a BPMN error (the saga has no business outcome to take); it fails the job like any other
    exception, so once its retries are used up an operator sees an incident naming the variable.
    """

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"job variable {variable!r} {problem}")
        self.variable = variable
