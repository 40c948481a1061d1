"""Spec audit (h54), section 5.2: scopes, propagation and local variables per element kind."""

from __future__ import annotations

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain, flow, service_task

pytestmark = pytest.mark.unit

ONE_JOB = bpmn(
    "p",
    '<bpmn:startEvent id="s"/>'
    + service_task("t", "w")
    + '<bpmn:endEvent id="e"/>'
    + chain("s", "t", "e"),
)


def test_an_error_end_event_propagates_nothing_through_output_mappings() -> None:
    """Spec 5.2: "An error end event does not propagate variables through output mappings"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
        '<bpmn:endEvent id="ee"><bpmn:extensionElements><zeebe:ioMapping>'
        '<zeebe:output source="=1" target="x"/></zeebe:ioMapping></bpmn:extensionElements>'
        '<bpmn:errorEventDefinition errorRef="err"/></bpmn:endEvent>'
        + flow("f_ss_ee", "ss", "ee")
        + '</bpmn:subProcess><bpmn:boundaryEvent id="caught" attachedToRef="sp">'
        '<bpmn:errorEventDefinition errorRef="err"/></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="failed"/>'
        + chain("s", "sp", "e")
        + flow("f_caught_failed", "caught", "failed")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body, '<bpmn:error id="err" errorCode="DECLINED"/>'))
    key = driver.create("p")
    assert "caught" in driver.completed(key)
    assert "x" not in driver.written_variables(key)


def test_subprocess_locals_are_discarded_while_job_results_propagate() -> None:
    """Spec 5.2: embedded subprocesses propagate "Nothing by default. Local variables are
    discarded when the subprocess completes" - "Variables written by jobs *inside* the subprocess
    were already propagated upward ... unless the subprocess scope held a same-named local"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:extensionElements>'
        '<zeebe:ioMapping><zeebe:input source="=1" target="local"/></zeebe:ioMapping>'
        '</bpmn:extensionElements><bpmn:startEvent id="ss"/>'
        + service_task("t", "w")
        + '<bpmn:endEvent id="se"/>'
        + chain("ss", "t", "se")
        + '</bpmn:subProcess><bpmn:endEvent id="e"/>'
        + chain("s", "sp", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    key = driver.create("p")
    driver.complete(driver.job("w")["key"], {"result": 1, "local": 2})
    assert driver.is_completed(key)
    assert driver.written_variables(key) == {"result": 1}


def test_multi_instance_pushes_only_its_output_collection() -> None:
    """Spec 5.2: multi-instance propagates "Its output collection, if configured, pushed to the
    parent scope when the loop finishes. The loop counter and per-instance input element stay
    local to each instance"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:serviceTask id="t"><bpmn:extensionElements>'
        '<zeebe:taskDefinition type="w"/></bpmn:extensionElements>'
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements>"
        '<zeebe:loopCharacteristics inputCollection="=items" inputElement="item" '
        'outputCollection="results" outputElement="=res"/></bpmn:extensionElements>'
        '</bpmn:multiInstanceLoopCharacteristics></bpmn:serviceTask><bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    key = driver.create("p", {"items": [1, 2]})
    jobs = driver.activate("w")
    assert [(j["variables"]["item"], j["variables"]["loopCounter"]) for j in jobs] == [
        (1, 1),
        (2, 2),
    ]
    for job in jobs:
        driver.complete(job["key"], {"res": job["variables"]["item"] * 10})
    assert driver.written_variables(key) == {"items": [1, 2], "results": [10, 20]}


def test_set_variables_propagates_unless_local_and_fail_job_variables_are_local() -> None:
    """Spec 5.2: "the propagation ends when a scope contains a variable with the same name ... If
    no scope contains this variable, it's created as a new variable in the root scope"; "Local
    variables ... are created or updated in the given scope" (FailJob variables, SetVariables
    local=true)."""
    driver = Driver()
    driver.deploy(ONE_JOB)
    key = driver.create("p", {"a": 1})
    job = driver.job("w")
    task = int(job["elementInstanceKey"])
    driver.set_variables(task, {"a": 2, "created": 3})
    driver.set_variables(task, {"mine": 4}, local=True)
    driver.fail(job["key"], 2, "boom", variables={"failed": 5})
    assert driver.written_variables(key) == {"a": 2, "created": 3}
    assert driver.written_variables(task) == {"mine": 4, "failed": 5}
