"""One checkout is one OpenTelemetry trace, from the checkout API through the engine's process
variables to the workers, the services they call, the outbox relays and the loyalty consumer.

The processes of the shared system (tests/e2e/conftest.py) are restarted with
`OTEL_TRACES_EXPORTER=otlp` pointing at an OTLP/HTTP receiver this module serves on a free port
(the SDK environment variables, services/kit/tracing.py), and restarted without it at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from e2e_support import call, eventually

from demo.supervisor import Supervisor
from demo.topology import Endpoints, ProcessSpec
from stack.ports import free_port
from tests.observability.otlp_receiver import OtlpReceiver, ReceivedSpan, otlp_receiver

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(420)]

SERVICES = ("cart", "pricing", "payment", "inventory", "order")
# Restarted in dependency order: services, their relays and loyalty, then workers and the API.
TRACED = (
    *SERVICES,
    *(f"{name}-relay" for name in ("cart", "pricing", "inventory", "payment", "order")),
    "loyalty",
    "workers",
    "checkout",
)
HAPPY_PATH = (
    "cart.reserve",
    "pricing.quote",
    "payment.capture",
    "inventory.allocate",
    "order.create",
    "cart.consume",
)


def _restart(
    supervisor: Supervisor, name: str, env: Callable[[ProcessSpec], dict[str, str]]
) -> None:
    spec = supervisor.stop(name)
    supervisor.start(replace(spec, env=env(spec)))


@pytest.fixture(scope="module")
def traced(
    supervised: tuple[Supervisor, Endpoints],
) -> Iterator[tuple[Endpoints, OtlpReceiver]]:
    """The shared system with every traced process exporting to a receiver, then restored."""
    supervisor, endpoints = supervised
    originals: dict[str, dict[str, str]] = {}
    with otlp_receiver(free_port("127.0.0.1")) as receiver:
        otel = {
            "OTEL_TRACES_EXPORTER": "otlp",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": receiver.url,
            "OTEL_BSP_SCHEDULE_DELAY": "200",  # export within 0.2 s, not the default 5 s
        }

        def with_otel(spec: ProcessSpec) -> dict[str, str]:
            originals[spec.name] = dict(spec.env)
            return {**spec.env, **otel}

        for name in TRACED:
            _restart(supervisor, name, with_otel)
        try:
            yield endpoints, receiver
        finally:
            # The directory's last test may already have stopped the whole system.
            running = {r.spec.name for r in supervisor.running}
            for name in (n for n in TRACED if n in running):
                _restart(supervisor, name, lambda spec: originals[spec.name])


def _seed(e: Endpoints) -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    sku, customer = f"sku-{tag}", f"cust-{tag}"
    assert call("PUT", f"{e.url('pricing')}/v1/prices/{sku}", {"unit_price": 1_200}).ok
    assert call("PUT", f"{e.url('inventory')}/v1/stock/{sku}", {"on_hand": 5}).ok
    items = [{"sku": sku, "quantity": 1, "unit_price": 1_200}]
    cart = call("POST", f"{e.url('cart')}/v1/carts", {"customer_id": customer, "items": items})
    assert cart.status_code == 201, cart.text
    return {"cartId": cart.json()["id"], "customerId": customer, "cardToken": "tok_approve"}


def _completed(e: Endpoints, checkout_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        status: dict[str, Any] = call("GET", f"{e.url('checkout')}/checkouts/{checkout_id}").json()
        return status if status["status"] != "pending" else None

    status = eventually(probe, timeout_s=60)
    assert status and status["status"] == "completed", status
    return dict(status)


class Trace:
    """The spans of one trace, with the look-ups the assertions need."""

    def __init__(self, spans: list[ReceivedSpan]) -> None:
        self.spans = spans
        self.by_id = {span.span_id: span for span in spans}

    def find(self, service: str, name: str, kind: str) -> list[ReceivedSpan]:
        """Spans of `service` with this name and kind."""
        return [s for s in self.spans if (s.service, s.name, s.kind) == (service, name, kind)]

    def parent(self, span: ReceivedSpan) -> ReceivedSpan | None:
        """The span's parent if it is in this trace."""
        return self.by_id.get(span.parent_span_id)


