"""`canceling` user task listeners where the terminated user task sits in a scope that waits
for it (Zeebe 8.8): the flow scope, a multi-instance body, a call activity's called instance
and an event subprocess go on only once the task is CANCELED and its element TERMINATED, as
after any termination (spec 4.2)."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, flow
from test_engine_task_listeners import LINT_REASON, finish, listeners
from test_engine_task_listeners_canceling import (
    MESSAGE,
    UT,
    intents,
    started,
    terminated,
    user_task,
)

from zeebe.records import ValueType

pytestmark = [pytest.mark.unit, pytest.mark.bpmnlint_exempt(reason=LINT_REASON)]


def deployed(process_id: str, body: str, variables: dict[str, object]) -> tuple[Driver, int]:
    """A driver with one process deployed and an instance of it."""
    driver = Driver()
    result = driver.deploy(bpmn(process_id, body, extra=MESSAGE))
    assert result.rejection is None, result.rejection
    return driver, driver.create(process_id, variables)


def test_a_terminate_end_event_completes_the_scope_after_the_canceling_listeners() -> None:
    """A terminate end event terminates its siblings (spec 4.2); the process completes once the
    user task's canceling listener is done."""
    body = (
        '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
        + user_task(("canceling", "notify"))
        + '<bpmn:endEvent id="t"><bpmn:terminateEventDefinition/></bpmn:endEvent>'
        + chain("s", "fork", "approve")
        + flow("ft", "fork", "t")
    )
    driver, pi = deployed("terminating", body, {})
    assert driver.active(pi) == [("approve", "ELEMENT_TERMINATING")]
    assert not driver.is_completed(pi)
    finish(driver, driver.job("notify")["key"])
    assert intents(driver)[-1] == "CANCELED"
    assert driver.is_completed(pi)


def test_a_multi_instance_body_completes_after_the_canceling_listeners() -> None:
    """A fulfilled completion condition terminates the remaining inner instances; the body
    completes once their canceling listeners are done."""
    loop = (
        "<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics"
        ' inputCollection="= items" inputElement="item"/></bpmn:extensionElements>'
        "<bpmn:completionCondition>= numberOfCompletedInstances &gt;= 1</bpmn:completionCondition>"
        "</bpmn:multiInstanceLoopCharacteristics>"
    )
    task = (
        '<bpmn:userTask id="approve"><bpmn:extensionElements><zeebe:userTask />'
        f"{listeners(('canceling', 'notify'))}</bpmn:extensionElements>{loop}</bpmn:userTask>"
    )
    body = '<bpmn:startEvent id="s"/>' + task + '<bpmn:endEvent id="e"/>'
    driver, pi = deployed("reviews", body + chain("s", "approve", "e"), {"items": [1, 2]})
    first = driver.events(UT, "CREATED")[0].key
    assert driver.send(UT, "COMPLETE", {}, key=first).rejection is None
    assert ("approve", "ELEMENT_TERMINATING") in driver.active(pi)
    assert not driver.is_completed(pi)
    finish(driver, driver.job("notify")["key"])
    assert intents(driver)[-1] == "CANCELED"
    assert driver.is_completed(pi)


def test_a_call_activity_waits_for_the_canceling_listeners_of_its_called_instance() -> None:
    """Terminating a call activity terminates the called instance (spec 4.2); as in Zeebe the
    call activity is TERMINATED only after the called instance, which waits for its task's
    canceling listeners, and the calling instance after it."""
    driver, standalone = started(("canceling", "notify"))
    call = (
        '<bpmn:callActivity id="call"><bpmn:extensionElements>'
        '<zeebe:calledElement processId="approval"/></bpmn:extensionElements></bpmn:callActivity>'
    )
    parent = '<bpmn:startEvent id="ps"/>' + call + '<bpmn:endEvent id="pe"/>'
    assert driver.deploy(bpmn("order", parent + chain("ps", "call", "pe"))).rejection is None
    pi = driver.create("order", {"orderId": "o-2"})
    assert driver.cancel(pi).rejection is None
    assert ("call", "ELEMENT_TERMINATING") in driver.element_events(pi)
    assert not terminated(driver, pi)
    finish(driver, driver.job("notify")["key"])
    ends = [
        (r.value["elementId"], r.value["processInstanceKey"] == pi)
        for r in driver.events(ValueType.PROCESS_INSTANCE, "ELEMENT_TERMINATED")
        if r.value["processInstanceKey"] != standalone
    ]
    assert ends == [("approve", False), ("approval", False), ("call", True), ("order", True)]
    # only the standalone approval instance `started` created is left
    left = {i.process_instance_key for i in driver.engine.state.instances.values()}
    assert left == {standalone}


def test_an_interrupting_event_subprocess_starts_after_the_canceling_listeners() -> None:
    """An interrupting event subprocess terminates the scope's other elements first (spec 4.2);
    it starts once the user task is CANCELED."""
    subprocess = (
        '<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="es">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent><bpmn:endEvent id="ee"/>'
        + flow("fe", "es", "ee")
        + "</bpmn:subProcess>"
    )
    body = '<bpmn:startEvent id="s"/>' + user_task(("canceling", "notify"))
    body += '<bpmn:endEvent id="e"/>' + chain("s", "approve", "e") + subprocess
    driver = Driver()
    assert driver.deploy(bpmn("approval", body, extra=MESSAGE)).rejection is None
    pi = driver.create("approval", {"orderId": "o-1"})
    driver.publish("withdrawn", "o-1")
    assert driver.active(pi) == [("approve", "ELEMENT_TERMINATING")]
    finish(driver, driver.job("notify")["key"])
    assert intents(driver)[-1] == "CANCELED"
    assert driver.completed(pi) == ["s", "es", "ee", "esp", "approval"]


def test_canceling_the_instance_while_a_boundary_event_waits_drops_the_boundary_event() -> None:
    """An interrupting boundary event waits for the task's termination; when the instance is
    canceled meanwhile, the task is not terminated again (no second CANCELING) and the
    boundary event never starts: its flow scope is terminating (Zeebe: the event trigger is
    only taken while the flow scope is active)."""
    driver, pi = started(("canceling", "notify"), boundary="message")
    driver.publish("withdrawn", "o-1")
    assert driver.cancel(pi).rejection is None
    assert intents(driver).count("CANCELING") == 1
    finish(driver, driver.job("notify")["key"])
    assert terminated(driver, pi)
    assert "b" not in [element for element, _ in driver.element_events(pi)]
