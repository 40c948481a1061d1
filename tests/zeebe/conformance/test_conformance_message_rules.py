"""Message cardinality rules within one instance and across versions (spec 5.5)."""

from __future__ import annotations

import pytest
from conformance_support import Gateway, element_events

from zeebe.testing.bpmn_builder import Message, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


async def test_two_subscriptions_of_one_instance_get_the_message_once(gateway: Gateway) -> None:
    """Spec 5.5: "If multiple subscriptions for the same process are opened (by multiple process
    instances or within one instance), the message is correlated only to one of the
    subscriptions." """
    xml = (
        ProcessBuilder("conf-card")
        .start()
        .parallel_gateway("fork")
        .intermediate_catch("c1", event=Message("m", "= k"))
        .end("e1")
        .move_to("fork")
        .intermediate_catch("c2", event=Message("m", "= k"))
        .end("e2")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-card", {"k": "a"})
    gateway.engine.assert_that(key).is_waiting_at("c1", "c2")
    await gateway.publish("m", "a")
    assert gateway.wait(lambda rs: _completed(rs, key, "c1") + _completed(rs, key, "c2") == 1)
    gateway.engine.advance(1_000)
    assert _completed(gateway.records(), key, "c1") + _completed(gateway.records(), key, "c2") == 1


def _completed(records: list, key: int, element_id: str) -> int:  # type: ignore[type-arg]
    return sum(
        1
        for r in element_events(records, key)
        if r.value.get("elementId") == element_id and r.intent == "ELEMENT_COMPLETED"
    )


async def test_same_buffered_message_is_not_correlated_twice_to_one_instance(
    gateway: Gateway,
) -> None:
    """Spec 5.5: "the engine also remembers which message keys were correlated to a process
    instance and never correlates the same message twice to that instance (a *different* message
    with same name+key can be)"."""
    xml = (
        ProcessBuilder("conf-card")
        .start()
        .exclusive_gateway("join")
        .intermediate_catch("c", event=Message("m", "= k"))
        .service_task("t", type="conf.card")
        .exclusive_gateway("again")
        .condition("= loop")
        .connect_to("join")
        .move_to("again")
        .default_flow()
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-card", {"k": "a", "loop": True})
    await gateway.publish("m", "a", ttl_ms=60_000)
    await gateway.complete(await gateway.activate_one("conf.card"))
    gateway.engine.assert_that(key).is_waiting_at("c")
    assert await gateway.activate("conf.card") == []
    await gateway.publish("m", "a", ttl_ms=60_000, variables={"loop": False})
    await gateway.complete(await gateway.activate_one("conf.card", request_timeout_ms=2_000))
    gateway.engine.assert_that(key).is_completed()


async def test_message_start_event_starts_the_latest_version_only(gateway: Gateway) -> None:
    """Spec 5.5: "Message subscriptions of the previous version of the process (based on the BPMN
    process ID) are closed." """
    for job_type in ("conf.v1", "conf.v2"):
        xml = ProcessBuilder("conf-card-start").start(event=Message("go"))
        await gateway.deploy(xml.service_task("t", type=job_type).end().to_xml())
    await gateway.publish("go", "")
    assert len(await gateway.activate("conf.v2", request_timeout_ms=2_000)) == 1
    assert await gateway.activate("conf.v1") == []
