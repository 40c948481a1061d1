"""Harness assertions read Zeebe-shaped records (DESIGN 3 'A test harness ... assertions')."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zeebe.records import Record, RecordType, ValueType
from zeebe.runtime.exporters import InMemoryExporter
from zeebe.testing.assertions import assert_that

pytestmark = pytest.mark.unit

PI = 2251799813685249


def event(value_type: ValueType, intent: str, key: int, **value: Any) -> Record:
    return Record(
        position=0,
        key=key,
        record_type=RecordType.EVENT,
        value_type=value_type,
        intent=intent,
        timestamp=0,
        value={"processInstanceKey": PI, **value},
    )


def element(intent: str, key: int, element_id: str) -> Record:
    element_type = "PROCESS" if key == PI else "SERVICE_TASK"
    return event(
        ValueType.PROCESS_INSTANCE, intent, key, elementId=element_id, bpmnElementType=element_type
    )


def source(*records: Record) -> InMemoryExporter:
    exporter = InMemoryExporter()
    exporter.export(list(records))
    return exporter


RUN = [
    element("ELEMENT_ACTIVATED", PI, "order"),
    element("ELEMENT_ACTIVATED", 11, "start"),
    element("ELEMENT_COMPLETED", 11, "start"),
    element("ELEMENT_ACTIVATED", 12, "pay"),
    element("ELEMENT_COMPLETED", 12, "pay"),
    element("ELEMENT_ACTIVATED", 13, "ship"),
]


def test_completed_instance_passes() -> None:
    """is_completed holds once the process element itself completed."""
    assert_that(PI, source(*RUN, element("ELEMENT_COMPLETED", PI, "order"))).is_completed()


def test_running_instance_is_not_completed_and_says_where_it_waits() -> None:
    """A failing assertion explains the state (passed elements, waiting elements)."""
    with pytest.raises(AssertionError, match=r"waiting=\['ship'\]"):
        assert_that(PI, source(*RUN), timeout_s=0.05).is_completed()


def test_passed_elements_in_order_allows_gaps_but_not_reordering() -> None:
    """has_passed_elements_in_order checks a subsequence of completed elements."""
    assert_that(PI, source(*RUN)).has_passed_elements_in_order("start", "pay")
    with pytest.raises(AssertionError):
        assert_that(PI, source(*RUN), timeout_s=0.05).has_passed_elements_in_order("pay", "start")


def test_waiting_at_an_activated_element() -> None:
    """is_waiting_at holds for activated, not yet completed element instances."""
    assert_that(PI, source(*RUN)).is_waiting_at("ship")
    with pytest.raises(AssertionError):
        assert_that(PI, source(*RUN), timeout_s=0.05).is_waiting_at("pay")


def test_incident_with_message_and_resolution() -> None:
    """has_incident sees open incidents only, matching on errorMessage."""
    created = event(ValueType.INCIDENT, "CREATED", 99, errorMessage="No more retries left.")
    assert_that(PI, source(*RUN, created)).has_incident("retries")
    resolved = event(ValueType.INCIDENT, "RESOLVED", 99, errorMessage="No more retries left.")
    with pytest.raises(AssertionError):
        assert_that(PI, source(*RUN, created, resolved), timeout_s=0.05).has_incident()


def test_variables_are_read_from_root_scope_json() -> None:
    """VARIABLE records carry JSON text; the latest value per name in the root scope counts."""
    records = [
        event(ValueType.VARIABLE, "CREATED", 1, name="total", value="10", scopeKey=PI),
        event(ValueType.VARIABLE, "UPDATED", 1, name="total", value="12.5", scopeKey=PI),
        event(ValueType.VARIABLE, "CREATED", 2, name="local", value='"x"', scopeKey=12),
        event(ValueType.VARIABLE, "CREATED", 3, name="items", value=json.dumps([1]), scopeKey=PI),
    ]
    assert_that(PI, source(*records)).has_variables({"total": 12.5, "items": [1]})
    with pytest.raises(AssertionError, match="expected variables"):
        assert_that(PI, source(*records), timeout_s=0.05).has_variables({"local": "x"})


def test_instance_may_be_given_as_a_client_response() -> None:
    """assert_that accepts pyzeebe responses (process_instance_key attribute)."""

    class Response:
        process_instance_key = PI

    assert assert_that(Response(), source()).key == PI


def test_assertion_waits_for_records_arriving_later() -> None:
    """Workers run concurrently: an assertion waits up to its timeout for the state."""
    import threading

    exporter = source(*RUN)
    later = threading.Timer(0.05, exporter.export, [[element("ELEMENT_COMPLETED", PI, "order")]])
    later.start()
    assert_that(PI, exporter, timeout_s=2).is_completed()
    later.join()
