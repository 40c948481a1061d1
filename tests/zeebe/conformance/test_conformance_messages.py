"""Message correlation, buffering and uniqueness (spec 5.5)."""

from __future__ import annotations

import json

import pytest
from conformance_support import Gateway, element_events
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Message, ProcessBuilder, Timer

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def catch_process(process_id: str = "conf-msg") -> bytes:
    return (
        ProcessBuilder(process_id)
        .start()
        .intermediate_catch("wait", event=Message("paid", "= orderId"))
        .end()
        .to_xml()
    )


async def test_message_published_before_the_subscription_is_buffered(gateway: Gateway) -> None:
    """Spec 5.5: "When a subscription is opened, it polls the buffer for a proper message. If a
    proper message exists, it is correlated"."""
    await gateway.deploy(catch_process())
    await gateway.publish("paid", "o-1", ttl_ms=60_000, variables={"n": 1})
    key = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_completed().has_variables({"n": 1})


async def test_message_with_zero_ttl_is_not_buffered(gateway: Gateway) -> None:
    """Spec 5.5: "The buffering of a message is disabled when its TTL is set to zero." """
    await gateway.deploy(catch_process())
    await gateway.publish("paid", "o-1", ttl_ms=0)
    key = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_waiting_at("wait")


async def test_expired_message_is_not_correlated(gateway: Gateway) -> None:
    """Spec 5.5: "A message has a time-to-live (TTL) which specifies for how long it's buffered.
    Within this time, the message can be correlated"."""
    await gateway.deploy(catch_process())
    await gateway.publish("paid", "o-1", ttl_ms=1_000)
    gateway.engine.advance(1_001)
    key = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_waiting_at("wait")


async def test_buffered_messages_correlate_first_in_first_out(gateway: Gateway) -> None:
    """Spec 5.5: "In case multiple messages match to the subscription, the first published message
    is correlated (like a FIFO queue)." """
    await gateway.deploy(catch_process())
    await gateway.publish("paid", "o-1", ttl_ms=60_000, variables={"seq": 1})
    await gateway.publish("paid", "o-1", ttl_ms=60_000, variables={"seq": 2})
    key = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_completed().has_variables({"seq": 1})


async def test_buffered_message_correlates_once_per_process(gateway: Gateway) -> None:
    """Spec 5.5: "A message is correlated only once to a process (based on the BPMN process ID)
    ... a buffered message consumed by instance 1 is not correlated to instance 2"."""
    await gateway.deploy(catch_process())
    await gateway.publish("paid", "o-1", ttl_ms=60_000)
    first = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(first).is_completed()
    second = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(second).is_waiting_at("wait")


async def test_message_correlates_to_one_of_two_waiting_instances(gateway: Gateway) -> None:
    """Spec 5.5: "If multiple subscriptions for the same process are opened (by multiple process
    instances ...), the message is correlated only to one of the subscriptions." """
    await gateway.deploy(catch_process())
    keys = [await gateway.start("conf-msg", {"orderId": "o-1"}) for _ in range(2)]
    for key in keys:
        gateway.engine.assert_that(key).is_waiting_at("wait")
    await gateway.publish("paid", "o-1", ttl_ms=0)
    assert gateway.wait(lambda rs: sum(_completed(rs, k) for k in keys) == 1)
    gateway.engine.advance(1_000)  # give a wrong second correlation a chance to show
    assert sum(_completed(gateway.records(), k) for k in keys) == 1


def _completed(records: list, key: int) -> bool:  # type: ignore[type-arg]
    return any(
        r.intent == "ELEMENT_COMPLETED" and r.key == key for r in element_events(records, key)
    )


async def test_message_correlates_to_every_process_with_a_subscription(gateway: Gateway) -> None:
    """Spec 5.5: "When subscriptions are opened for different processes, the message is
    correlated to *all* the subscriptions." """
    await gateway.deploy(
        catch_process("conf-a"), catch_process("conf-b"), names=["a.bpmn", "b.bpmn"]
    )
    a = await gateway.start("conf-a", {"orderId": "o-1"})
    b = await gateway.start("conf-b", {"orderId": "o-1"})
    await gateway.publish("paid", "o-1", ttl_ms=0)
    gateway.engine.assert_that(a).is_completed()
    gateway.engine.assert_that(b).is_completed()


async def test_numeric_correlation_key_matches_its_string_form(gateway: Gateway) -> None:
    """Spec 5.5: the correlation key expression "must result either in a `string` or in a
    `number`" ("numbers are compared as their string form")."""
    await gateway.deploy(catch_process())
    key = await gateway.start("conf-msg", {"orderId": 123})
    await gateway.publish("paid", "123", ttl_ms=0)
    gateway.engine.assert_that(key).is_completed()


async def test_non_string_correlation_key_raises_an_incident(gateway: Gateway) -> None:
    """Spec 5.5: the correlation key "must result either in a `string` or in a `number`"
    (otherwise the catch event cannot subscribe: incident EXTRACT_VALUE_ERROR)."""
    await gateway.deploy(catch_process())
    key = await gateway.start("conf-msg", {"orderId": True})
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "EXTRACT_VALUE_ERROR"


async def test_subscription_is_not_updated_when_the_variable_changes(gateway: Gateway) -> None:
    """Spec 5.5: "After a subscription is opened, it is not updated (for example, when the
    referenced process variable is changed.)" """
    await gateway.deploy(catch_process())
    key = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_waiting_at("wait")
    request = pb.SetVariablesRequest(elementInstanceKey=key, variables='{"orderId": "o-2"}')
    await gateway.stub.SetVariables(request)
    await gateway.publish("paid", "o-2", ttl_ms=0)
    await gateway.publish("paid", "o-1", ttl_ms=0, variables={"via": "old-key"})
    gateway.engine.assert_that(key).is_completed().has_variables({"via": "old-key"})


