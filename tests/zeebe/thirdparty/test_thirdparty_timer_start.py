"""Timer start events with FEEL expressions (zeebe-spec §9.1: "Expressions here are evaluated
**at deployment**"). Zeebe's TimerCatchEventExpressionValidator evaluates them without
variables while validating the deployment, so an expression that cannot produce a timer rejects
the resource ("Invalid timer cycle expression (...)") instead of deploying a process whose
start timer silently never exists."""

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
