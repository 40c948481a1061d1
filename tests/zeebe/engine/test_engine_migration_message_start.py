"""Process instance migration of an instance started by a message (camunda/camunda Zeebe 8.8
`ProcessInstanceMigrationPreconditions.requireNoStartEventInstanceForTargetProcess`): message
start events allow only one active instance per bpmn process id and correlation key (Camunda 8
docs, messages: "Message correlation ... a message is not correlated to a message start event
if an instance of the process is active that was created by a message with the same
correlation key"). A migration that changes the process id to one with a message start event
is rejected with INVALID_STATE while that process id already runs an instance started with the
same correlation key; the check comes right after the target definition is found.
"""

from __future__ import annotations

import pytest
from engine_support import Driver
from test_engine_migration import deployed_key, migrate, rejected

from zeebe.records import RejectionType, ValueType
from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = pytest.mark.unit


def message_started(process_id: str, message: str, *, with_none_start: bool = False) -> bytes:
    """A message start event `message` -> A (type "a") -> end; optionally a none start too."""
    builder = ProcessBuilder(process_id).start("by_message", event=Message(message))
    builder.service_task("A", type="a").end()
    if with_none_start:
        builder.start("plain").connect_to("A")
    return builder.to_xml()


def started_by(driver: Driver, message: str, correlation_key: str) -> int:
    """Publish a message that starts an instance; its process instance key."""
    before = len(driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING"))
    assert driver.publish(message, correlation_key).rejection is None
    activating = driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATING")[before:]
    return int(activating[0].value["processInstanceKey"])


def two_processes(driver: Driver) -> int:
    """Deploy "order" (message "order-placed") and "order2" (message "order-placed-2"):
    the target definition key."""
    deployed_key(driver, message_started("order", "order-placed"), "order.bpmn")
    return deployed_key(driver, message_started("order2", "order-placed-2"), "order2.bpmn")


def test_target_process_with_an_instance_of_the_same_correlation_key_is_rejected() -> None:
    """INVALID_STATE with Zeebe's text naming the target definition key and the key."""
    driver = Driver()
    target = two_processes(driver)
    pi = started_by(driver, "order-placed", "o-1")
    started_by(driver, "order-placed-2", "o-1")
    rejection = rejected(migrate(driver, pi, target, ("A", "A")))
    assert rejection.type is RejectionType.INVALID_STATE
    assert rejection.reason == (
        f"Expected to migrate process instance '{pi}' but target process definition "
        f"'{target}' has an active instance triggered by a message start event with "
        "correlation key 'o-1'. Only one instance per correlation key is allowed for message "
        "start events."
    )
    assert driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_MIGRATED") == []


def test_the_check_comes_before_the_mapping_instructions_are_checked() -> None:
    """Zeebe checks the correlation key before the mapped elements exist: an unknown element
    id is not what the rejection reports."""
    driver = Driver()
    target = two_processes(driver)
    pi = started_by(driver, "order-placed", "o-1")
    started_by(driver, "order-placed-2", "o-1")
    rejection = rejected(migrate(driver, pi, target, ("A", "missing")))
    assert "correlation key 'o-1'" in rejection.reason


def test_another_correlation_key_is_migrated() -> None:
    """An active target instance with another correlation key does not block."""
    driver = Driver()
    target = two_processes(driver)
    pi = started_by(driver, "order-placed", "o-1")
    started_by(driver, "order-placed-2", "o-2")
    assert migrate(driver, pi, target, ("A", "A")).rejection is None


def test_a_completed_target_instance_no_longer_blocks() -> None:
    """Only an active instance of the target process id holds the correlation key."""
    driver = Driver()
    target = two_processes(driver)
    pi = started_by(driver, "order-placed", "o-1")
    other = started_by(driver, "order-placed-2", "o-1")
    (job,) = [j for j in driver.activate("a") if j["processInstanceKey"] == other]
    driver.complete(job["key"])
    assert driver.is_completed(other)
    assert migrate(driver, pi, target, ("A", "A")).rejection is None


def test_same_process_id_is_not_checked() -> None:
    """ "no need to check correlation key cardinality since bpmn process id will not change":
    a new version of the same process is a valid target."""
    driver = Driver()
    deployed_key(driver, message_started("order", "order-placed"), "v1.bpmn")
    pi = started_by(driver, "order-placed", "o-1")
    target = deployed_key(driver, message_started("order", "order-placed-v2"), "v2.bpmn")
    assert migrate(driver, pi, target, ("A", "A")).rejection is None


def test_instance_created_without_a_message_is_not_checked() -> None:
    """An instance created by CreateProcessInstance has no correlation key to keep unique."""
    driver = Driver()
    deployed_key(driver, message_started("order", "m1", with_none_start=True), "v1.bpmn")
    target = deployed_key(driver, message_started("order2", "m2"), "v2.bpmn")
    started_by(driver, "m2", "o-1")
    pi = driver.create("order")
    assert migrate(driver, pi, target, ("A", "A")).rejection is None