async def test_message_id_may_be_reused_after_the_message_expired(gateway: Gateway) -> None:
    """Spec 5.5: "After the message is discarded from the buffer, a message with the same name,
    correlation key, and ID can be published again." """
    await gateway.publish("paid", "o-1", ttl_ms=1_000, message_id="m-1")
    gateway.engine.advance(1_001)
    await gateway.publish("paid", "o-1", ttl_ms=1_000, message_id="m-1")


def message_start_process() -> bytes:
    return (
        ProcessBuilder("conf-msg-start")
        .start(event=Message("order-placed"))
        .service_task("task", type="conf.msg")
        .end()
        .to_xml()
    )


def started_instances(gateway: Gateway) -> list[int]:
    return sorted(
        {
            int(r.value["processInstanceKey"])
            for r in gateway.records()
            if r.value_type.value == "PROCESS_INSTANCE"
            and r.value.get("bpmnProcessId") == "conf-msg-start"
            and r.value.get("elementId") == "conf-msg-start"
            and r.intent == "ELEMENT_ACTIVATED"
        }
    )


async def test_message_start_event_creates_an_instance(gateway: Gateway) -> None:
    """Spec 5.5 [D]: "When a process is deployed, it creates a message subscription for each
    message start event"; the message variables are the start payload."""
    await gateway.deploy(message_start_process())
    await gateway.publish("order-placed", "c-1", ttl_ms=0, variables={"total": 5})
    assert await _one_job_with(gateway, {"total": 5})


async def _one_job_with(gateway: Gateway, variables: dict[str, int]) -> bool:
    job = await gateway.activate_one("conf.msg")
    return bool(json.loads(job.variables) == variables)


async def test_message_start_one_active_instance_per_correlation_key(gateway: Gateway) -> None:
    """Spec 5.5: "If an instance of this process is active ... and it was triggered by a message
    with the same `correlationKey`, the message is not correlated and no new instance is created.
    If the message has a TTL > 0, it is buffered." When the instance ends the buffered message
    "is correlated and a new instance ... is created"."""
    await gateway.deploy(message_start_process())
    await gateway.publish("order-placed", "c-1", ttl_ms=0)
    await gateway.publish("order-placed", "c-1", ttl_ms=60_000, variables={"second": True})
    await gateway.publish("order-placed", "c-2", ttl_ms=0)
    jobs = await gateway.activate("conf.msg")
    assert len(jobs) == 2
    first = next(j for j in jobs if '"second"' not in j.variables)
    await gateway.complete(first)
    again = await gateway.activate("conf.msg", request_timeout_ms=2_000)
    assert len(again) == 1 and '"second": true' in again[0].variables


async def test_message_start_with_empty_correlation_key_always_starts(gateway: Gateway) -> None:
    """Spec 5.5: "If the `correlationKey` of a message is empty, it creates a new process instance
    and does not check if an instance is already active." """
    await gateway.deploy(message_start_process())
    await gateway.publish("order-placed", "", ttl_ms=0)
    await gateway.publish("order-placed", "", ttl_ms=0)
    assert len(await gateway.activate("conf.msg")) == 2


async def test_message_published_before_deployment_does_not_start(gateway: Gateway) -> None:
    """Spec 5.5: "Messages are not correlated if they were published before the process was
    deployed"."""
    await gateway.publish("order-placed", "c-1", ttl_ms=60_000)
    await gateway.deploy(message_start_process())
    assert await gateway.activate("conf.msg") == []


async def test_non_interrupting_message_boundary_correlates_repeatedly(gateway: Gateway) -> None:
    """Spec 4.2/5.5: "a non-interrupting one can correlate multiple messages"."""
    xml = (
        ProcessBuilder("conf-msg")
        .start()
        .service_task("task", type="conf.msg")
        .end()
        .boundary(
            "note", attached_to="task", event=Message("note", "= orderId"), interrupting=False
        )
        .service_task("noted", type="conf.noted")
        .end("noted_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-msg", {"orderId": "o-1"})
    gateway.engine.assert_that(key).is_waiting_at("task")
    await gateway.publish("note", "o-1", ttl_ms=0)
    await gateway.publish("note", "o-1", ttl_ms=0)
    assert gateway.wait(lambda rs: _count(rs, key, "note") == 2)
    gateway.engine.assert_that(key).is_waiting_at("task")


def _count(records: list, key: int, element_id: str) -> int:  # type: ignore[type-arg]
    return sum(
        1
        for r in element_events(records, key)
        if r.value.get("elementId") == element_id and r.intent == "ELEMENT_COMPLETED"
    )


async def test_event_based_gateway_takes_the_first_event_only(gateway: Gateway) -> None:
    """Spec 4.2: "When the first event is triggered, the outgoing sequence flow of this event is
    taken. No other events of the gateway can be triggered afterward." """
    xml = (
        ProcessBuilder("conf-msg")
        .start()
        .event_based_gateway("gw")
        .intermediate_catch("paid", event=Message("paid", "= orderId"))
        .end("paid_end")
        .move_to("gw")
        .intermediate_catch("timeout", event=Timer.duration("PT1H"))
        .end("timeout_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-msg", {"orderId": "o-1"})
    # Zeebe opens the subscriptions on the gateway; the catch events activate when triggered.
    gateway.engine.assert_that(key).is_waiting_at("gw")
    await gateway.publish("paid", "o-1", ttl_ms=0)
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("paid", "paid_end")
    gateway.engine.advance(3_600_001)
    assert gateway.element_keys(key, "timeout", "ELEMENT_COMPLETED") == []
