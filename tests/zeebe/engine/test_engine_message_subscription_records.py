"""MESSAGE_SUBSCRIPTION twin records: Zeebe writes a MESSAGE_SUBSCRIPTION (message side) beside
each PROCESS_MESSAGE_SUBSCRIPTION (process side): CREATED, CORRELATED, DELETED (spec 5.5)."""

from __future__ import annotations

import pytest
from engine_support import Driver
from test_engine_messages import catch_process, deployed
from test_engine_replay import replayed

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def intents(driver: Driver, value_type: ValueType) -> list[str]:
    return [r.intent for r in driver.events(value_type)]


def test_opening_a_subscription_writes_message_subscription_created() -> None:
    """CREATED on both sides, with the message name and correlation key."""
    driver = deployed(catch_process())
    pi = driver.create("wait", {"orderId": "o-1"})
    (twin,) = driver.events(ValueType.MESSAGE_SUBSCRIPTION, "CREATED")
    assert twin.value["messageName"] == "paid"
    assert twin.value["correlationKey"] == "o-1"
    assert twin.value["processInstanceKey"] == pi


def test_correlation_writes_message_subscription_correlated() -> None:
    """CORRELATED on the message side names the correlated message."""
    driver = deployed(catch_process())
    driver.create("wait", {"orderId": "o-1"})
    published = driver.publish("paid", "o-1")
    assert published.response is not None
    (twin,) = driver.events(ValueType.MESSAGE_SUBSCRIPTION, "CORRELATED")
    assert twin.value["messageKey"] == published.response["key"]


def test_closing_a_subscription_writes_message_subscription_deleted() -> None:
    """Canceling the waiting instance deletes the subscription on both sides; the process side
    writes CREATING and DELETING first, as Zeebe's ProcessMessageSubscription intents."""
    driver = deployed(catch_process())
    pi = driver.create("wait", {"orderId": "o-1"})
    driver.cancel(pi)
    assert intents(driver, ValueType.MESSAGE_SUBSCRIPTION) == ["CREATED", "DELETED"]
    assert intents(driver, ValueType.PROCESS_MESSAGE_SUBSCRIPTION) == [
        "CREATING",
        "CREATED",
        "DELETING",
        "DELETED",
    ]


def test_twin_records_do_not_change_replayed_state() -> None:
    """The twins are informational: replay still rebuilds the same state."""
    driver = deployed(catch_process())
    driver.create("wait", {"orderId": "o-1"})
    driver.create("wait", {"orderId": "o-2"})
    driver.publish("paid", "o-1")
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
