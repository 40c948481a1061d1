"""Spec audit (h54), section 5.2: scopes, propagation and local variables per element kind."""

from __future__ import annotations

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain, flow, service_task
from zeebe.records import ValueType

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


MESSAGE = (
    '<bpmn:message id="m" name="paid"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="=key"/></bpmn:extensionElements></bpmn:message>'
)
SIGNAL = '<bpmn:signal id="sg" name="go"/>'


def _root_keys(driver: Driver) -> list[int]:
    return [
        r.key
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_ACTIVATED")
        if r.value["bpmnElementType"] == "PROCESS"
    ]


def test_a_start_event_output_mapping_propagates_only_the_mapped_payload() -> None:
    """Spec 5.2: start events propagate "The correlated event payload ..., or the mapped
    variables if an output mapping is defined"."""
    driver = Driver()
    body = (
        '<bpmn:startEvent id="s"><bpmn:extensionElements><zeebe:ioMapping>'
        '<zeebe:output source="=p" target="mapped"/></zeebe:ioMapping></bpmn:extensionElements>'
        '<bpmn:messageEventDefinition messageRef="sm"/></bpmn:startEvent><bpmn:endEvent id="e"/>'
    )
    driver.deploy(bpmn("ps", body + chain("s", "e"), '<bpmn:message id="sm" name="start"/>'))
    driver.publish("start", "", variables={"p": 1, "q": 2})
    [root] = _root_keys(driver)
    assert driver.written_variables(root) == {"mapped": 1}


def test_signal_payloads_propagate_from_start_and_catch_events() -> None:
    """Spec 5.2: start/intermediate catch events propagate "The correlated event payload
    (message, signal, timer, or conditional)"."""
    driver = Driver()
    driver.deploy(
        bpmn(
            "started",
            '<bpmn:startEvent id="s"><bpmn:signalEventDefinition signalRef="sg"/></bpmn:startEvent>'
            '<bpmn:endEvent id="e"/>' + chain("s", "e"),
            SIGNAL,
        ),
        bpmn(
            "waits",
            '<bpmn:startEvent id="s"/><bpmn:intermediateCatchEvent id="c">'
            '<bpmn:signalEventDefinition signalRef="sg"/></bpmn:intermediateCatchEvent>'
            '<bpmn:endEvent id="e"/>' + chain("s", "c", "e"),
            SIGNAL,
        ),
    )
    waiting = driver.create("waits")
    driver.send(ValueType.SIGNAL, "BROADCAST", {"signalName": "go", "variables": {"v": 1}})
    started = [k for k in _root_keys(driver) if k != waiting]
    assert driver.written_variables(waiting) == {"v": 1}
    assert [driver.written_variables(k) for k in started] == [{"v": 1}]


def test_an_event_gateway_catch_payload_merges_from_the_flow_scope() -> None:
    """Spec 5.2 [E]: "for ... event-based-gateway catch events the event variables were stored as
    locals of the event instance and are then merged from the flow scope" - a same-named local
    of the enclosing subprocess takes the value; the rest reaches the root."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:extensionElements>'
        '<zeebe:ioMapping><zeebe:input source="=0" target="p"/></zeebe:ioMapping>'
        '</bpmn:extensionElements><bpmn:startEvent id="ss"/><bpmn:eventBasedGateway id="g"/>'
        '<bpmn:intermediateCatchEvent id="c"><bpmn:messageEventDefinition messageRef="m"/>'
        '</bpmn:intermediateCatchEvent><bpmn:intermediateCatchEvent id="later">'
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration>"
        '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent><bpmn:endEvent id="se"/>'
        '<bpmn:endEvent id="se2"/>'
        + chain("ss", "g")
        + flow("f_g_c", "g", "c")
        + flow("f_g_later", "g", "later")
        + flow("f_c_se", "c", "se")
        + flow("f_later_se2", "later", "se2")
        + '</bpmn:subProcess><bpmn:endEvent id="e"/>'
        + chain("s", "sp", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body, MESSAGE))
    key = driver.create("p", {"key": "a"})
    driver.publish("paid", "a", variables={"p": 1, "q": 2})
    assert driver.is_completed(key)
    assert driver.written_variables(key) == {"key": "a", "q": 2}


def test_subprocess_output_mappings_propagate_locals() -> None:
    """Spec 5.3: Subprocess: "output mappings can be used to propagate local variables of the
    subprocess to higher scopes. By default, all local variables are removed when the scope is
    left"."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:extensionElements>'
        '<zeebe:ioMapping><zeebe:input source="=5" target="local"/>'
        '<zeebe:output source="=local * 2" target="out"/></zeebe:ioMapping>'
        '</bpmn:extensionElements><bpmn:startEvent id="ss"/><bpmn:endEvent id="se"/>'
        + chain("ss", "se")
        + '</bpmn:subProcess><bpmn:endEvent id="e"/>'
        + chain("s", "sp", "e")
    )
    driver = Driver()
    driver.deploy(bpmn("p", body))
    key = driver.create("p")
    assert driver.written_variables(key) == {"out": 10}


def test_event_subprocess_mappings_and_start_payload() -> None:
    """Spec 5.3: input mappings apply to "event subprocesses"; spec 5.2: event subprocesses
    propagate "Nothing by default ... unless an output mapping propagates them", while the start
    event's payload propagates like any catch event's."""
    body = (
        '<bpmn:startEvent id="s"/>'
        + service_task("t", "w")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "t", "e")
        + '<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:extensionElements>'
        '<zeebe:ioMapping><zeebe:input source="=3" target="local"/>'
        '<zeebe:output source="=local + 1" target="out"/></zeebe:ioMapping>'
        '</bpmn:extensionElements><bpmn:startEvent id="es" isInterrupting="false">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent><bpmn:endEvent id="ee"/>'
        + flow("f_es_ee", "es", "ee")
        + "</bpmn:subProcess>"
    )
    driver = Driver()
    driver.deploy(bpmn("p", body, MESSAGE))
    key = driver.create("p", {"key": "a"})
    driver.publish("paid", "a", variables={"m": 1})
    assert driver.written_variables(key) == {"key": "a", "m": 1, "out": 4}
