"""AD_HOC_SUB_PROCESS_INSTRUCTION ACTIVATE (8.8 "ad-hoc sub-process API to activate elements
manually"; Zeebe's AdHocSubProcessInstructionActivateProcessor checks and texts)."""

from __future__ import annotations

from typing import Any

import pytest
from engine_support import Driver, bpmn, chain, service_task
from test_engine_replay import replayed

from zeebe.engine.api import CommandResult
from zeebe.records import RejectionType, ValueType

pytestmark = pytest.mark.unit


def model(collection: str | None = None) -> bytes:
    """start -> adhoc{a, b, c -> d} -> end; a has a boundary timer -> remind."""
    attribute = f' activeElementsCollection="{collection}"' if collection else ""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:adHocSubProcess id="adhoc"><bpmn:extensionElements>'
        f"<zeebe:adHoc{attribute}/></bpmn:extensionElements>"
        + service_task("a", "a")
        + service_task("b", "b")
        + service_task("c", "c")
        + service_task("d", "d")
        + chain("c", "d")
        + '<bpmn:boundaryEvent id="late" attachedToRef="a"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition>"
        "</bpmn:boundaryEvent>"
        + service_task("remind", "remind")
        + chain("late", "remind")
        + '</bpmn:adHocSubProcess><bpmn:endEvent id="e"/>'
        + chain("s", "adhoc", "e")
    )
    return bpmn("adhoc-p", body)


def started(collection: str | None = None) -> tuple[Driver, int, int]:
    """A started instance waiting in the ad-hoc subprocess: (driver, pi key, adhoc key)."""
    driver = Driver()
    assert driver.deploy(model(collection)).rejection is None
    pi = driver.create("adhoc-p")
    key = next(i.key for i in driver.engine.state.instances.values() if i.element_id == "adhoc")
    return driver, pi, key


def activate(driver: Driver, key: object, *elements: dict[str, Any]) -> CommandResult:
    value = {"adHocSubProcessInstanceKey": str(key), "activateElements": list(elements)}
    return driver.send(ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "ACTIVATE", value)


def test_elements_are_activated_in_the_waiting_subprocess() -> None:
    """Without activeElementsCollection the subprocess waits; the API activates elements."""
    driver, pi, key = started()
    result = activate(driver, key, {"elementId": "a"}, {"elementId": "c"})
    assert result.rejection is None
    assert sorted(e for e, _ in driver.active(pi)) == ["a", "adhoc", "c"]
    assert result.response is not None
    assert result.response["adHocSubProcessInstanceKey"] == str(key)


def test_activated_event_is_written_under_the_subprocess_key() -> None:
    """ACTIVATED (the command's follow-up event) precedes the activated elements' records."""
    driver, _, key = started()
    activate(driver, key, {"elementId": "b"})
    (event,) = driver.events(ValueType.AD_HOC_SUB_PROCESS_INSTRUCTION, "ACTIVATED")
    assert event.key == key
    assert event.value["activateElements"] == [{"elementId": "b", "variables": {}}]
    later = driver.records[driver.records.index(event) + 1 :]
    assert any(r.value.get("elementId") == "b" for r in later)


def test_variables_are_local_to_the_activated_element() -> None:
    """Each element's `variables` are created in the scope of its new instance."""
    driver, _, key = started()
    activate(driver, key, {"elementId": "a", "variables": {"query": "weather"}})
    job = driver.job("a")
    assert job["variables"]["query"] == "weather"
    assert driver.variables(int(job["elementInstanceKey"])) == {"query": "weather"}


def test_subprocess_completes_when_the_activated_elements_complete() -> None:
    """The ad-hoc subprocess without a completion condition completes when nothing inside is
    active, also for elements activated through the API."""
    driver, pi, key = started()
    activate(driver, key, {"elementId": "b"})
    driver.complete(int(driver.job("b")["key"]))
    assert driver.is_completed(pi)


def test_unknown_instance_is_rejected_not_found() -> None:
    """ "Expected to activate activities for ad-hoc sub-process but no ad-hoc sub-process
    instance found with key '%s'." (NOT_FOUND)."""
    driver, pi, _ = started()
    for key in (123, pi, "abc"):
        result = activate(driver, key, {"elementId": "a"})
        assert result.rejection is not None
        assert result.rejection.type is RejectionType.NOT_FOUND
        assert result.rejection.reason == (
            "Expected to activate activities for ad-hoc sub-process but no ad-hoc sub-process "
            f"instance found with key '{key}'."
        )


def test_duplicate_elements_are_rejected() -> None:
    """ "..., but duplicate activities were given." (INVALID_ARGUMENT)."""
    driver, _, key = started()
    result = activate(driver, key, {"elementId": "a"}, {"elementId": "a"})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_ARGUMENT
    assert result.rejection.reason == (
        f"Expected to activate activities for ad-hoc sub-process with key '{key}', but "
        "duplicate activities were given."
    )


def test_elements_outside_the_subprocess_are_rejected() -> None:
    """ "..., but the given elements %s do not exist." (NOT_FOUND); boundary events and
    elements with incoming sequence flows are no ad-hoc activities; nothing is activated."""
    driver, pi, key = started()
    elements = [{"elementId": element_id} for element_id in ("a", "late", "d", "x")]
    result = activate(driver, key, *elements)
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.NOT_FOUND
    assert result.rejection.reason == (
        f"Expected to activate activities for ad-hoc sub-process with key '{key}', but the "
        "given elements [late, d, x] do not exist."
    )
    assert [e for e, _ in driver.active(pi)] == ["adhoc"]


def test_subprocess_not_active_is_rejected() -> None:
    """ "..., but it is not active." (INVALID_STATE): here it waits on an incident."""
    driver, _, _ = started("= 5")
    key = next(i.key for i in driver.engine.state.instances.values() if i.element_id == "adhoc")
    result = activate(driver, key, {"elementId": "a"})
    assert result.rejection is not None
    assert result.rejection.type is RejectionType.INVALID_STATE
    assert result.rejection.reason == (
        f"Expected to activate activities for ad-hoc sub-process with key '{key}', but it is "
        "not active."
    )


def test_replay_gives_same_state() -> None:
    """Replaying the log rebuilds the same state (activated elements and their variables)."""
    driver, _, key = started()
    activate(driver, key, {"elementId": "c", "variables": {"n": 1}}, {"elementId": "a"})
    driver.complete(int(driver.job("c")["key"]))
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
