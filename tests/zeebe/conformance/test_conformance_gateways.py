"""Exclusive, parallel and inclusive gateways (spec 4.2)."""

from __future__ import annotations

import pytest
from conformance_support import Gateway, scope_variables
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def exclusive(*, with_default: bool) -> bytes:
    builder = (
        ProcessBuilder("conf-gw")
        .start()
        .exclusive_gateway("gw")
        .condition("= amount > 10")
        .end("big")
        .move_to("gw")
        .condition("= amount > 100")
        .end("huge")
    )
    if with_default:
        builder.move_to("gw").default_flow().end("small")
    return builder.to_xml()


async def test_exclusive_takes_the_first_true_condition_in_xml_order(gateway: Gateway) -> None:
    """Spec 4.2: "evaluates the `conditionExpression` values in BPMN XML order and takes the first
    sequence flow whose condition is fulfilled"."""
    await gateway.deploy(exclusive(with_default=True))
    key = await gateway.start("conf-gw", {"amount": 500})
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("gw", "big")
    assert gateway.element_keys(key, "huge", "ELEMENT_COMPLETED") == []


async def test_exclusive_takes_the_default_when_nothing_matches(gateway: Gateway) -> None:
    """Spec 4.2: "If no condition is fulfilled, the process instance takes the default flow." """
    await gateway.deploy(exclusive(with_default=True))
    key = await gateway.start("conf-gw", {"amount": 1})
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("gw", "small")


async def test_exclusive_without_match_or_default_raises_incident_resolved_by_variables(
    gateway: Gateway,
) -> None:
    """Spec 4.2: "If no condition is fulfilled and the gateway has no default flow, an incident is
    created." Spec 2.5: "fix via SetVariables on the incident's element instance, then
    ResolveIncident"."""
    await gateway.deploy(exclusive(with_default=False))
    key = await gateway.start("conf-gw", {"amount": 1})
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "CONDITION_ERROR"
    assert incident.value["elementId"] == "gw"
    request = pb.SetVariablesRequest(elementInstanceKey=key, variables='{"amount": 50}')
    await gateway.stub.SetVariables(request)
    assert gateway.wait(lambda rs: scope_variables(rs, key).get("amount") == 50)
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    gateway.engine.assert_that(key).is_completed().has_passed_elements_in_order("gw", "big")


async def test_non_boolean_condition_is_an_incident(gateway: Gateway) -> None:
    """Spec 2.5 incidents: "A condition doesn't return `true` or `false`." (null included)."""
    await gateway.deploy(exclusive(with_default=True))
    key = await gateway.start("conf-gw")
    assert gateway.wait_incident(key).value["errorType"] == "CONDITION_ERROR"


async def test_parallel_join_waits_for_every_incoming_flow(gateway: Gateway) -> None:
    """Spec 4.2: "The process instance waits at the parallel gateway until each incoming sequence
    is taken." """
    xml = (
        ProcessBuilder("conf-gw")
        .start()
        .parallel_gateway("fork")
        .service_task("a", type="conf.a")
        .parallel_gateway("join")
        .end()
        .move_to("fork")
        .service_task("b", type="conf.b")
        .connect_to("join")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-gw")
    await gateway.complete(await gateway.activate_one("conf.a"))
    gateway.engine.assert_that(key).has_passed_elements_in_order("a")
    assert gateway.element_keys(key, "join", "ELEMENT_COMPLETED") == []
    await gateway.complete(await gateway.activate_one("conf.b"))
    gateway.engine.assert_that(key).is_completed()
    assert len(gateway.element_keys(key, "join", "ELEMENT_COMPLETED")) == 1


@pytest.mark.bpmnlint_exempt(
    reason="implicit split and implicit end are the documented behaviour under test"
)
async def test_implicit_split_takes_all_outgoing_flows_of_a_task(gateway: Gateway) -> None:
    """Spec 2.4: "The element then completes and takes **all** its outgoing flows (implicit
    parallel split)." """
    xml = (
        ProcessBuilder("conf-gw")
        .start()
        .service_task("t", type="conf.t")
        .end("e1")
        .move_to("t")
        .end("e2")
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-gw")
    await gateway.complete(await gateway.activate_one("conf.t"))
    gateway.engine.assert_that(key).is_completed()
    assert gateway.element_keys(key, "e1", "ELEMENT_COMPLETED")
    assert gateway.element_keys(key, "e2", "ELEMENT_COMPLETED")


def inclusive() -> bytes:
    return (
        ProcessBuilder("conf-gw")
        .start()
        .inclusive_gateway("fork")
        .condition("= a")
        .service_task("ta", type="conf.a")
        .inclusive_gateway("join")
        .end()
        .move_to("fork")
        .condition("= b")
        .service_task("tb", type="conf.b")
        .connect_to("join")
        .move_to("fork")
        .default_flow()
        .connect_to("join")
        .to_xml()
    )


async def test_inclusive_takes_every_true_flow_and_joins_them(gateway: Gateway) -> None:
    """Spec 4.2: "The process instance takes all sequence flows where the condition is fulfilled";
    converging "completes when All incoming sequence flows have been taken" (that can be)."""
    await gateway.deploy(inclusive())
    key = await gateway.start("conf-gw", {"a": True, "b": True})
    await gateway.complete(await gateway.activate_one("conf.a"))
    assert gateway.element_keys(key, "join", "ELEMENT_COMPLETED") == []
    await gateway.complete(await gateway.activate_one("conf.b"))
    gateway.engine.assert_that(key).is_completed()
    assert len(gateway.element_keys(key, "join", "ELEMENT_COMPLETED")) == 1


async def test_inclusive_join_does_not_wait_for_untaken_flows(gateway: Gateway) -> None:
    """Spec 4.2: converging completes when "No path exists from any active flow node to the
    inclusive gateway"."""
    await gateway.deploy(inclusive())
    key = await gateway.start("conf-gw", {"a": True, "b": False})
    await gateway.complete(await gateway.activate_one("conf.a"))
    gateway.engine.assert_that(key).is_completed()
    assert gateway.element_keys(key, "tb", "ELEMENT_ACTIVATED") == []


async def test_inclusive_takes_default_only_when_nothing_matches(gateway: Gateway) -> None:
    """Spec 4.2: inclusive "optional default flow"; taken when no condition is true."""
    await gateway.deploy(inclusive())
    key = await gateway.start("conf-gw", {"a": False, "b": False})
    gateway.engine.assert_that(key).is_completed()
    assert gateway.element_keys(key, "ta", "ELEMENT_ACTIVATED") == []
