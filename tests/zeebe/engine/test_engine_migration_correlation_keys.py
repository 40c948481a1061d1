"""Message catch events whose correlation key changes in the target (Camunda 8.8 docs, process
instance migration, "Dealing with catch events": a mapped catch event's subscription "is
migrated" as it is; tip: "a mapping instruction must be provided between catch events to
migrate message catch events if the target catch event has the same message name. Therefore,
it is not possible to re-create message catch events with the same message name in the target
process definition"; camunda/camunda `ProcessInstanceMigrationCatchEventBehaviour` checks
`requireNoSubscriptionForMessage` while the unmapped subscriptions still exist).
"""

from __future__ import annotations

import pytest
from engine_support import Driver
from test_engine_migration import PREFIX, deployed_key, migrate, rejected

from zeebe.records import RejectionType, ValueType
from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = pytest.mark.unit


def with_message_boundary(process_id: str, boundary_id: str, message: Message) -> bytes:
    """start -> A (type "a") -> end, with a message boundary event on A -> task "cancelled"."""
    builder = ProcessBuilder(process_id).start().service_task("A", type="a").end()
    builder.boundary(boundary_id, attached_to="A", event=message)
    return builder.service_task("cancelled", type="cancelled").end("cancel_end").to_xml()


def created(source: bytes, target: bytes) -> tuple[Driver, int, int]:
    """Deploy both and create an instance of the source with orderId o-1 and refund r-9."""
    driver = Driver()
    source_key = deployed_key(driver, source, "v1.bpmn")
    target_key = deployed_key(driver, target, "v2.bpmn")
    variables = {"orderId": "o-1", "refundId": "r-9"}
    value = {"processDefinitionKey": source_key, "version": -1, "variables": variables}
    response = driver.send(ValueType.PROCESS_INSTANCE_CREATION, "CREATE", value).response
    assert response is not None
    return driver, int(response["processInstanceKey"]), target_key


SOURCE = with_message_boundary("order", "m1", Message("cancel", "= orderId"))
TARGET = with_message_boundary("order2", "m2", Message("cancel", "= refundId"))


def test_mapped_message_catch_event_keeps_its_correlation_key() -> None:
    """The mapped subscription is migrated with its correlation key: a message with the old
    key (o-1) triggers the target boundary event, the target's expression is not evaluated."""
    driver, pi, target = created(SOURCE, TARGET)
    assert migrate(driver, pi, target, ("A", "A"), ("m1", "m2")).rejection is None
    (migrated,) = driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "MIGRATED")
    assert migrated.value["correlationKey"] == "o-1"
    driver.publish("cancel", "r-9")
    assert driver.activate("cancelled") == []
    driver.publish("cancel", "o-1")
    assert driver.job("cancelled")["processDefinitionKey"] == target


def test_unmapped_catch_event_of_the_same_message_cannot_be_re_created() -> None:
    """INVALID_STATE: re-subscribing to message "cancel" with the new correlation key needs the
    old subscription gone first, which Zeebe does not wait for; nothing is written."""
    driver, pi, target = created(SOURCE, TARGET)
    rejection = rejected(migrate(driver, pi, target, ("A", "A")))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        PREFIX.format(pi) + "active element with id 'A' attempts to subscribe to a message it is "
        "already subscribed to with name 'cancel'. Migrating active elements that subscribe to a "
        "message they are already subscribed to is not possible yet. Please provide a mapping "
        "instruction to message catch event with id 'm2' to migrate the respective message "
        "subscription."
    )
    assert driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED") == []


def test_unmapped_catch_event_of_another_message_is_re_subscribed() -> None:
    """A target catch event of another message name is subscribed with its own correlation key
    (evaluated now), and the unmapped source subscription is deleted."""
    target = with_message_boundary("order2", "m2", Message("refund", "= refundId"))
    driver, pi, target_key = created(SOURCE, target)
    assert migrate(driver, pi, target_key, ("A", "A")).rejection is None
    (deleted,) = driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED")
    assert deleted.value["messageName"] == "cancel"
    opened = driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "CREATED")[-1]
    assert (opened.value["messageName"], opened.value["correlationKey"]) == ("refund", "r-9")
    driver.publish("refund", "r-9")
    assert driver.job("cancelled")["processDefinitionKey"] == target_key


def test_the_evaluated_message_name_is_compared() -> None:
    """Zeebe compares the evaluated message name: a FEEL name giving "cancel" is rejected too."""
    target = with_message_boundary("order2", "m2", Message('= "can" + "cel"', "= refundId"))
    driver, pi, target_key = created(SOURCE, target)
    rejection = rejected(migrate(driver, pi, target_key, ("A", "A")))
    assert "already subscribed to with name 'cancel'" in rejection.reason
