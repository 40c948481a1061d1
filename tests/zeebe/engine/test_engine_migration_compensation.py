"""Process instance migration of compensation subscriptions (Camunda 8.8 docs "Process instance
migration", section "Compensation boundary events"; Zeebe 8.8's
`ProcessInstanceMigrationCatchEventBehaviour` and its `MigrateCompensationSubscriptionTest`).

Rules: the subscription of a completed compensable activity is MIGRATED (same key; target
definition, compensable activity and handler) when its compensation boundary event is mapped to
a compensation boundary event of the target; the subscriptions of the enclosing subprocesses
follow. Without that mapping it is DELETED. A later compensation runs the TARGET's handlers.
"""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver
from test_engine_migration import PREFIX, migrate, rejected, started
from test_engine_replay import replayed

from zeebe.records import RejectionType, ValueType
from zeebe.testing.bpmn_builder import Compensation, Error, MultiInstance, ProcessBuilder, Timer

pytestmark = pytest.mark.unit

SUBSCRIPTION = ValueType.COMPENSATION_SUBSCRIPTION


def saga(
    task: str,
    boundary: str,
    handler: str,
    then: str,
    *,
    in_sub: str | None = None,
    loop: MultiInstance | None = None,
) -> bytes:
    """start -> [subprocess in_sub:] task (compensation `boundary` -> job `handler`) -> `then`
    (an error "FAIL" on `then` leads to a compensation end event that undoes everything)."""
    builder = ProcessBuilder("order").start()
    if in_sub is not None:
        builder.sub_process(in_sub).start(f"{in_sub}_start")
    builder.service_task(task, type=task.lower(), loop=loop)
    builder.compensation(task, handler=handler, handler_type=handler, boundary=boundary)
    if in_sub is not None:
        builder.end(f"{in_sub}_end").sub_process_end()
    builder.service_task(then, type="then").end()
    builder.boundary(f"{then}_failed", attached_to=then, event=Error("FAIL"))
    return builder.end("undo_all", event=Compensation()).to_xml()


def subscriptions(driver: Driver, intent: str) -> list[dict[str, Any]]:
    """Values (with the record key) of COMPENSATION_SUBSCRIPTION events of an intent."""
    return [r.value | {"key": r.key} for r in driver.events(SUBSCRIPTION, intent)]


def fail_then(driver: Driver) -> None:
    """Throw the error "FAIL" from the `then` task: the compensation end event runs."""
    result = driver.throw(driver.job("then")["key"], "FAIL")
    assert result.rejection is None, result.rejection


def after_first_step(source: bytes, target: bytes) -> tuple[Driver, int, int]:
    """An instance of `source` whose first (compensable) task completed: (driver, instance,
    target definition key)."""
    driver, pi, target_key = started(source, target)
    driver.complete(driver.job("a")["key"])
    assert len(subscriptions(driver, "CREATED")) == 1
    return driver, pi, target_key


def test_mapped_boundary_migrates_the_subscription_and_the_target_handler_runs() -> None:
    """Zeebe shouldWriteCompensationMigratedEvent: with the boundary events mapped, the
    subscription keeps its key and gets the target definition, activity and handler; a failure
    afterwards compensates with the target's handler (its job type and definition)."""
    source = saga("A", "b1", "undoA", "B")
    driver, pi, target_key = after_first_step(source, saga("C", "b2", "undoC", "D"))
    (created,) = subscriptions(driver, "CREATED")
    result = migrate(driver, pi, target_key, ("B", "D"), ("b1", "b2"))
    assert result.rejection is None, result.rejection
    (migrated,) = subscriptions(driver, "MIGRATED")
    assert migrated["key"] == created["key"]
    assert (migrated["processDefinitionKey"], migrated["bpmnProcessId"]) == (target_key, "order")
    assert (migrated["compensableActivityId"], migrated["compensationHandlerId"]) == ("C", "undoC")
    assert migrated["compensableActivityInstanceKey"] == created["compensableActivityInstanceKey"]
    fail_then(driver)
    assert driver.activate("undoA") == []
    handler = driver.job("undoC")
    assert (handler["elementId"], handler["processDefinitionKey"]) == ("undoC", target_key)
    driver.complete(handler["key"])
    assert driver.is_completed(pi)
    (triggered,) = subscriptions(driver, "TRIGGERED")
    assert (triggered["compensableActivityId"], triggered["compensationHandlerId"]) == (
        "C",
        "undoC",
    )


