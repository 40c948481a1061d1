"""Incidents (spec 2.5, Appendix B): created on model-level failures, resolved by command."""

from __future__ import annotations

import pytest
from engine_support import ONE_TASK, Driver, bpmn, chain, service_task

from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def failing_input() -> Driver:
    inputs = (
        '<zeebe:ioMapping><zeebe:input source="= assert(x, x != null)" target="y"/>'
        "</zeebe:ioMapping>"
    )
    xml = bpmn(
        "io",
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "t", inputs)
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    return driver


def test_input_mapping_failure_is_an_incident_with_full_value() -> None:
    """Appendix B: the element stays ACTIVATING; the incident names element, scope and instance."""
    driver = failing_input()
    pi = driver.create("io")
    (incident,) = driver.incidents()
    task_key = next(k for k, i in driver.engine.state.instances.items() if i.element_id == "t")
    assert {k: incident[k] for k in (
        "errorType", "bpmnProcessId", "processInstanceKey", "elementId", "elementInstanceKey",
        "jobKey", "variableScopeKey", "tenantId",
    )} == {
        "errorType": "IO_MAPPING_ERROR", "bpmnProcessId": "io", "processInstanceKey": pi,
        "elementId": "t", "elementInstanceKey": task_key, "jobKey": -1,
        "variableScopeKey": task_key, "tenantId": "<default>",
    }  # fmt: skip
    assert driver.active(pi) == [("t", "ELEMENT_ACTIVATING")]
    assert driver.activate("t") == []


def test_resolving_without_fixing_creates_a_new_incident() -> None:
    """Spec 2.5: "If the problem still exists, a new incident is created."."""
    driver = failing_input()
    driver.create("io")
    first = driver.incidents()[0]["key"]
    assert driver.resolve(first).rejection is None
    (second,) = driver.incidents()
    assert second["key"] != first
    assert len(driver.events(ValueType.INCIDENT, "RESOLVED")) == 1


def test_fix_variables_then_resolve_continues_the_instance() -> None:
    """Spec 2.5: fix via SetVariables, then ResolveIncident; the process instance continues."""
    driver = failing_input()
    pi = driver.create("io")
    driver.set_variables(pi, {"x": 7})
    driver.resolve(driver.incidents()[0]["key"])
    assert driver.incidents() == []
    assert driver.job("t")["variables"]["y"] == 7


def test_resolve_unknown_incident_is_not_found() -> None:
    """ResolveIncident: NOT_FOUND when there is no such incident."""
    rejection = Driver().resolve(12).rejection
    assert rejection is not None and rejection.type is RejectionType.NOT_FOUND
    assert (
        rejection.reason
        == "Expected to resolve incident with key '12', but no such incident was found"
    )


def test_cancel_resolves_open_incidents() -> None:
    """Spec 2.1: terminating an element resolves its incidents."""
    driver = Driver()
    driver.deploy(ONE_TASK)
    pi = driver.create("one-task")
    driver.fail(driver.job("work")["key"], retries=0)
    assert len(driver.incidents()) == 1
    driver.cancel(pi)
    assert driver.incidents() == []
    assert len(driver.events(ValueType.INCIDENT, "RESOLVED")) == 1