def _trace_of(receiver: OtlpReceiver, checkout_id: str) -> Trace:
    """Wait until the checkout's trace holds every hop (exports are batched per process)."""

    def start() -> ReceivedSpan | None:
        found = receiver.spans(
            lambda s: s.name == "checkout.start" and s.attributes.get("checkout.id") == checkout_id
        )
        return found[0] if found else None

    root = eventually(start, timeout_s=20)
    assert root is not None, "no checkout.start span exported by the checkout API"

    def complete() -> Trace | None:
        trace = Trace(receiver.spans(lambda s: s.trace_id == root.trace_id))
        hops = [trace.find("workers", task, "CONSUMER") for task in HAPPY_PATH]
        hops += [
            trace.find(f"{name}-relay", f"{name}.events publish", "PRODUCER")
            for name in ("cart", "pricing", "payment", "inventory", "order")
        ]
        hops.append(trace.find("loyalty", "order.events process", "CONSUMER"))
        return trace if all(hops) else None

    return eventually(complete, timeout_s=30) or Trace(
        receiver.spans(lambda s: s.trace_id == root.trace_id)
    )


@pytest.fixture(scope="module")
def saga_trace(traced: tuple[Endpoints, OtlpReceiver]) -> tuple[Trace, dict[str, Any]]:
    """One completed checkout and its trace."""
    e, receiver = traced
    accepted = call("POST", f"{e.url('checkout')}/checkouts", _seed(e))
    assert accepted.status_code == 202, accepted.text
    checkout_id = accepted.json()["checkoutId"]
    status = _completed(e, checkout_id)
    return _trace_of(receiver, checkout_id), status


def _checkout_start(trace: Trace) -> ReceivedSpan:
    (start,) = [s for s in trace.spans if s.name == "checkout.start"]
    return start


def test_the_checkout_api_starts_the_trace_in_the_traceparent_variable(
    saga_trace: tuple[Trace, dict[str, Any]],
) -> None:
    """Issue 5: a SERVER span for POST /checkouts, its child `checkout.start` span is what the
    `traceparent` process variable (and the checkout row) carries."""
    trace, status = saga_trace
    start = _checkout_start(trace)
    server = trace.parent(start)
    assert server is not None
    assert (server.service, server.name, server.kind) == ("checkout", "POST /checkouts", "SERVER")
    assert status["traceparent"].split("-")[1:3] == [start.trace_id, start.span_id]


def test_every_happy_path_job_is_a_worker_span_child_of_the_checkout_span(
    saga_trace: tuple[Trace, dict[str, Any]],
) -> None:
    """Issue 5: per job a CONSUMER span `<task type>`, parent extracted from the job's
    `traceparent` variable, with the job's correlation attributes."""
    trace, _ = saga_trace
    start = _checkout_start(trace)
    for task in HAPPY_PATH:
        jobs = trace.find("workers", task, "CONSUMER")
        assert jobs, f"no span for {task}"
        assert {job.parent_span_id for job in jobs} == {start.span_id}, task
        assert all(job.attributes["zeebe.job.type"] == task for job in jobs)
        assert all(job.attributes["checkout.id"] == start.attributes["checkout.id"] for job in jobs)


def test_each_service_server_span_is_a_child_of_the_workers_client_span(
    saga_trace: tuple[Trace, dict[str, Any]],
) -> None:
    """W3C Trace Context over HTTP: the worker's CLIENT span is the parent of the service's
    SERVER span, and that CLIENT span is a child of a job span."""
    trace, _ = saga_trace
    for service in SERVICES:
        servers = [s for s in trace.spans if s.service == service and s.kind == "SERVER"]
        assert servers, f"no server span from {service}"
        for server in servers:
            client = trace.parent(server)
            assert client is not None and (client.service, client.kind) == ("workers", "CLIENT")
            job = trace.parent(client)
            assert job is not None and job.kind == "CONSUMER"


def test_relays_publish_in_producer_spans_under_the_request_that_wrote_the_event(
    saga_trace: tuple[Trace, dict[str, Any]],
) -> None:
    """Issue 5: the outbox row stores the current span's context; the relay's PRODUCER span is
    its child (the service's SERVER span)."""
    trace, _ = saga_trace
    for service in ("cart", "pricing", "payment", "inventory", "order"):
        producers = trace.find(f"{service}-relay", f"{service}.events publish", "PRODUCER")
        assert producers, f"no producer span from the {service} relay"
        for producer in producers:
            parent = trace.parent(producer)
            assert parent is not None and (parent.service, parent.kind) == (service, "SERVER")


def test_the_loyalty_consumer_continues_the_trace_from_the_kafka_headers(
    saga_trace: tuple[Trace, dict[str, Any]],
) -> None:
    """Issue 5: the loyalty consumer extracts the context from the Kafka headers and starts a
    CONSUMER span in the checkout's trace."""
    trace, _ = saga_trace
    (consumer,) = trace.find("loyalty", "order.events process", "CONSUMER")
    parent = trace.parent(consumer)
    assert parent is not None and (parent.service, parent.kind) == ("order-relay", "PRODUCER")
