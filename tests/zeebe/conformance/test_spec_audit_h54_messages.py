"""Spec audit (h54), section 5.5: message subscriptions, buffering, cardinality, start events."""

from __future__ import annotations

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain, flow, service_task
from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit

MESSAGE = (
    '<bpmn:message id="m" name="paid"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="=key"/></bpmn:extensionElements></bpmn:message>'
)


def _catch(process_id: str = "p") -> bytes:
    return bpmn(
        process_id,
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
        MESSAGE,
    )


def _message_start(end_id: str = "e") -> bytes:
    return bpmn(
        "ps",
        '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="sm"/></bpmn:startEvent>'
        + service_task("t", "w")
        + f'<bpmn:endEvent id="{end_id}"/>'
        + chain("s", "t", end_id),
        '<bpmn:message id="sm" name="start"/>',
    )


def _started_versions(driver: Driver) -> list[int]:
    return [
        int(r.value["version"])
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["bpmnElementType"] == "PROCESS"
    ]


def test_a_numeric_correlation_key_matches_its_string_form() -> None:
    """Spec 5.5: the correlation key "must result either in a `string` or in a `number`
    (numbers are compared as their string form)"."""
    driver = Driver()
    driver.deploy(_catch())
    key = driver.create("p", {"key": 123})
    driver.publish("paid", "123")
    assert driver.is_completed(key)


def test_a_correlation_key_of_another_type_raises_an_incident() -> None:
    """Spec 5.5: the correlation key expression "must result either in a `string` or in a
    `number`" - a boolean fails the catch event's activation with an incident."""
    driver = Driver()
    driver.deploy(_catch())
    driver.create("p", {"key": True})
    [incident] = driver.incidents()
    assert (incident["errorType"], incident["elementId"]) == ("EXTRACT_VALUE_ERROR", "c")


def test_an_open_subscription_is_not_updated_when_the_variable_changes() -> None:
    """Spec 5.5: "After a subscription is opened, it is not updated (for example, when the
    referenced process variable is changed.)"."""
    driver = Driver()
    driver.deploy(_catch())
    key = driver.create("p", {"key": "a"})
    driver.set_variables(key, {"key": "b"})
    driver.publish("paid", "b")
    assert not driver.is_completed(key)
    driver.publish("paid", "a")
    assert driver.is_completed(key)


def test_a_message_with_zero_ttl_is_discarded_without_a_subscription() -> None:
    """Spec 5.5: "If no proper subscription is opened, the message is discarded" - "The
    buffering of a message is disabled when its TTL is set to zero"."""
    driver = Driver()
    driver.deploy(_catch())
    driver.publish("paid", "a", ttl=0)
    assert not driver.is_completed(driver.create("p", {"key": "a"}))


def test_the_first_published_buffered_message_is_correlated() -> None:
    """Spec 5.5: "In case multiple messages match to the subscription, the first published
    message is correlated (like a FIFO queue)"."""
    driver = Driver()
    driver.deploy(_catch())
    driver.publish("paid", "a", ttl=60_000, variables={"n": 1})
    driver.publish("paid", "a", ttl=60_000, variables={"n": 2})
    key = driver.create("p", {"key": "a"})
    assert driver.written_variables(key)["n"] == 1


def test_a_buffered_message_is_correlated_once_per_process() -> None:
    """Spec 5.5 (issue #7205): "a buffered message consumed by instance 1 is not correlated to
    instance 2 of the same process even while still alive"."""
    driver = Driver()
    driver.deploy(_catch())
    driver.publish("paid", "a", ttl=60_000)
    first = driver.create("p", {"key": "a"})
    second = driver.create("p", {"key": "a"})
    assert driver.is_completed(first)
    assert not driver.is_completed(second)


def test_a_message_is_correlated_to_subscriptions_of_every_process() -> None:
    """Spec 5.5: "When subscriptions are opened for different processes, the message is
    correlated to *all* the subscriptions"."""
    driver = Driver()
    driver.deploy(_catch("p"))
    driver.deploy(_catch("q"))
    keys = [driver.create("p", {"key": "a"}), driver.create("q", {"key": "a"})]
    driver.publish("paid", "a")
    assert all(driver.is_completed(k) for k in keys)


