"""Process instance migration of catch events (Camunda 8.7 docs, process instance migration:
catch events; Zeebe's `ProcessInstanceMigrationCatchEventBehaviour`).

Rules: a mapped catch event keeps its subscription (a timer its due date), which is MIGRATED to
the target catch event; a source catch event without a mapping is unsubscribed; a target catch
event no mapping points to is subscribed when the instance is migrated.
"""

from __future__ import annotations

import pytest
from engine_support import Driver
from test_engine_migration import (
    PREFIX,
    deployed_key,
    migrate,
    one_task,
    rejected,
    started,
)
from test_engine_replay import replayed

from zeebe.records import ValueType
from zeebe.testing.bpmn_builder import (
    EventDefinition,
    Message,
    ProcessBuilder,
    Signal,
    Timer,
)

pytestmark = pytest.mark.unit

HOUR = 3_600_000


def with_boundary(boundary_id: str, event: EventDefinition, path_type: str) -> bytes:
    """start -> A (type "a") -> end, with an interrupting boundary event on A leading to a task
    of type `path_type`."""
    builder = ProcessBuilder("order").start().service_task("A", type="a").end()
    builder.boundary(boundary_id, attached_to="A", event=event)
    return builder.service_task("late", type=path_type).end("timed_out").to_xml()


def test_mapped_timer_boundary_keeps_its_due_date_and_fires_on_the_target() -> None:
    """TIMER MIGRATED keeps the key and due date; when it fires, the target's path is taken."""
    timer = Timer.duration("PT1H")
    driver, pi, target = started(
        with_boundary("t1", timer, "old"), with_boundary("t2", Timer.duration("PT5H"), "new")
    )
    (created,) = driver.events(ValueType.TIMER, "CREATED")
    driver.now += HOUR // 2
    assert migrate(driver, pi, target, ("A", "A"), ("t1", "t2")).rejection is None
    (migrated,) = driver.events(ValueType.TIMER, "MIGRATED")
    assert migrated.key == created.key
    assert migrated.value["dueDate"] == created.value["dueDate"]
    assert (migrated.value["targetElementId"], migrated.value["processDefinitionKey"]) == (
        "t2",
        target,
    )
    driver.advance(HOUR // 2)
    assert driver.job("new")["elementId"] == "late"


def test_unmapped_source_timer_is_canceled() -> None:
    """A boundary event without a mapping is unsubscribed: TIMER CANCELED."""
    driver, pi, target = started(with_boundary("t1", Timer.duration("PT1H"), "old"), one_task())
    migrate(driver, pi, target, ("A", "A"))
    (canceled,) = driver.events(ValueType.TIMER, "CANCELED")
    assert canceled.value["targetElementId"] == "t1"
    assert driver.engine.state.timers == {}
    driver.advance(2 * HOUR)
    assert driver.activate("old") == []


def test_new_target_boundary_event_is_subscribed() -> None:
    """A target boundary event no mapping points to is subscribed when migrating (due date from
    the migration time)."""
    driver, pi, target = started(one_task(), with_boundary("t2", Timer.duration("PT1H"), "new"))
    driver.now += HOUR
    migrate(driver, pi, target, ("A", "A"))
    (created,) = driver.events(ValueType.TIMER, "CREATED")
    assert created.value["dueDate"] == driver.now + HOUR
    assert created.value["processDefinitionKey"] == target
    driver.advance(HOUR)
    assert driver.job("new")["processDefinitionKey"] == target


def test_mapped_message_boundary_subscription_is_migrated() -> None:
    """PROCESS_MESSAGE_SUBSCRIPTION MIGRATED (and its MESSAGE_SUBSCRIPTION twin) keep name and
    correlation key; a message then triggers the target's boundary event."""
    message = Message("cancel", "= orderId")
    source = with_boundary("m1", message, "old")
    driver = Driver()
    source_key = deployed_key(driver, source, "v1.bpmn")
    target = deployed_key(driver, with_boundary("m2", message, "new"), "v2.bpmn")
    value = {"processDefinitionKey": source_key, "version": -1, "variables": {"orderId": "o-1"}}
    created = driver.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value).response
    assert created is not None
    pi = int(created["processInstanceKey"])
    assert migrate(driver, pi, target, ("A", "A"), ("m1", "m2")).rejection is None
    (migrated,) = driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "MIGRATED")
    assert (migrated.value["elementId"], migrated.value["messageName"]) == ("m2", "cancel")
    assert len(driver.events(ValueType.MESSAGE_SUBSCRIPTION, "MIGRATED")) == 1
    driver.publish("cancel", "o-1")
    assert driver.job("new")["elementId"] == "late"


