"""Ad-hoc subprocesses (spec 4.2: "ad-hoc subprocess (marker shown as implemented in 8.7)";
spec 6: `zeebe:adHoc activeElementsCollection` selects the inner elements to activate)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, service_task
from engine_support import started as start
from test_engine_replay import replayed

pytestmark = pytest.mark.unit


def ad_hoc(collection: str | None, inner: str = "") -> bytes:
    """start -> adhoc{pick, skip, extra...} -> end."""
    attribute = f' activeElementsCollection="{collection}"' if collection is not None else ""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:adHocSubProcess id="adhoc"><bpmn:extensionElements>'
        f"<zeebe:adHoc{attribute}/></bpmn:extensionElements>"
        + service_task("pick", "pick")
        + service_task("skip", "skip")
        + inner
        + '</bpmn:adHocSubProcess><bpmn:endEvent id="e"/>'
        + chain("s", "adhoc", "e")
    )
    return bpmn("adhoc-p", body)


def started(xml: bytes, variables: dict[str, object] | None = None) -> tuple[Driver, int]:
    return start(xml, "adhoc-p", variables)


def test_listed_elements_are_activated_and_others_not() -> None:
    """Only the elements named by activeElementsCollection are activated."""
    driver, pi = started(ad_hoc("= [&quot;pick&quot;]"))
    assert sorted(e for e, _ in driver.active(pi)) == ["adhoc", "pick"]
    assert driver.incidents() == []


def test_subprocess_completes_when_no_inner_element_is_active() -> None:
    """ "After the last element is completed, the process instance completes the ad-hoc
    subprocess and takes the outgoing sequence flows"."""
    driver, pi = started(ad_hoc("= [&quot;pick&quot;]"))
    driver.complete(int(driver.job("pick")["key"]))
    assert driver.is_completed(pi)
    assert driver.completed(pi)[-3:] == ["adhoc", "e", "adhoc-p"]


def test_collection_from_a_variable_activates_several_elements() -> None:
    """The expression usually reads a variable holding the element ids."""
    driver, pi = started(ad_hoc("= tools"), {"tools": ["pick", "skip"]})
    assert sorted(e for e, _ in driver.active(pi)) == ["adhoc", "pick", "skip"]


def test_without_collection_nothing_is_activated_and_it_remains_active() -> None:
    """ "If the list is empty or the expression is not defined, no element is activated and the
    ad-hoc sub-process remains active" (docs 8.7 and 8.8, Activate an element)."""
    driver, pi = started(ad_hoc(None))
    assert [element for element, _ in driver.active(pi)] == ["adhoc"]
    assert not driver.is_completed(pi)


def test_empty_collection_activates_nothing_and_it_remains_active() -> None:
    """An empty list activates nothing either; the subprocess waits (it is not completed)."""
    driver, pi = started(ad_hoc("= []"))
    assert [element for element, _ in driver.active(pi)] == ["adhoc"]


def test_unknown_element_id_raises_an_incident() -> None:
    """An id that is no inner element cannot be activated: EXTRACT_VALUE_ERROR incident."""
    driver, _ = started(ad_hoc("= [&quot;nope&quot;]"))
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert "'nope'" in incident["errorMessage"]


def test_non_list_result_raises_an_incident() -> None:
    """The expression must give a list of strings (Zeebe's AdHocSubProcessTest
    shouldCreateIncidentIfActiveElementsIsNull / ...IsNoListOfStrings texts)."""
    driver, _ = started(ad_hoc("= 5"))
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Failed to activate ad-hoc elements. Expected result of the expression '5' to be "
        "'ARRAY', but was 'NUMBER'."
    )
    driver, _ = started(ad_hoc("= [1]"))
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Failed to activate ad-hoc elements. Expected result of the expression '[1]' to be "
        "'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one "
        "non-'STRING' item."
    )


def test_inner_sequence_flows_are_followed() -> None:
    """Elements connected by a sequence flow inside run as a structured sequence."""
    inner = service_task("next", "next") + chain("pick", "next")
    driver, pi = started(ad_hoc("= [&quot;pick&quot;]", inner))
    driver.complete(int(driver.job("pick")["key"]))
    assert not driver.is_completed(pi)
    driver.complete(int(driver.job("next")["key"]))
    assert driver.is_completed(pi)


def test_element_with_incoming_flow_cannot_be_activated() -> None:
    """Only inner elements without incoming sequence flows are ad-hoc activities (Zeebe's
    AdHocSubProcessTransformer); the others run only as part of a sequence."""
    inner = service_task("next", "next") + chain("pick", "next")
    driver, _ = started(ad_hoc("= [&quot;next&quot;]", inner))
    (incident,) = driver.incidents()
    assert incident["errorMessage"] == (
        "Failed to activate ad-hoc elements. No BPMN elements found with ids: 'next'."
    )


def test_start_event_inside_is_rejected_at_deploy() -> None:
    """Constraint: an ad-hoc subprocess "Must not have start events or end events" (Zeebe's
    AdHocSubProcessValidator: "Must not contain a start event.")."""
    xml = ad_hoc(None, '<bpmn:startEvent id="inner"/>')
    result = Driver().deploy(xml)
    assert result.rejection is not None
    assert "Must not contain a start event." in result.rejection.reason


def test_cancel_terminates_the_inner_elements() -> None:
    """Canceling the instance terminates the subprocess and its active elements."""
    driver, pi = started(ad_hoc("= [&quot;pick&quot;]"))
    driver.cancel(pi)
    assert driver.active(pi) == []


def test_replay_gives_same_state() -> None:
    """Replaying the log rebuilds the same state."""
    driver, _ = started(ad_hoc("= tools"), {"tools": ["pick", "skip"]})
    driver.complete(int(driver.job("skip")["key"]))
    assert replayed(driver.records, driver).state.snapshot() == driver.engine.state.snapshot()