def test_a_message_id_may_be_reused_after_the_message_left_the_buffer() -> None:
    """Spec 5.5: "A message is rejected and not correlated if a message with the same name, the
    same correlation key, and the same ID is already buffered. After the message is discarded
    from the buffer, a message with the same name, correlation key, and ID can be published
    again"."""
    driver = Driver()
    assert driver.publish("paid", "a", ttl=1_000, message_id="m-1").rejection is None
    duplicate = driver.publish("paid", "a", ttl=1_000, message_id="m-1").rejection
    assert duplicate is not None and duplicate.type is RejectionType.ALREADY_EXISTS
    assert driver.publish("paid", "b", ttl=1_000, message_id="m-1").rejection is None
    driver.advance(2_000)
    assert driver.publish("paid", "a", ttl=1_000, message_id="m-1").rejection is None


def test_a_message_start_event_ignores_messages_published_before_deployment() -> None:
    """Spec 5.5: "Messages are not correlated if they were published before the process was
    deployed"."""
    driver = Driver()
    driver.publish("start", "k", ttl=60_000)
    driver.deploy(_message_start())
    assert _started_versions(driver) == []


def test_a_start_message_with_an_active_key_waits_and_then_starts_the_latest_version() -> None:
    """Spec 5.5: "If an instance of this process is active ... triggered by a message with the
    same `correlationKey`, the message is not correlated ... If the message has a TTL > 0, it is
    buffered." When that instance ends, it "is correlated and a new instance of the latest
    version of the process is created"."""
    driver = Driver()
    driver.deploy(_message_start())
    driver.publish("start", "k", ttl=60_000)
    driver.deploy(_message_start("done"))
    driver.publish("start", "k", ttl=60_000)
    assert _started_versions(driver) == [1]
    driver.complete(driver.job("w")["key"])
    assert _started_versions(driver) == [1, 2]


def test_a_start_message_with_an_empty_key_always_starts_an_instance() -> None:
    """Spec 5.5: "If the `correlationKey` of a message is empty, it creates a new process
    instance and does not check if an instance is already active"."""
    driver = Driver()
    driver.deploy(_message_start())
    driver.publish("start", "")
    driver.publish("start", "")
    assert _started_versions(driver) == [1, 1]


def test_a_non_interrupting_message_boundary_event_correlates_repeatedly() -> None:
    """Spec 5.5: "a non-interrupting one can correlate multiple messages"."""
    body = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w")
        + '<bpmn:boundaryEvent id="b" attachedToRef="t" cancelActivity="false">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="noted"/>'
        + chain("s", "t", "e")
        + flow("f_b_noted", "b", "noted")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body, MESSAGE))
    key = driver.create("p", {"key": "a"})
    driver.publish("paid", "a")
    driver.publish("paid", "a")
    assert driver.completed(key).count("b") == 2


def _two_catches() -> bytes:
    return bpmn(
        "p",
        '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c1">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
        '<bpmn:intermediateCatchEvent id="c2"><bpmn:messageEventDefinition messageRef="m"/>'
        '</bpmn:intermediateCatchEvent><bpmn:endEvent id="e"/>' + chain("s", "c1", "c2", "e"),
        MESSAGE,
    )


def test_the_same_buffered_message_is_not_correlated_twice_to_one_instance() -> None:
    """Spec 5.5 (#1017/#1576): "the engine also remembers which message keys were correlated to
    a process instance and never correlates the same message twice to that instance (a
    *different* message with same name+key can be)"."""
    driver = Driver()
    driver.deploy(_two_catches())
    driver.publish("paid", "a", ttl=60_000)
    key = driver.create("p", {"key": "a"})
    assert "c1" in driver.completed(key) and "c2" not in driver.completed(key)
    driver.publish("paid", "a", ttl=60_000)
    assert driver.is_completed(key)