def test_mapped_signal_boundary_subscription_is_migrated() -> None:
    """SIGNAL_SUBSCRIPTION MIGRATED: a broadcast then triggers the target's boundary event."""
    signal = Signal("stop")
    driver, pi, target = started(
        with_boundary("s1", signal, "old"), with_boundary("s2", signal, "new")
    )
    migrate(driver, pi, target, ("A", "A"), ("s1", "s2"))
    (migrated,) = driver.events(ValueType.SIGNAL_SUBSCRIPTION, "MIGRATED")
    assert migrated.value["catchEventId"] == "s2"
    driver.send(ValueType.SIGNAL, "BROADCAST", {"signalName": "stop", "variables": {}})
    assert driver.job("new")["elementId"] == "late"


def test_active_timer_catch_event_is_migrated() -> None:
    """An intermediate timer catch event keeps its timer; it fires into the target's flow."""

    def model(then: str) -> bytes:
        builder = ProcessBuilder("order").start()
        builder.intermediate_catch("wait", event=Timer.duration("PT1H"))
        return builder.service_task("next", type=then).end().to_xml()

    driver, pi, target = started(model("old"), model("new"))
    assert migrate(driver, pi, target, ("wait", "wait")).rejection is None
    assert len(driver.events(ValueType.TIMER, "MIGRATED")) == 1
    driver.advance(HOUR)
    assert driver.job("new")["processDefinitionKey"] == target


def test_target_event_subprocess_start_is_subscribed_on_the_process() -> None:
    """A timer event subprocess of the target process is subscribed by the migrated process
    instance and interrupts it when due."""
    builder = ProcessBuilder("order").start().service_task("A", type="a").end()
    builder.event_sub_process("E").start("e_start", event=Timer.duration("PT1H"))
    builder.service_task("on_timeout", type="new").end("e_end").sub_process_end()
    driver, pi, target = started(one_task(), builder.to_xml())
    migrate(driver, pi, target, ("A", "A"))
    (created,) = driver.events(ValueType.TIMER, "CREATED")
    assert created.value["elementInstanceKey"] == pi
    driver.advance(HOUR)
    assert driver.job("new")["elementId"] == "on_timeout"
    assert driver.activate("a") == []


def test_unsubscribable_target_catch_event_rejects_the_migration() -> None:
    """INVALID_STATE: a new subscription that cannot be opened (here a correlation key from a
    missing variable) rejects the whole migration; nothing is written."""
    message = Message("cancel", "= missing.id")
    driver, pi, target = started(one_task(), with_boundary("m2", message, "new"))
    result = migrate(driver, pi, target, ("A", "A"))
    rejection = rejected(result)
    assert rejection.reason.startswith(
        PREFIX.format(pi) + "active element with id 'A' is mapped to element with id 'A' that "
        "must be subscribed to a catch event. "
    )
    assert driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED") == []


def test_replay_rebuilds_migrated_subscriptions() -> None:
    """Timers and subscriptions after a migration replay to the same state."""
    driver, pi, target = started(
        with_boundary("t1", Timer.duration("PT1H"), "old"),
        with_boundary("t2", Timer.duration("PT1H"), "new"),
    )
    migrate(driver, pi, target, ("A", "A"), ("t1", "t2"))
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_element_still_activating_subscribes_when_it_resumes() -> None:
    """An element stuck activating (its job type expression failed: an incident) holds no
    subscriptions yet: the migration opens none; resolving the incident activates it on the
    target, with its one timer."""
    source = ProcessBuilder("order").start().service_task("A", type="= kind").end()
    target_model = ProcessBuilder("order").start().service_task("A", type="= kind").end()
    target_model.boundary("t2", attached_to="A", event=Timer.duration("PT1H")).end("timed_out")
    driver, pi, target = started(source.to_xml(), target_model.to_xml())
    (incident,) = driver.incidents()
    assert migrate(driver, pi, target, ("A", "A")).rejection is None
    assert driver.events(ValueType.TIMER, "CREATED") == []
    driver.set_variables(pi, {"kind": "a"})
    driver.resolve(incident["key"])
    (created,) = driver.events(ValueType.TIMER, "CREATED")
    assert created.value["processDefinitionKey"] == target
    assert driver.job("a")["processDefinitionKey"] == target


