"""Gateways, subprocesses and end events (spec 4.2)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

pytestmark = pytest.mark.unit


def exclusive(default: bool = True) -> bytes:
    default_attr = ' default="f_low"' if default else ""
    return bpmn(
        "xor",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:exclusiveGateway id="g"{default_attr}/>'
        '<bpmn:endEvent id="big"/><bpmn:endEvent id="mid"/>'
        + ('<bpmn:endEvent id="low"/>' if default else "")
        + flow("f_s", "s", "g")
        + flow("f_big", "g", "big", "= amount &gt; 100")
        + flow("f_mid", "g", "mid", "= amount &gt; 10")
        + (flow("f_low", "g", "low") if default else ""),
    )


@pytest.mark.parametrize(("amount", "taken"), [(500, "big"), (50, "mid"), (5, "low")])
def test_exclusive_gateway_takes_first_true_condition_else_default(amount: int, taken: str) -> None:
    """Spec 4.2: conditions in XML order, first fulfilled wins, otherwise the default flow."""
    driver = Driver()
    assert driver.deploy(exclusive()).rejection is None
    pi = driver.create("xor", {"amount": amount})
    assert driver.completed(pi) == ["s", "g", taken, "xor"]


def test_exclusive_gateway_without_match_raises_condition_incident() -> None:
    """Spec 4.2: no condition fulfilled and no default flow -> incident."""
    driver = Driver()
    assert driver.deploy(exclusive(default=False)).rejection is None
    pi = driver.create("xor", {"amount": 1})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "CONDITION_ERROR"
    assert incident["errorMessage"] == (
        "Expected at least one condition to evaluate to true, or to have a default flow"
    )
    assert driver.active(pi) == [("g", "ELEMENT_ACTIVATING")]
    driver.set_variables(pi, {"amount": 1000})
    driver.resolve(incident["key"])
    assert driver.completed(pi) == ["s", "g", "big", "xor"]


def test_non_boolean_condition_raises_incident() -> None:
    """Spec 2.5: a condition that does not return true or false raises an incident."""
    driver = Driver()
    driver.deploy(exclusive())
    driver.create("xor", {"amount": "many"})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "CONDITION_ERROR"
    assert "to be 'BOOLEAN', but was 'NULL'" in incident["errorMessage"]


def parallel() -> bytes:
    return bpmn(
        "par",
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + service_task("a", "a")
        + service_task("b", "b")
        + '<bpmn:parallelGateway id="join"/><bpmn:endEvent id="e"/>'
        + flow("f1", "s", "fork")
        + flow("f2", "fork", "a")
        + flow("f3", "fork", "b")
        + flow("f4", "a", "join")
        + flow("f5", "b", "join")
        + flow("f6", "join", "e"),
    )


def test_parallel_gateway_forks_and_joins() -> None:
    """Spec 4.2: a fork takes all flows; the join waits until each incoming flow was taken."""
    driver = Driver()
    assert driver.deploy(parallel()).rejection is None
    pi = driver.create("par")
    assert sorted(driver.active(pi)) == [("a", "ELEMENT_ACTIVATED"), ("b", "ELEMENT_ACTIVATED")]
    driver.complete(driver.job("a")["key"])
    assert "join" not in driver.completed(pi)
    assert driver.active(pi) == [("b", "ELEMENT_ACTIVATED")]
    driver.complete(driver.job("b")["key"])
    assert driver.completed(pi)[-3:] == ["join", "e", "par"]
    assert driver.completed(pi).count("join") == 1


@pytest.mark.bpmnlint_exempt(
    reason="implicit split and implicit end are the documented behaviour under test"
)
def test_implicit_split_takes_all_outgoing_flows() -> None:
    """Spec 2.4: an element takes all its outgoing flows; the scope ends after both paths."""
    xml = bpmn(
        "split",
        '<bpmn:startEvent id="s"/>'
        + service_task("a", "a")
        + service_task("b", "b")
        + flow("f1", "s", "a")
        + flow("f2", "s", "b"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("split")
    driver.complete(driver.job("a")["key"])
    assert not driver.is_completed(pi)
    driver.complete(driver.job("b")["key"])
    assert driver.is_completed(pi)


def test_terminate_end_event_terminates_the_scope() -> None:
    """Spec 4.2: a terminate end event terminates all instances in its flow scope; the process
    instance then completes."""
    xml = bpmn(
        "term",
        '<bpmn:startEvent id="s"/>'
        + '<bpmn:parallelGateway id="fork"/>'
        + service_task("a", "a")
        + '<bpmn:endEvent id="e"/>'
        + '<bpmn:endEvent id="t"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + chain("s", "fork", "a", "e")
        + flow("f2", "fork", "t"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("term")
    events = driver.element_events(pi)
    assert ("a", "ELEMENT_TERMINATED") in events
    assert events[-1] == ("term", "ELEMENT_COMPLETED")
    assert driver.activate("a") == []


def test_embedded_subprocess_runs_its_start_event_and_completes() -> None:
    """Spec 4.2: an embedded subprocess starts at its none start event and completes when its
    inner paths end."""
    xml = bpmn(
        "sub",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
        + service_task("inner", "inner")
        + '<bpmn:endEvent id="se"/>'
        + chain("ss", "inner", "se")
        + '</bpmn:subProcess><bpmn:endEvent id="e"/>'
        + chain("s", "sp", "e"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("sub")
    job = driver.job("inner")
    sub_key = next(r.key for r in driver.records if r.value.get("elementId") == "sp")
    assert driver.engine.state.instances[job["elementInstanceKey"]].flow_scope_key == sub_key
    driver.complete(job["key"])
    assert driver.completed(pi) == ["s", "ss", "inner", "se", "sp", "e", "sub"]


def test_script_task_evaluates_feel_and_sets_result_variable() -> None:
    """Spec 4.2: a FEEL script task is evaluated by the engine into its result variable."""
    xml = bpmn(
        "script",
        '<bpmn:startEvent id="s"/><bpmn:scriptTask id="calc"><bpmn:extensionElements>'
        '<zeebe:script expression="= a * 2" resultVariable="doubled"/>'
        '</bpmn:extensionElements></bpmn:scriptTask><bpmn:endEvent id="e"/>'
        + chain("s", "calc", "e"),
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("script", {"a": 21})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi) == {"a": 21, "doubled": 42}
