"""Fakes for worker unit tests: an HTTP transport, a pyzeebe job controller, jobs and clients."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pyzeebe import Job

from workers.client import RetryPolicy, ServiceClient, create_breaker
from workers.contract import SERVICES
from workers.observability import BreakerStateListener, WorkerMetrics, create_metrics
from workers.steps import StepDeps
from workers.transport import TransportError


@dataclass
class FakeResponse:
    """A canned HTTP answer."""

    status_code: int
    body: Any = None

    def json(self) -> Any:
        if self.body is None:
            raise ValueError("no JSON body")
        return self.body


@dataclass
class SentRequest:
    url: str
    json: Any
    headers: dict[str, str]
    timeout: float


@dataclass
class FakeTransport:
    """Answers POSTs from a script; an exception in the script is raised instead of answering.

    When the script runs out, the last entry repeats (handy for "the service keeps failing").
    """

    script: list[FakeResponse | Exception]
    sent: list[SentRequest] = field(default_factory=list)

    def post(
        self, url: str, *, json: Any, headers: Mapping[str, str], timeout: float
    ) -> FakeResponse:
        self.sent.append(SentRequest(url, json, dict(headers), timeout))
        answer = self.script[min(len(self.sent), len(self.script)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


def ok(body: dict[str, Any]) -> FakeResponse:
    return FakeResponse(200, body)


def problem(status: int, code: str | None = None, detail: str = "") -> FakeResponse:
    body: dict[str, Any] = {"status": status, "title": "problem", "detail": detail}
    if code is not None:
        body["code"] = code
    return FakeResponse(status, body)


def timeout_error() -> TransportError:
    return TransportError("ReadTimeoutError: read timed out")


@dataclass
class RecordingSleep:
    """Stands in for time.sleep: records the back-off delays instead of waiting."""

    delays: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def make_client(
    transport: FakeTransport,
    *,
    service: str = "cart",
    fail_max: int = 5,
    attempts: int = 3,
    sleep: RecordingSleep | None = None,
    metrics: WorkerMetrics | None = None,
) -> ServiceClient:
    listeners = (BreakerStateListener(metrics, service),) if metrics else ()
    return ServiceClient(
        service=service,
        base_url=f"http://{service}.test",
        transport=transport,
        breaker=create_breaker(service, fail_max=fail_max, listeners=listeners),
        timeout_s=2.5,
        retry=RetryPolicy(attempts=attempts, initial_s=0.1, max_s=1.0, jitter_s=0.0),
        sleep=sleep or RecordingSleep(),
    )


def make_deps(transport: FakeTransport, *, fail_max: int = 5, attempts: int = 3) -> StepDeps:
    metrics = create_metrics()
    clients = {
        service: make_client(
            transport, service=service, fail_max=fail_max, attempts=attempts, metrics=metrics
        )
        for service in SERVICES
    }
    ticks = iter(range(1_000_000))
    return StepDeps(clients=clients, metrics=metrics, clock=lambda: float(next(ticks)))


def make_job(
    task_type: str,
    element_id: str,
    *,
    process_instance_key: int = 2251799813685249,
    key: int = 2251799813685300,
    retries: int = 3,
    variables: dict[str, Any] | None = None,
) -> Job:
    return Job(
        key=key,
        type=task_type,
        process_instance_key=process_instance_key,
        bpmn_process_id="checkout",
        process_definition_version=1,
        process_definition_key=2251799813685200,
        element_id=element_id,
        element_instance_key=2251799813685260,
        custom_headers={},
        worker="test-worker",
        retries=retries,
        deadline=0,
        variables=variables or {},
    )


@dataclass
class FakeJobController:
    """Records what the exception handler asks pyzeebe to send to the gateway."""

    errors: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)

    async def set_error_status(
        self, message: str, error_code: str = "", variables: dict[str, Any] | None = None
    ) -> None:
        self.errors.append({"message": message, "error_code": error_code, "variables": variables})

    async def set_failure_status(
        self, message: str, retry_back_off_ms: int = 0, variables: dict[str, Any] | None = None
    ) -> None:
        self.failures.append({"message": message, "retry_back_off_ms": retry_back_off_ms})


def sample(metrics: WorkerMetrics, name: str, **labels: str) -> float:
    value = metrics.registry.get_sample_value(name, labels)
    return 0.0 if value is None else value