def created_with(
    driver: Driver, source: bytes, target: bytes, variables: dict[str, object]
) -> tuple[int, int]:
    """Deploy source and target, start the source with variables: (instance key, target key)."""
    source_key = deployed_key(driver, source, "v1.bpmn")
    target_key = deployed_key(driver, target, "v2.bpmn")
    value = {"processDefinitionKey": source_key, "version": -1, "variables": variables}
    created = driver.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value).response
    assert created is not None
    return int(created["processInstanceKey"]), target_key


def test_receive_task_keeps_its_message_subscription() -> None:
    """A waiting receive task (8.7: RECEIVE_TASK is migratable) keeps its subscription; the
    message completes it into the target's flow."""

    def model(then: str) -> bytes:
        builder = ProcessBuilder("order").start()
        builder.receive_task("R", message=Message("paid", "= orderId"))
        return builder.service_task("next", type=then).end().to_xml()

    driver = Driver()
    pi, target = created_with(driver, model("old"), model("new"), {"orderId": "o-1"})
    assert migrate(driver, pi, target, ("R", "R")).rejection is None
    driver.publish("paid", "o-1")
    assert driver.job("new")["processDefinitionKey"] == target


def test_event_based_gateway_keeps_mapped_events_and_subscribes_new_ones() -> None:
    """An event-based gateway's events: the mapped message keeps its subscription, the timer
    without a mapping is canceled and the target's new timer subscribed."""

    def model(timer_id: str, then: str) -> bytes:
        builder = ProcessBuilder("order").start().event_based_gateway("G")
        builder.intermediate_catch("paid", event=Message("paid", "= orderId"))
        builder.service_task("ship", type=then).end()
        builder.move_to("G").intermediate_catch(timer_id, event=Timer.duration("PT1H"))
        return builder.end("expired").to_xml()

    driver = Driver()
    pi, target = created_with(driver, model("t1", "old"), model("t2", "new"), {"orderId": "o-1"})
    result = migrate(driver, pi, target, ("G", "G"), ("paid", "paid"))
    assert result.rejection is None
    intents = [(r.value_type, r.intent) for r in result.records]
    assert (ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "MIGRATED") in intents
    assert (ValueType.TIMER, "CANCELED") in intents
    (timer,) = [r for r in result.records if r.intent == "CREATED"]
    assert timer.value["targetElementId"] == "t2"
    driver.publish("paid", "o-1")
    assert driver.job("new")["elementId"] == "ship"


def test_catch_event_cannot_change_its_event_type() -> None:
    """INVALID_STATE: a mapped catch event keeps its subscription, so a message event cannot
    be mapped to a timer event (Zeebe 8.8 requireNoCatchEventMappingToChangeEventType)."""

    def model(timer_id: str) -> bytes:
        builder = ProcessBuilder("order").start().event_based_gateway("G")
        builder.intermediate_catch("paid", event=Message("paid", "= orderId")).end()
        builder.move_to("G").intermediate_catch(timer_id, event=Timer.duration("PT1H"))
        return builder.end("expired").to_xml()

    driver = Driver()
    pi, target = created_with(driver, model("t1"), model("t2"), {"orderId": "o-1"})
    rejection = rejected(migrate(driver, pi, target, ("G", "G"), ("paid", "t2")))
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'G' has a catch event with id 'paid' that "
        "is mapped to a catch event with id 't2'. These catch events have different event "
        "types: 'MESSAGE' and 'TIMER'. The event type of a catch event cannot be changed by "
        "process instance migration. Please ensure the event type of the catch event remains "
        "the same or remove the mapping instruction for these catch events."
    )
