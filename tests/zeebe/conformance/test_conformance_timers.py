"""Timers on the controllable clock (spec 9.1, 9.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from conformance_support import Gateway, element_events

from zeebe.testing.bpmn_builder import ProcessBuilder, Timer

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

HOUR_MS = 3_600_000


def triggered(gateway: Gateway, key: int, element_id: str) -> int:
    return sum(
        1
        for r in element_events(gateway.records(), key)
        if r.value.get("elementId") == element_id and r.intent == "ELEMENT_COMPLETED"
    )


def catch(timer: Timer) -> bytes:
    return (
        ProcessBuilder("conf-timer").start().intermediate_catch("wait", event=timer).end().to_xml()
    )


async def test_duration_timer_never_fires_early(gateway: Gateway) -> None:
    """Spec 9.2: "timers will never trigger earlier than the due date"; PT1H."""
    await gateway.deploy(catch(Timer.duration("PT1H")))
    key = await gateway.start("conf-timer")
    gateway.engine.assert_that(key).is_waiting_at("wait")
    gateway.engine.advance(HOUR_MS - 1)
    assert triggered(gateway, key, "wait") == 0
    gateway.engine.advance(1)
    gateway.engine.assert_that(key).is_completed()


async def test_duration_expression_is_evaluated_on_entering(gateway: Gateway) -> None:
    """Spec 9.2: timers may be expressions (`= remainingTime`) resulting in a duration string."""
    await gateway.deploy(catch(Timer.duration("= remaining")))
    key = await gateway.start("conf-timer", {"remaining": "PT10S"})
    gateway.engine.advance(10_000)
    gateway.engine.assert_that(key).is_completed()


async def test_zero_duration_fires_immediately(gateway: Gateway) -> None:
    """Spec 9.2: "If the duration is zero or negative, the timer fires immediately." """
    await gateway.deploy(catch(Timer.duration("PT0S")))
    key = await gateway.start("conf-timer")
    gateway.engine.advance(0)
    gateway.engine.assert_that(key).is_completed()


async def test_date_timer_fires_at_the_date(gateway: Gateway) -> None:
    """Spec 9.2: timeDate "ISO 8601 combined date and time ... with timezone"."""
    assert gateway.engine.clock is not None
    due = dt.datetime.fromtimestamp(gateway.engine.clock() / 1000, dt.UTC) + dt.timedelta(hours=2)
    await gateway.deploy(catch(Timer.date(due.replace(microsecond=0).isoformat())))
    key = await gateway.start("conf-timer")
    gateway.engine.advance(HOUR_MS)
    assert triggered(gateway, key, "wait") == 0
    gateway.engine.advance(HOUR_MS)
    gateway.engine.assert_that(key).is_completed()


@pytest.mark.bpmnlint_exempt(
    reason="camunda-compat rejects a timeDate without a zone, which Zeebe documents as UTC"
)
async def test_date_without_zone_is_utc(gateway: Gateway) -> None:
    """Spec 9.2: "If you don't specify a timezone then Camunda interprets the time as UTC"."""
    assert gateway.engine.clock is not None
    due = dt.datetime.fromtimestamp(gateway.engine.clock() / 1000, dt.UTC) + dt.timedelta(hours=1)
    naive = due.replace(microsecond=0, tzinfo=None).isoformat()
    await gateway.deploy(catch(Timer.date(naive)))
    key = await gateway.start("conf-timer")
    gateway.engine.advance(HOUR_MS - 1_000)
    assert triggered(gateway, key, "wait") == 0
    gateway.engine.advance(1_000)
    gateway.engine.assert_that(key).is_completed()


async def test_timer_expression_of_wrong_type_is_an_incident(gateway: Gateway) -> None:
    """Spec 9.2: "Wrong type -> incident ("A timer expression doesn't return the expected
    type")"."""
    await gateway.deploy(catch(Timer.duration("= remaining")))
    key = await gateway.start("conf-timer", {"remaining": 42})
    assert gateway.wait_incident(key).value["errorType"] == "EXTRACT_VALUE_ERROR"


def boundary_process(timer: Timer, *, interrupting: bool) -> bytes:
    return (
        ProcessBuilder("conf-timer")
        .start()
        .service_task("task", type="conf.timer")
        .end()
        .boundary("tick", attached_to="task", event=timer, interrupting=interrupting)
        .end("tick_end")
        .to_xml()
    )


async def test_non_interrupting_cycle_fires_its_repetitions_only(gateway: Gateway) -> None:
    """Spec 9.1: cycle "with repetitions greater than zero, it schedules the timer again until the
    defined number of repetitions is reached"; R3/PT1S fires three times."""
    await gateway.deploy(boundary_process(Timer.cycle("R3/PT1S"), interrupting=False))
    key = await gateway.start("conf-timer")
    gateway.engine.assert_that(key).is_waiting_at("task")
    for expected in (1, 2, 3, 3):
        gateway.engine.advance(1_000)
        assert gateway.wait(lambda rs, n=expected: _count(rs, key, "tick") >= n)
        assert triggered(gateway, key, "tick") == expected
    gateway.engine.assert_that(key).is_waiting_at("task")


