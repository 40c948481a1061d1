"""Multi-instance activities (spec 4.2 "Multi-instance")."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def mi_task(sequential: bool = False, condition: str | None = None, boundary: str = "") -> Driver:
    seq = ' isSequential="true"' if sequential else ""
    completion = (
        f"<bpmn:completionCondition>{condition}</bpmn:completionCondition>" if condition else ""
    )
    xml = bpmn(
        "mi",
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="item"/></bpmn:extensionElements>'
        f"<bpmn:multiInstanceLoopCharacteristics{seq}><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="= items" inputElement="item" '
        'outputCollection="results" outputElement="= result"/></bpmn:extensionElements>'
        f"{completion}</bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask>"
        + boundary
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e"),
    )
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver


def test_parallel_multi_instance_runs_one_job_per_item() -> None:
    """Parallel is the default: one inner instance per input element, all at once; each sees
    its inputElement and loopCounter (from 1)."""
    driver = mi_task()
    pi = driver.create("mi", {"items": ["a", "b", "c"]})
    jobs = driver.activate("item")
    assert [(j["variables"]["item"], j["variables"]["loopCounter"]) for j in jobs] == [
        ("a", 1),
        ("b", 2),
        ("c", 3),
    ]
    bodies = [
        r
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["bpmnElementType"] == "MULTI_INSTANCE_BODY"
    ]
    assert len(bodies) == 1
    for job in reversed(jobs):
        driver.complete(job["key"], {"result": job["variables"]["item"].upper()})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["results"] == ["A", "B", "C"]


def test_sequential_multi_instance_runs_items_one_after_another() -> None:
    """isSequential: the next inner instance starts when the previous one completed."""
    driver = mi_task(sequential=True)
    pi = driver.create("mi", {"items": [1, 2]})
    first = driver.activate("item")
    assert [j["variables"]["item"] for j in first] == [1]
    driver.complete(first[0]["key"], {"result": 10})
    second = driver.activate("item")
    assert [j["variables"]["item"] for j in second] == [2]
    driver.complete(second[0]["key"], {"result": 20})
    assert driver.written_variables(pi)["results"] == [10, 20]


def test_empty_collection_skips_the_activity() -> None:
    """An empty input collection completes the body at once with an empty output collection."""
    driver = mi_task()
    pi = driver.create("mi", {"items": []})
    assert driver.is_completed(pi)
    assert driver.written_variables(pi)["results"] == []


def test_non_array_collection_raises_incident() -> None:
    """The input collection must evaluate to an array."""
    driver = mi_task()
    driver.create("mi", {"items": "nope"})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    assert "to be 'ARRAY', but was 'STRING'" in incident["errorMessage"]


def test_completion_condition_terminates_remaining_instances() -> None:
    """The completion condition is checked after each inner completion."""
    driver = mi_task(condition="= numberOfCompletedInstances &gt;= 1")
    pi = driver.create("mi", {"items": [1, 2, 3]})
    jobs = driver.activate("item")
    driver.complete(jobs[0]["key"], {"result": 1})
    assert driver.is_completed(pi)
    assert len(driver.events(ValueType.JOB, "CANCELED")) == 2


def test_boundary_event_belongs_to_the_body() -> None:
    """An interrupting boundary event terminates the body with all its instances; the output
    collection is not propagated."""
    boundary = (
        '<bpmn:boundaryEvent id="b" attachedToRef="t"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition>"
        '</bpmn:boundaryEvent><bpmn:endEvent id="late"/>' + flow("fl", "b", "late")
    )
    driver = mi_task(boundary=boundary)
    pi = driver.create("mi", {"items": [1, 2]})
    assert len(driver.events(ValueType.TIMER, "CREATED")) == 1
    driver.advance(60_000)
    assert driver.completed(pi)[-3:] == ["b", "late", "mi"]
    assert "results" not in driver.written_variables(pi)
