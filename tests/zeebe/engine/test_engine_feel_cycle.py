"""Timer cycles from Zeebe's FEEL function `cycle(...)` (docs "Timer events": a timer cycle
may be an expression such as `=cycle(duration("PT1H"))`, the ISO 8601 text `R/PT1H`)."""

from __future__ import annotations

import pytest
from engine_support import START_TIME, Driver, bpmn, chain, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit


def cycle_start(cycle: str) -> bytes:
    return bpmn(
        "tick",
        '<bpmn:startEvent id="start"><bpmn:timerEventDefinition>'
        f"<bpmn:timeCycle>{cycle}</bpmn:timeCycle></bpmn:timerEventDefinition></bpmn:startEvent>"
        + service_task("t", "t")
        + '<bpmn:endEvent id="e"/>'
        + chain("start", "t", "e"),
    )


def test_timer_start_event_with_feel_cycle_deploys_and_fires_every_interval() -> None:
    """`=cycle(duration("PT1S"))` is `R/PT1S`: the start event fires every second, forever."""
    driver = Driver()
    assert driver.deploy(cycle_start('=cycle(duration("PT1S"))')).rejection is None
    (timer,) = driver.events(ValueType.TIMER, "CREATED")
    assert timer.value["dueDate"] == START_TIME + 1_000
    for _ in range(3):
        driver.advance(1_000)
    assert len(driver.activate("t")) == 3


def test_timer_start_event_with_counted_feel_cycle_fires_that_many_times() -> None:
    """`cycle(2, duration)` is `R2/...`: two instances, then the timer is done."""
    driver = Driver()
    assert driver.deploy(cycle_start('=cycle(2, duration("PT1M"))')).rejection is None
    for _ in range(4):
        driver.advance(60_000)
    assert len(driver.activate("t")) == 2
