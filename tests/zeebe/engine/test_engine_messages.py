"""Message correlation and buffering (spec 5.5) and message events."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit

MESSAGE = (
    '<bpmn:message id="m" name="paid"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="= orderId"/></bpmn:extensionElements></bpmn:message>'
)


def catch_process(process_id: str = "wait", outputs: str = "") -> bytes:
    extension = f"<bpmn:extensionElements>{outputs}</bpmn:extensionElements>" if outputs else ""
    return bpmn(
        process_id,
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:intermediateCatchEvent id="catch">{extension}'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "catch", "e"),
        extra=MESSAGE,
    )


def deployed(*resources: bytes) -> Driver:
    driver = Driver()
    result = driver.deploy(*resources)
    assert result.rejection is None, result.rejection
    return driver


def test_message_correlates_to_open_subscription() -> None:
    """Spec 5.5: name and correlation key match an open subscription -> the catch completes."""
    driver = deployed(catch_process())
    pi = driver.create("wait", {"orderId": "o-1"})
    (sub,) = driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CREATED")
    assert (sub.value["messageName"], sub.value["correlationKey"]) == ("paid", "o-1")
    result = driver.publish("paid", "o-1", variables={"amount": 5})
    assert result.response is not None and result.response["tenantId"] == "<default>"
    assert driver.completed(pi) == ["s", "catch", "e", "wait"]
    assert driver.written_variables(pi) == {"orderId": "o-1", "amount": 5}


def test_numeric_correlation_key_matches_its_text() -> None:
    """Spec 5.5: numbers are compared as their string form."""
    driver = deployed(catch_process())
    pi = driver.create("wait", {"orderId": 42})
    driver.publish("paid", "42")
    assert driver.is_completed(pi)


def test_invalid_correlation_key_raises_extract_value_incident() -> None:
    """Spec 5.5: the correlation key must be a string or a number."""
    driver = deployed(catch_process())
    pi = driver.create("wait", {"orderId": [1]})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident["errorMessage"] == (
        "Failed to extract the correlation key for 'orderId': The value must be either a string "
        "or a number, but was 'ARRAY'."
    )
    driver.set_variables(pi, {"orderId": "fixed"})
    driver.resolve(incident["key"])
    driver.publish("paid", "fixed")
    assert driver.is_completed(pi)


def test_message_without_subscription_and_zero_ttl_is_discarded() -> None:
    """Spec 5.5: TTL 0 disables buffering; the message expires at once."""
    driver = deployed(catch_process())
    driver.publish("paid", "o-1", ttl=0)
    assert len(driver.events(ValueType.MESSAGE, "EXPIRED")) == 1
    pi = driver.create("wait", {"orderId": "o-1"})
    assert not driver.is_completed(pi)


def test_buffered_message_is_correlated_when_subscription_opens() -> None:
    """Spec 5.5: within its TTL a buffered message correlates to a new subscription."""
    driver = deployed(catch_process())
    driver.publish("paid", "o-1", ttl=10_000, variables={"n": 1})
    pi = driver.create("wait", {"orderId": "o-1"})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["n"] == 1


def test_buffered_messages_correlate_first_in_first_out() -> None:
    """Spec 5.5: with several matching buffered messages the first published wins."""
    driver = deployed(catch_process())
    driver.publish("paid", "o-1", ttl=10_000, variables={"n": 1})
    driver.publish("paid", "o-1", ttl=10_000, variables={"n": 2})
    first = driver.create("wait", {"orderId": "o-1"})
    assert driver.written_variables(first)["n"] == 1


def test_buffered_message_correlates_only_once_per_process() -> None:
    """Spec 5.5 (#7205): a buffered message consumed by one instance is not correlated to a
    second instance of the same process."""
    driver = deployed(catch_process())
    driver.publish("paid", "o-1", ttl=10_000)
    first = driver.create("wait", {"orderId": "o-1"})
    second = driver.create("wait", {"orderId": "o-1"})
    assert driver.is_completed(first) and not driver.is_completed(second)


def test_message_correlates_to_one_instance_per_process_but_all_processes() -> None:
    """Spec 5.5: one subscription per process id, but every process gets the message."""
    driver = deployed(catch_process("wait"), catch_process("other"))
    a1 = driver.create("wait", {"orderId": "o-1"})
    a2 = driver.create("wait", {"orderId": "o-1"})
    b = driver.create("other", {"orderId": "o-1"})
    driver.publish("paid", "o-1")
    assert [driver.is_completed(k) for k in (a1, a2, b)] == [True, False, True]


def test_message_expires_after_ttl() -> None:
    """Spec 5.5: after its TTL a buffered message is discarded (MESSAGE EXPIRED)."""
    driver = deployed(catch_process())
    driver.publish("paid", "o-1", ttl=1_000)
    assert driver.engine.next_due_time() == driver.now + 1_000
    driver.advance(1_000)
    assert len(driver.events(ValueType.MESSAGE, "EXPIRED")) == 1
    pi = driver.create("wait", {"orderId": "o-1"})
    assert not driver.is_completed(pi)


def test_duplicate_message_id_is_rejected_while_buffered() -> None:
    """Spec 5.5: same name, correlation key and id while buffered -> ALREADY_EXISTS."""
    driver = deployed(catch_process())
    assert driver.publish("paid", "o-1", ttl=1_000, message_id="id-1").rejection is None
    rejection = driver.publish("paid", "o-1", ttl=1_000, message_id="id-1").rejection
    assert rejection is not None and rejection.type is RejectionType.ALREADY_EXISTS
    driver.advance(1_000)
    assert driver.publish("paid", "o-1", ttl=1_000, message_id="id-1").rejection is None


def test_message_output_mapping_limits_merged_variables() -> None:
    """Spec 5.3: with an output mapping only mapped message variables are merged."""
    outputs = (
        '<zeebe:ioMapping><zeebe:output source="= amount" target="paidAmount"/></zeebe:ioMapping>'
    )
    driver = deployed(catch_process(outputs=outputs))
    pi = driver.create("wait", {"orderId": "o-1"})
    driver.publish("paid", "o-1", variables={"amount": 5, "noise": 1})
    assert driver.written_variables(pi) == {"orderId": "o-1", "paidAmount": 5}


def test_receive_task_waits_for_its_message() -> None:
    """Spec 4.2: a receive task opens a message subscription like a catch event."""
    xml = bpmn(
        "recv",
        '<bpmn:startEvent id="s"/><bpmn:receiveTask id="r" messageRef="m"/>'
        '<bpmn:endEvent id="e"/>' + chain("s", "r", "e"),
        extra=MESSAGE,
    )
    driver = deployed(xml)
    pi = driver.create("recv", {"orderId": "x"})
    assert driver.active(pi) == [("r", "ELEMENT_ACTIVATED")]
    driver.publish("paid", "x")
    assert driver.is_completed(pi)


def message_boundary(interrupting: bool) -> bytes:
    cancel = "" if interrupting else ' cancelActivity="false"'
    return bpmn(
        "mb",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "t")
        + f'<bpmn:boundaryEvent id="b" attachedToRef="t"{cancel}>'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="be"/>'
        + chain("s", "t", "e")
        + flow("fb", "b", "be"),
        extra=MESSAGE,
    )


def test_interrupting_message_boundary_terminates_the_task() -> None:
    """Spec 5.5: a message boundary event correlates; interrupting -> the task terminates."""
    driver = deployed(message_boundary(True))
    pi = driver.create("mb", {"orderId": "k"})
    driver.publish("paid", "k")
    assert driver.completed(pi) == ["s", "b", "be", "mb"]


def test_non_interrupting_message_boundary_keeps_the_task() -> None:
    """Spec 5.5: a non-interrupting boundary can correlate several messages."""
    driver = deployed(message_boundary(False))
    pi = driver.create("mb", {"orderId": "k"})
    driver.publish("paid", "k")
    driver.publish("paid", "k")
    assert driver.completed(pi).count("be") == 2
    assert driver.active(pi) == [("t", "ELEMENT_ACTIVATED")]


def event_gateway() -> bytes:
    return bpmn(
        "race",
        '<bpmn:startEvent id="s"/><bpmn:eventBasedGateway id="g"/>'
        '<bpmn:intermediateCatchEvent id="msg"><bpmn:messageEventDefinition messageRef="m"/>'
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:intermediateCatchEvent id="timeout"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT5M</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:intermediateCatchEvent>"
        '<bpmn:endEvent id="paid"/><bpmn:endEvent id="expired"/>'
        + flow("f0", "s", "g")
        + flow("f1", "g", "msg")
        + flow("f2", "g", "timeout")
        + flow("f3", "msg", "paid")
        + flow("f4", "timeout", "expired"),
        extra=MESSAGE,
    )


def test_event_based_gateway_first_event_wins() -> None:
    """Spec 4.2: the first triggered event continues; the others are closed."""
    driver = deployed(event_gateway())
    pi = driver.create("race", {"orderId": "o"})
    driver.publish("paid", "o", variables={"ok": True})
    assert driver.completed(pi) == ["s", "g", "msg", "paid", "race"]
    assert len(driver.events(ValueType.TIMER, "CANCELED")) == 1
    assert driver.advance(600_000) == []
    assert driver.written_variables(pi)["ok"] is True


def test_event_based_gateway_timer_wins_when_no_message() -> None:
    """Spec 4.2: the timer path is taken if it fires first; the subscription is closed."""
    driver = deployed(event_gateway())
    pi = driver.create("race", {"orderId": "o"})
    driver.advance(300_000)
    assert driver.completed(pi) == ["s", "g", "timeout", "expired", "race"]
    assert len(driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED")) == 1


def message_start(process_id: str = "ms", body_end: str = '<bpmn:endEvent id="e"/>') -> bytes:
    return bpmn(
        process_id,
        '<bpmn:startEvent id="start"><bpmn:messageEventDefinition messageRef="sm"/>'
        "</bpmn:startEvent>" + service_task("t", "t") + body_end + chain("start", "t", "e"),
        extra='<bpmn:message id="sm" name="order-placed"/>',
    )


def test_message_start_event_creates_instance_with_variables() -> None:
    """Spec 5.5: a message start event creates an instance; message variables are merged."""
    driver = deployed(message_start())
    driver.publish("order-placed", "", variables={"orderId": "o-9"})
    (job,) = driver.activate("t")
    assert job["variables"] == {"orderId": "o-9"}


def test_message_start_is_blocked_while_instance_with_same_key_is_active() -> None:
    """Spec 5.5: an active instance started with the same correlation key blocks a new one."""
    driver = deployed(message_start())
    driver.publish("order-placed", "k1")
    driver.publish("order-placed", "k1")
    driver.publish("order-placed", "k2")
    assert len(driver.activate("t")) == 2


def test_new_version_replaces_message_start_subscription() -> None:
    """Spec 5.5: subscriptions of the previous version are closed on redeploy."""
    driver = deployed(message_start())
    driver.deploy(message_start(body_end='<bpmn:endEvent id="e" name="v2"/>'))
    assert len(driver.events(ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "DELETED")) == 1
    driver.publish("order-placed", "")
    (job,) = driver.activate("t")
    assert job["processDefinitionVersion"] == 2


def test_broadcast_signal_is_acknowledged() -> None:
    """BroadcastSignal is accepted with SIGNAL BROADCASTED and a key."""
    driver = Driver()
    result = driver.send(ValueType.SIGNAL, "BROADCAST", {"signalName": "s", "variables": {}})
    assert result.response is not None and result.response["key"] > 0
    assert len(driver.events(ValueType.SIGNAL, "BROADCASTED")) == 1


def test_buffered_message_starts_next_instance_when_blocking_one_ends() -> None:
    """Spec 5.5: when the instance with the same correlation key ends, a buffered message with
    that key is correlated and a new instance is created."""
    driver = deployed(message_start())
    driver.publish("order-placed", "k1", ttl=60_000, variables={"n": 1})
    driver.publish("order-placed", "k1", ttl=60_000, variables={"n": 2})
    (first,) = driver.activate("t")
    assert first["variables"] == {"n": 1}
    driver.complete(first["key"])
    (second,) = driver.activate("t")
    assert second["variables"] == {"n": 2}