def _count(records: list, key: int, element_id: str) -> int:  # type: ignore[type-arg]
    return sum(
        1
        for r in element_events(records, key)
        if r.value.get("elementId") == element_id and r.intent == "ELEMENT_COMPLETED"
    )


async def test_non_interrupting_duration_fires_once(gateway: Gateway) -> None:
    """Spec 9.1: "a non-interrupting timer boundary event that's defined with a time duration will
    only trigger a single time"."""
    await gateway.deploy(boundary_process(Timer.duration("PT1S"), interrupting=False))
    key = await gateway.start("conf-timer")
    gateway.engine.assert_that(key).is_waiting_at("task")
    gateway.engine.advance(1_000)
    assert gateway.wait(lambda rs: _count(rs, key, "tick") == 1)
    gateway.engine.advance(5_000)
    assert triggered(gateway, key, "tick") == 1


async def test_interrupting_timer_terminates_the_task_and_cancels_its_job(
    gateway: Gateway,
) -> None:
    """Spec 9.1: "When the corresponding timer is triggered, the activity is terminated"; spec 2.1
    "the job is canceled"."""
    await gateway.deploy(boundary_process(Timer.duration("PT1M"), interrupting=True))
    key = await gateway.start("conf-timer")
    gateway.engine.assert_that(key).is_waiting_at("task")
    gateway.engine.advance(60_000)
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("tick", "tick_end")
    assert await gateway.activate("conf.timer") == []


async def test_timer_of_a_completed_task_is_cancelled(gateway: Gateway) -> None:
    """Spec 5.5/9.1: boundary subscriptions close when the activity is left."""
    await gateway.deploy(boundary_process(Timer.duration("PT1M"), interrupting=True))
    key = await gateway.start("conf-timer")
    await gateway.complete(await gateway.activate_one("conf.timer"))
    gateway.engine.assert_that(key).is_completed()
    gateway.engine.advance(120_000)
    assert triggered(gateway, key, "tick") == 0


async def test_timer_start_event_creates_instances_per_cycle(gateway: Gateway) -> None:
    """Spec 9.1: timer start event with a cycle creates a new instance each time it triggers."""
    xml = (
        ProcessBuilder("conf-timer-start")
        .start(event=Timer.cycle("R2/PT1M"))
        .service_task("task", type="conf.tstart")
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    gateway.engine.advance(60_000)
    assert (
        len(await gateway.activate("conf.tstart", request_timeout_ms=1_000, timeout_ms=HOUR_MS))
        == 1
    )
    gateway.engine.advance(60_000)
    assert (
        len(await gateway.activate("conf.tstart", request_timeout_ms=1_000, timeout_ms=HOUR_MS))
        == 1
    )
    gateway.engine.advance(60_000)
    assert await gateway.activate("conf.tstart") == []