def test_subscriptions_are_migrated_after_the_process_element_and_before_the_children() -> None:
    """Zeebe writes them while migrating the process instance element: after its
    ELEMENT_MIGRATED, before the next element instance's."""
    source = saga("A", "b1", "undoA", "B")
    driver, pi, target_key = after_first_step(source, saga("C", "b2", "undoC", "D"))
    first = len(driver.records)
    migrate(driver, pi, target_key, ("B", "D"), ("b1", "b2"))
    written = [(r.value_type, r.intent, r.key) for r in driver.records[first:]]
    kinds = (ValueType.PROCESS_INSTANCE, SUBSCRIPTION)
    migrated = [w for w in written if w[0] in kinds and w[1].endswith("MIGRATED")]
    assert [(t, i) for t, i, _ in migrated] == [
        (ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED"),
        (SUBSCRIPTION, "MIGRATED"),
        (ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED"),
    ]
    assert migrated[0][2] == pi


def test_unmapped_boundary_deletes_the_subscription_and_nothing_is_compensated() -> None:
    """Zeebe shouldNotSubscribeToUnMappedCompensationEvent: without a mapping of the compensation
    boundary event the subscription is DELETED (source values) and a later compensation throw
    completes without running a handler ("will not compensate")."""
    source = saga("A", "b1", "undoA", "B")
    driver, pi, target_key = after_first_step(source, saga("C", "b2", "undoC", "D"))
    (created,) = subscriptions(driver, "CREATED")
    assert migrate(driver, pi, target_key, ("B", "D")).rejection is None
    (deleted,) = subscriptions(driver, "DELETED")
    assert deleted == created | {"key": created["key"]}
    assert subscriptions(driver, "MIGRATED") == []
    fail_then(driver)
    assert driver.activate("undoA") == [] and driver.activate("undoC") == []
    assert driver.is_completed(pi)


def test_activity_mapping_alone_does_not_keep_the_subscription() -> None:
    """Zeebe 8.8 maps compensation subscriptions only by their boundary events (camunda/camunda
    #24487): mapping the completed activity itself is not enough."""
    source = saga("A", "b1", "undoA", "B")
    driver, pi, target_key = after_first_step(source, saga("A", "b2", "undoC", "B"))
    assert migrate(driver, pi, target_key, ("B", "B"), ("A", "A")).rejection is None
    assert len(subscriptions(driver, "DELETED")) == 1
    assert driver.engine.state.compensations == {}


def test_subprocess_subscriptions_follow_their_task() -> None:
    """Zeebe shouldWriteCompensationMigratedEventForCompensationInsideSubprocess: the
    subscription of the completed subprocess is mapped through the flow scope of the task
    (subProcess1 -> subProcess2, handler unchanged ""); compensation descends into it and runs
    the target's handler."""
    source = saga("A", "b1", "undoA", "B", in_sub="subProcess1")
    target = saga("C", "b2", "undoC", "D", in_sub="subProcess2")
    driver, pi, target_key = started(source, target)
    driver.complete(driver.job("a")["key"])
    assert len(subscriptions(driver, "CREATED")) == 2
    assert migrate(driver, pi, target_key, ("B", "D"), ("b1", "b2")).rejection is None
    migrated = subscriptions(driver, "MIGRATED")
    assert [(m["compensableActivityId"], m["compensationHandlerId"]) for m in migrated] == [
        ("C", "undoC"),
        ("subProcess2", ""),
    ]
    assert {m["processDefinitionKey"] for m in migrated} == {target_key}
    fail_then(driver)
    handler = driver.job("undoC")
    assert handler["processDefinitionKey"] == target_key
    driver.complete(handler["key"])
    assert driver.is_completed(pi)


def inside(sub: str, task: str, boundary: str, handler: str, then: str) -> bytes:
    """start -> subprocess `sub` (task with compensation -> `then`; an error "FAIL" on `then`
    leads to a compensation end event inside the subprocess) -> end."""
    builder = ProcessBuilder("order").start().sub_process(sub).start(f"{sub}_start")
    builder.service_task(task, type=task.lower())
    builder.compensation(task, handler=handler, handler_type=handler, boundary=boundary)
    builder.service_task(then, type="then").end(f"{sub}_end")
    builder.boundary(f"{then}_failed", attached_to=then, event=Error("FAIL"))
    builder.end(f"{sub}_undo", event=Compensation())
    return builder.sub_process_end().end().to_xml()


def test_subscription_inside_an_active_subprocess_is_migrated() -> None:
    """A task completed inside a still active subprocess: its subscription (scoped to the
    subprocess instance) is migrated; a compensation thrown inside the migrated subprocess runs
    the target's handler, and replaying the log gives the same state."""
    source = inside("sub1", "A", "b1", "undoA", "B")
    driver, pi, target_key = after_first_step(source, inside("sub2", "C", "b2", "undoC", "D"))
    mapping = (("sub1", "sub2"), ("B", "D"), ("b1", "b2"))
    assert migrate(driver, pi, target_key, *mapping).rejection is None
    (migrated,) = subscriptions(driver, "MIGRATED")
    assert (migrated["compensableActivityId"], migrated["compensationHandlerId"]) == ("C", "undoC")
    fail_then(driver)
    handler = driver.job("undoC")
    assert handler["processDefinitionKey"] == target_key
    driver.complete(handler["key"])
    assert driver.is_completed(pi)
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()


def test_multi_instance_compensable_activity_is_migrated() -> None:
    """Zeebe shouldMigrateMultiInstanceCompensationHandler: the subscription of a completed
    multi-instance activity is migrated like a task's; compensation runs the target's handler."""
    loop = MultiInstance(input_collection="=[1,2,3]")
    source = saga("A", "b1", "undoA", "B", loop=loop)
    driver, pi, target_key = started(source, saga("C", "b2", "undoC", "D", loop=loop))
    for job in driver.activate("a"):
        driver.complete(job["key"])
    assert migrate(driver, pi, target_key, ("B", "D"), ("b1", "b2")).rejection is None
    migrated = subscriptions(driver, "MIGRATED")
    assert [(m["compensableActivityId"], m["compensationHandlerId"]) for m in migrated] == [
        ("C", "undoC")
    ]
    fail_then(driver)
    handlers = driver.activate("undoC")
    assert handlers and {h["processDefinitionKey"] for h in handlers} == {target_key}
    assert driver.activate("undoA") == []


def test_boundary_mapped_to_another_event_type_is_rejected() -> None:
    """INVALID_ARGUMENT with Zeebe's text (its first placeholder is the source process id); the
    rejected migration writes nothing and keeps the subscription."""
    builder = ProcessBuilder("order").start().service_task("C", type="c")
    builder.service_task("D", type="then").end()
    builder.boundary("t2", attached_to="C", event=Timer.duration("PT1H"))
    builder.end("late")
    driver, pi, target_key = after_first_step(saga("A", "b1", "undoA", "B"), builder.to_xml())
    before = dict(driver.engine.state.compensations)
    rejection = rejected(migrate(driver, pi, target_key, ("B", "D"), ("b1", "t2")))
    assert rejection.type is RejectionType.INVALID_ARGUMENT
    assert rejection.reason == (
        "Expected to migrate process instance with id 'order' but compensation boundary event "
        "'b1' is mapped to a target boundary event 't2' that has event type 'TIMER' different "
        "than compensation boundary event type."
    )
    assert driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED") == []
    assert driver.engine.state.compensations == before


def test_compensation_boundary_cannot_change_its_flow_scope() -> None:
    """INVALID_STATE with Zeebe's text: the compensable task is at the process level in the
    source but inside a subprocess in the target."""
    source = saga("A", "b1", "undoA", "B")
    target = saga("C", "b2", "undoC", "D", in_sub="sub2")
    driver, pi, target_key = after_first_step(source, target)
    rejection = rejected(migrate(driver, pi, target_key, ("B", "D"), ("b1", "b2")))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        "Expected to migrate process instance with id 'order' but the flow scope of "
        "compensation boundary event is changed. Flow scope 'order' is not in the same level as "
        "'sub2'. The flow scope of a compensation boundary event cannot be changed during "
        "migration yet."
    )


def test_active_element_with_compensation_boundary_subscribes_on_the_target() -> None:
    """Zeebe 8.8 shouldSubscribeToCompensationEventAfterMigration (docs: "the compensation
    subscription will be created on completion of the element"): an active element may have a
    compensation boundary event; completing it after the migration subscribes with the target's
    activity and handler."""
    plain = ProcessBuilder("order").start().service_task("A", type="a").end().to_xml()
    target = ProcessBuilder("order").start().service_task("B", type="a").end()
    target.compensation("B", handler="undoB", handler_type="undoB", boundary="b2")
    driver, pi, target_key = started(plain, target.to_xml())
    assert migrate(driver, pi, target_key, ("A", "B")).rejection is None
    driver.complete(driver.job("a")["key"])
    (created,) = subscriptions(driver, "CREATED")
    assert (created["compensableActivityId"], created["compensationHandlerId"]) == ("B", "undoB")
    assert created["processDefinitionKey"] == target_key


def test_active_element_keeps_its_compensation_boundary_mapping_attached() -> None:
    """An active element's compensation boundary event, when mapped, must stay attached to the
    element's target (Zeebe's catch event rule; PREFIX text as for other catch events)."""
    source = ProcessBuilder("order").start().service_task("A", type="a").end()
    source.compensation("A", handler="undoA", handler_type="undoA", boundary="b1")
    target = ProcessBuilder("order").start().service_task("A", type="a")
    target.service_task("X", type="x").end()
    target.compensation("X", handler="undoX", handler_type="undoX", boundary="bx")
    driver, pi, target_key = started(source.to_xml(), target.to_xml())
    rejection = rejected(migrate(driver, pi, target_key, ("A", "A"), ("b1", "bx")))
    assert rejection.reason.startswith(
        PREFIX.format(pi) + "active element with id 'A' is mapped to an element with id 'A' and "
        "has a catch event with id 'b1' that is mapped to a catch event with id 'bx'."
    )


def test_replay_rebuilds_migrated_and_deleted_subscriptions() -> None:
    """State changes only in appliers: replaying the log after a migration that migrated one
    subscription and deleted another gives the same state."""
    source = ProcessBuilder("order").start().service_task("A", type="a")
    source.compensation("A", handler="undoA", handler_type="undoA", boundary="b1")
    source.service_task("P", type="a")
    source.compensation("P", handler="undoP", handler_type="undoP", boundary="bp")
    source.service_task("B", type="then").end()
    driver, pi, target_key = started(source.to_xml(), saga("C", "b2", "undoC", "D"))
    for _ in range(2):
        driver.complete(driver.job("a")["key"])
    assert migrate(driver, pi, target_key, ("B", "D"), ("b1", "b2")).rejection is None
    assert (len(subscriptions(driver, "MIGRATED")), len(subscriptions(driver, "DELETED"))) == (1, 1)
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
