"""Top-level start events are opened at deployment, without any variables (zeebe-spec §9.1:
timer start expressions "are evaluated **at deployment**"; §5.5 message start events). Zeebe's
deployment validators (TimerCatchEventExpressionValidator, ProcessMessageStartEventMessageName-
Validator, ProcessSignalStartEventSignalNameValidator) evaluate them then, and a start event that
cannot be opened rejects the resource instead of deploying a process that can never start."""

from __future__ import annotations

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain
from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def _timer_start(kind: str, value: str) -> bytes:
    start = (
        f'<bpmn:startEvent id="tick"><bpmn:timerEventDefinition><bpmn:{kind}>{value}'
        f"</bpmn:{kind}></bpmn:timerEventDefinition></bpmn:startEvent>"
    )
    return bpmn("timed", start + '<bpmn:endEvent id="end"/>' + chain("tick", "end"))


@pytest.mark.parametrize(
    ("kind", "value", "label"),
    [
        ("timeCycle", "=cycleFromVariables", "cycle"),
        ("timeDate", "=startDate", "date"),
        ("timeCycle", "=&quot;every day&quot;", "cycle"),
    ],
)
def test_start_timer_expression_that_yields_no_timer_rejects_the_deployment(
    kind: str, value: str, label: str
) -> None:
    """§9.1: a start timer has no variable context; a variable reference is null there and an
    unparsable string is no cycle, so Zeebe rejects the resource at deployment."""
    result = Driver().deploy(_timer_start(kind, value))
    assert result.rejection is not None
    assert result.rejection.reason.startswith(
        "Expected to deploy new resources, but encountered the following errors:\n"
        "'p0.bpmn': - Element: tick\n"
        f"    - ERROR: Invalid timer {label} expression ("
    )


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("timeCycle", "=&quot;R/PT1H&quot;"),
        ("timeDate", '=now() + duration("PT1H")'.replace('"', "&quot;")),
    ],
)
def test_start_timer_expression_without_variables_deploys_and_schedules(
    kind: str, value: str
) -> None:
    """Expressions that need no variables are evaluated at deployment and open the timer."""
    driver = Driver()
    result = driver.deploy(_timer_start(kind, value))
    assert result.rejection is None, result.rejection
    assert len(driver.events(ValueType.TIMER, "CREATED")) == 1


def _named_start(definition: str, root: str) -> bytes:
    start = f'<bpmn:startEvent id="begin">{definition}</bpmn:startEvent>'
    body = start + '<bpmn:endEvent id="end"/>' + chain("begin", "end")
    return bpmn("named", body, extra=root)


@pytest.mark.parametrize(
    ("definition", "root", "message"),
    [
        (
            '<bpmn:messageEventDefinition messageRef="m"/>',
            '<bpmn:message id="m" name="=orderId"/>',
            "Expected constant expression of type String for message name '=orderId', but was NULL",
        ),
        (
            '<bpmn:messageEventDefinition messageRef="m"/>',
            '<bpmn:message id="m" name="=42"/>',
            "Expected constant expression of type String for message name '=42', but was NUMBER",
        ),
        (
            '<bpmn:signalEventDefinition signalRef="s"/>',
            '<bpmn:signal id="s" name="=region"/>',
            "Expected constant expression of type String for signal name '=region', but was NULL",
        ),
    ],
)
def test_message_and_signal_start_names_must_be_constant_strings(
    definition: str, root: str, message: str
) -> None:
    """Zeebe's ProcessMessageStartEventMessageNameValidator / ProcessSignalStartEvent...: the
    name of a process's message or signal start event is evaluated without variables and must
    be a string."""
    result = Driver().deploy(_named_start(definition, root))
    assert result.rejection is not None
    assert result.rejection.reason.endswith(
        f"'p0.bpmn': - Element: begin\n    - ERROR: {message}\n"
    )


def test_constant_feel_message_start_name_deploys() -> None:
    """A FEEL expression without variables (`="order-" + "placed"`) is a constant name."""
    root = '<bpmn:message id="m" name="=&quot;order-&quot; + &quot;placed&quot;"/>'
    driver = Driver()
    result = driver.deploy(_named_start('<bpmn:messageEventDefinition messageRef="m"/>', root))
    assert result.rejection is None, result.rejection
    subscription = driver.events(ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "CREATED")[0]
    assert subscription.value["messageName"] == "order-placed"
