"""Engine time: FEEL `now()`, zoned dates, cron cycles and timer start events across versions
(spec 7, 9.1, 9.2, and the clock-control model of spec 9.2 "PUT /v2/clock")."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from conformance_support import Gateway, element_events

from zeebe.testing.bpmn_builder import ProcessBuilder, Timer

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

HOUR_MS = 3_600_000


def completed(gateway: Gateway, key: int, element_id: str) -> int:
    return sum(
        1
        for r in element_events(gateway.records(), key)
        if r.value.get("elementId") == element_id and r.intent == "ELEMENT_COMPLETED"
    )


def engine_now(gateway: Gateway) -> dt.datetime:
    assert gateway.engine.clock is not None
    return dt.datetime.fromtimestamp(gateway.engine.clock() / 1000, dt.UTC)


async def test_feel_now_follows_the_engine_clock(gateway: Gateway) -> None:
    """Spec 9.2: the clock endpoints "control engine time"; a timer date computed with FEEL
    `now()` must be relative to that time, not the wall clock."""
    gateway.engine.advance(10 * HOUR_MS)
    due = '= now() + duration("PT1H")'
    xml = ProcessBuilder("conf-clock").start().intermediate_catch("c", event=Timer.date(due))
    await gateway.deploy(xml.end().to_xml())
    key = await gateway.start("conf-clock")
    gateway.engine.assert_that(key).is_waiting_at("c")
    gateway.engine.advance(HOUR_MS - 1_000)
    assert completed(gateway, key, "c") == 0
    gateway.engine.advance(1_000)
    gateway.engine.assert_that(key).is_completed()


@pytest.mark.bpmnlint_exempt(
    reason="camunda-compat rejects a timeDate with an IANA zone id, which Zeebe documents as valid"
)
async def test_time_date_with_iana_zone(gateway: Gateway) -> None:
    """Spec 9.2: timeDate "Optionally, it can contain an IANA zone id", e.g.
    `2019-10-02T08:09:40[Europe/Berlin]`."""
    local = (engine_now(gateway) + dt.timedelta(hours=2)).astimezone(ZoneInfo("Europe/Berlin"))
    # zone id only: "Offset and zone id together -> outcome is undefined"
    text = local.replace(tzinfo=None, microsecond=0).isoformat() + "[Europe/Berlin]"
    xml = ProcessBuilder("conf-clock").start().intermediate_catch("c", event=Timer.date(text))
    await gateway.deploy(xml.end().to_xml())
    key = await gateway.start("conf-clock")
    gateway.engine.advance(HOUR_MS)
    assert completed(gateway, key, "c") == 0
    gateway.engine.advance(HOUR_MS)
    gateway.engine.assert_that(key).is_completed()


async def test_duration_may_be_a_feel_duration_value(gateway: Gateway) -> None:
    """Spec 9.2: the evaluation "must result in either a `string` ... or an equivalent temporal
    value (i.e. a date-time, a duration, or a cycle)"."""
    timer = Timer.duration('= duration("PT5S")')
    xml = ProcessBuilder("conf-clock").start().intermediate_catch("c", event=timer).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-clock")
    gateway.engine.advance(5_000)
    gateway.engine.assert_that(key).is_completed()


async def test_cron_cycle_on_a_boundary(gateway: Gateway) -> None:
    """Spec 9.2: cycles may be cron expressions (Spring, 6 fields incl. seconds); `0 0 * * * *`
    fires at the top of every hour."""
    xml = (
        ProcessBuilder("conf-clock")
        .start()
        .service_task("t", type="conf.cron")
        .end()
        .boundary("tick", attached_to="t", event=Timer.cycle("0 0 * * * *"), interrupting=False)
        .end("tick_end")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-clock")
    gateway.engine.assert_that(key).is_waiting_at("t")
    gateway.engine.advance(HOUR_MS)  # crosses exactly one top of the hour
    assert gateway.wait(lambda rs: _ticks(rs, key) == 1)
    gateway.engine.advance(HOUR_MS)
    assert gateway.wait(lambda rs: _ticks(rs, key) == 2)
    gateway.engine.assert_that(key).is_waiting_at("t")


def _ticks(records: list, key: int) -> int:  # type: ignore[type-arg]
    return sum(
        1
        for r in element_events(records, key)
        if r.value.get("elementId") == "tick" and r.intent == "ELEMENT_COMPLETED"
    )


async def test_timer_start_event_of_a_replaced_version_stops(gateway: Gateway) -> None:
    """Spec 9.1: "Scheduled timers of the previous version of the process (based on the BPMN
    process ID) are canceled." """
    for job_type in ("conf.v1", "conf.v2"):
        xml = ProcessBuilder("conf-clock-start").start(event=Timer.cycle("R/PT1M"))
        await gateway.deploy(xml.service_task("t", type=job_type).end().to_xml())
    gateway.engine.advance(60_000)
    assert len(await gateway.activate("conf.v2", request_timeout_ms=2_000)) == 1
    assert await gateway.activate("conf.v1") == []
