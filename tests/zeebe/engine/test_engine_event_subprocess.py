"""Event subprocesses (spec 4.2): error, message and timer starts; interrupting or not."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, chain, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit

DEFINITIONS = (
    '<bpmn:error id="declined" errorCode="DECLINED"/>'
    '<bpmn:message id="m" name="cancel"><bpmn:extensionElements>'
    '<zeebe:subscription correlationKey="= orderId"/></bpmn:extensionElements></bpmn:message>'
)


def with_event_subprocess(start: str, interrupting: bool = True, outputs: str = "") -> Driver:
    attr = "" if interrupting else ' isInterrupting="false"'
    extension = f"<bpmn:extensionElements>{outputs}</bpmn:extensionElements>" if outputs else ""
    xml = bpmn(
        "esp",
        '<bpmn:startEvent id="s"/>'
        + service_task("work", "work")
        + '<bpmn:endEvent id="e"/>'
        + chain("s", "work", "e")
        + '<bpmn:subProcess id="handler" triggeredByEvent="true">'
        f'<bpmn:startEvent id="hs"{attr}>{extension}{start}</bpmn:startEvent>'
        + service_task("handle", "handle")
        + '<bpmn:endEvent id="he"/>'
        + chain("hs", "handle", "he")
        + "</bpmn:subProcess>",
        extra=DEFINITIONS,
    )
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver


def test_error_event_subprocess_catches_error_and_interrupts_the_scope() -> None:
    """Spec 2.6/4.2: an error event subprocess catches errors thrown in its scope; the other
    instances of the scope are terminated; the scope completes after the event subprocess."""
    driver = with_event_subprocess("<bpmn:errorEventDefinition/>")
    pi = driver.create("esp", {"orderId": "o"})
    driver.throw(driver.job("work")["key"], "ANY")
    assert ("work", "ELEMENT_TERMINATED") in driver.element_events(pi)
    assert driver.active(pi)[-1] == ("handle", "ELEMENT_ACTIVATED")
    driver.complete(driver.job("handle")["key"])
    assert driver.completed(pi)[-4:] == ["handle", "he", "handler", "esp"]


def test_error_start_output_mappings_see_the_error_variables() -> None:
    """Spec 5.2/5.3: the error variables are the start event's result; outputs map them."""
    outputs = (
        '<zeebe:ioMapping><zeebe:output source="= reason" target="failureReason"/>'
        "</zeebe:ioMapping>"
    )
    driver = with_event_subprocess("<bpmn:errorEventDefinition/>", outputs=outputs)
    pi = driver.create("esp", {"orderId": "o"})
    driver.throw(driver.job("work")["key"], "X", variables={"reason": "stock", "noise": 1})
    assert driver.variables(pi) == {"orderId": "o", "failureReason": "stock"}


def test_non_interrupting_message_event_subprocess_runs_beside_the_scope() -> None:
    """Spec 4.2: a non-interrupting event subprocess can trigger several times; the scope goes on
    and completes only after the triggered instances complete."""
    driver = with_event_subprocess(
        '<bpmn:messageEventDefinition messageRef="m"/>', interrupting=False
    )
    pi = driver.create("esp", {"orderId": "o"})
    driver.publish("cancel", "o")
    driver.publish("cancel", "o")
    handlers = driver.activate("handle")
    assert len(handlers) == 2
    assert ("work", "ELEMENT_ACTIVATED") in driver.active(pi)
    driver.complete(driver.job("work")["key"])
    assert not driver.is_completed(pi)
    for job in handlers:
        driver.complete(job["key"])
    assert driver.is_completed(pi)


def test_interrupting_timer_event_subprocess_terminates_the_scope() -> None:
    """Spec 9.1: an interrupting timer event subprocess fires once and terminates the scope's
    other instances; its subscription is gone afterwards."""
    driver = with_event_subprocess(
        "<bpmn:timerEventDefinition><bpmn:timeDuration>PT1M</bpmn:timeDuration>"
        "</bpmn:timerEventDefinition>"
    )
    pi = driver.create("esp", {"orderId": "o"})
    driver.advance(60_000)
    assert driver.activate("work") == []
    assert ("work", "ELEMENT_TERMINATED") in driver.element_events(pi)
    driver.complete(driver.job("handle")["key"])
    assert driver.is_completed(pi)


def test_completing_the_scope_closes_event_subprocess_subscriptions() -> None:
    """Spec 5.5: subscriptions close when their scope is left."""
    driver = with_event_subprocess('<bpmn:messageEventDefinition messageRef="m"/>')
    pi = driver.create("esp", {"orderId": "o"})
    driver.complete(driver.job("work")["key"])
    assert driver.is_completed(pi)
    assert len(driver.events(ValueType.PROCESS_MESSAGE_SUBSCRIPTION, "DELETED")) == 1
    assert driver.engine.state.subscriptions == {}


def test_resolved_process_activation_keeps_its_message_start() -> None:
    """Appendix B: resolving re-runs the failed step; a message-started instance whose event
    subprocess subscription failed still starts at its message start event with the payload."""
    xml = bpmn(
        "started",
        '<bpmn:startEvent id="ms"><bpmn:messageEventDefinition messageRef="go"/></bpmn:startEvent>'
        + service_task("work", "work")
        + '<bpmn:endEvent id="e"/>'
        + chain("ms", "work", "e")
        + '<bpmn:subProcess id="handler" triggeredByEvent="true"><bpmn:startEvent id="hs">'
        '<bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent><bpmn:endEvent id="he"/>'
        + chain("hs", "he")
        + "</bpmn:subProcess>",
        extra=DEFINITIONS + '<bpmn:message id="go" name="go"/>',
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    driver.publish("go", "", variables={"payload": 1})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    pi = incident["processInstanceKey"]
    driver.set_variables(pi, {"orderId": "o"})
    assert driver.resolve(incident["key"]).rejection is None
    assert driver.job("work")["variables"] == {"orderId": "o", "payload": 1}


def test_subprocess_interrupted_by_its_event_subprocess_can_still_be_interrupted() -> None:
    """A subprocess running an interrupting event subprocess is terminated by its own
    interrupting boundary event; the boundary path continues, nothing else starts."""
    xml = bpmn(
        "nested-esp",
        '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
        + service_task("work", "work")
        + '<bpmn:endEvent id="se"/>'
        + chain("ss", "work", "se")
        + '<bpmn:subProcess id="handler" triggeredByEvent="true"><bpmn:startEvent id="hs">'
        "<bpmn:errorEventDefinition/></bpmn:startEvent>"
        + service_task("handle", "handle")
        + '<bpmn:endEvent id="he"/>'
        + chain("hs", "handle", "he")
        + "</bpmn:subProcess></bpmn:subProcess>"
        '<bpmn:boundaryEvent id="timeout" attachedToRef="sp"><bpmn:timerEventDefinition>'
        "<bpmn:timeDuration>PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>"
        '<bpmn:endEvent id="e"/><bpmn:endEvent id="late"/>'
        + chain("s", "sp", "e")
        + chain("timeout", "late"),
        extra=DEFINITIONS,
    )
    driver = Driver()
    assert driver.deploy(xml).rejection is None
    pi = driver.create("nested-esp")
    driver.throw(driver.job("work")["key"], "X")
    assert driver.activate("handle", max_jobs=1)
    driver.advance(60_000)
    assert driver.completed(pi)[-3:] == ["timeout", "late", "nested-esp"]
    assert driver.engine.state.instances == {}