def test_two_subscriptions_of_one_instance_get_the_message_once() -> None:
    """Spec 5.5: "If multiple subscriptions for the same process are opened (by multiple process
    instances or within one instance), the message is correlated only to one of the
    subscriptions"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        '<bpmn:intermediateCatchEvent id="c1"><bpmn:messageEventDefinition messageRef="m"/>'
        '</bpmn:intermediateCatchEvent><bpmn:intermediateCatchEvent id="c2">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:intermediateCatchEvent>'
        '<bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>'
        + chain("s", "fork")
        + flow("f_fork_c1", "fork", "c1")
        + flow("f_fork_c2", "fork", "c2")
        + flow("f_c1_e1", "c1", "e1")
        + flow("f_c2_e2", "c2", "e2")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body, MESSAGE))
    key = driver.create("p", {"key": "a"})
    driver.publish("paid", "a")
    assert len([e for e in driver.completed(key) if e in ("c1", "c2")]) == 1


def test_a_subscription_closes_when_its_element_is_left() -> None:
    """Spec 5.5: "A subscription is closed when the corresponding element (e.g. the message
    catch event), or its scope is left" - a later message finds no subscription."""
    body = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w")
        + '<bpmn:boundaryEvent id="b" attachedToRef="t">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="cancelled"/>'
        + chain("s", "t", "e")
        + flow("f_b_cancelled", "b", "cancelled")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body, MESSAGE))
    driver.create("p", {"key": "a"})
    driver.complete(driver.job("w")["key"])
    intents = [r.intent for r in driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION)]
    assert intents[-1] == "DELETED"
    published = driver.publish("paid", "a")
    assert not any(r.intent == "CORRELATED" for r in published.records)


def test_message_names_must_be_unique_per_start_events_and_per_activity_boundaries() -> None:
    """Spec 5.5: "Each message start event in a process needs a unique message name"; "Message
    boundary events on one activity need unique names"."""
    starts = (
        '<bpmn:startEvent id="s1"><bpmn:messageEventDefinition messageRef="sm"/></bpmn:startEvent>'
        '<bpmn:startEvent id="s2"><bpmn:messageEventDefinition messageRef="sm2"/></bpmn:startEvent>'
        '<bpmn:endEvent id="e"/>' + chain("s1", "e") + flow("f_s2_e", "s2", "e")
    )
    messages = '<bpmn:message id="sm" name="start"/><bpmn:message id="sm2" name="start"/>'
    boundaries = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w")
        + '<bpmn:boundaryEvent id="b1" attachedToRef="t">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent>'
        '<bpmn:boundaryEvent id="b2" attachedToRef="t">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:boundaryEvent><bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
        + flow("f_b1_e", "b1", "e")
        + flow("f_b2_e", "b2", "e")
    )
    for body, extra in ((starts, messages), (boundaries, MESSAGE)):
        rejection = Driver().deploy(bpmn("p", body, extra)).rejection
        assert rejection is not None
        assert "Multiple message event definitions with the same name" in rejection.reason


def test_a_new_version_closes_the_previous_start_subscriptions() -> None:
    """Spec 5.5: "Message subscriptions of the previous version of the process (based on the
    BPMN process ID) are closed" - a message starts the new version only."""
    driver = Driver()
    driver.deploy(_message_start())
    driver.deploy(_message_start("done"))
    driver.publish("start", "k")
    assert _started_versions(driver) == [2]


def test_a_start_message_name_expression_is_evaluated_at_deployment() -> None:
    """Spec 5.5: "message-name expressions must yield a string (for message start events they
    are evaluated at deployment)"."""

    def start(name: str) -> bytes:
        return bpmn(
            "ps",
            '<bpmn:startEvent id="s"><bpmn:messageEventDefinition messageRef="sm"/>'
            '</bpmn:startEvent><bpmn:endEvent id="e"/>' + chain("s", "e"),
            f'<bpmn:message id="sm" name="{name}"/>',
        )

    driver = Driver()
    assert driver.deploy(start("=&quot;st&quot; + &quot;art&quot;")).rejection is None
    driver.publish("start", "x")
    assert _started_versions(driver) == [1]
    assert Driver().deploy(start("=someVariable")).rejection is not None


def test_a_signal_triggers_every_subscription_and_is_not_buffered() -> None:
    """Spec 5.5: "BroadcastSignal triggers all signal start events / active signal catch
    subscriptions with that name (no correlation key, no buffering)"."""
    signal = '<bpmn:signal id="sg" name="go"/>'
    driver = Driver()
    driver.deploy(
        bpmn(
            "on-signal",
            '<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="sg"/></bpmn:startEvent>'
            '<bpmn:endEvent id="e"/>' + chain("s", "e"),
            signal,
        ),
        bpmn(
            "waits",
            '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
            '<bpmn:signalEventDefinition signalRef="sg"/></bpmn:intermediateCatchEvent>'
            '<bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
            signal,
        ),
    )
    waiting = [driver.create("waits"), driver.create("waits")]
    driver.send(ValueType.SIGNAL, "BROADCAST", {"signalName": "go", "variables": {}})
    assert all(driver.is_completed(k) for k in waiting)
    assert len(_started_versions(driver)) == 3
    assert not driver.is_completed(driver.create("waits"))
