"""Non-job incidents: their types, messages and resolution (spec 2.5, 4.2, 5.3, 9.2)."""

from __future__ import annotations

import pytest
from conformance_support import Gateway, open_incidents, scope_variables
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


async def test_job_type_expression_of_wrong_type_is_an_incident(gateway: Gateway) -> None:
    """Spec 9.3: the expressions "must result in a `string` for the job type"."""
    xml = ProcessBuilder("conf-inc").start().service_task("t", type="= 5").end().to_xml()
    await gateway.deploy(xml)
    key = await gateway.start("conf-inc")
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "EXTRACT_VALUE_ERROR"
    assert incident.value["elementId"] == "t"


async def test_failing_input_mapping_is_io_mapping_error(gateway: Gateway) -> None:
    """Spec 5.3: "Mapping evaluation failures raise an incident (type `IO_MAPPING_ERROR`) on the
    element"; Appendix B "the element stays in ACTIVATING ... until the incident is resolved"."""
    inputs = [("= assert(x, x != null)", "y")]
    xml = ProcessBuilder("conf-inc").start().service_task("t", type="conf.t", inputs=inputs).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-inc")
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "IO_MAPPING_ERROR"
    assert await gateway.activate("conf.t") == []


async def test_resolving_without_a_fix_raises_a_new_incident(gateway: Gateway) -> None:
    """Spec 2.5 [D]: "Mark the incident as resolved, triggering retry process execution. If the
    problem still exists, a new incident is created." """
    inputs = [("= assert(x, x != null)", "y")]
    xml = ProcessBuilder("conf-inc").start().service_task("t", type="conf.t", inputs=inputs).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-inc")
    first = gateway.wait_incident(key)
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=first.key))
    assert gateway.wait(
        lambda rs: [i.key for i in open_incidents(rs, key)] not in ([], [first.key])
    )
    second = gateway.wait_incident(key)
    assert second.key != first.key
    await gateway.stub.SetVariables(
        pb.SetVariablesRequest(elementInstanceKey=key, variables='{"x": 1}')
    )
    assert gateway.wait(lambda rs: scope_variables(rs, key).get("x") == 1)
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=second.key))
    assert len(await gateway.activate("conf.t", request_timeout_ms=2_000)) == 1


async def test_failing_output_mapping_blocks_completion_until_resolved(gateway: Gateway) -> None:
    """Appendix B: "output mappings apply during completion; a failure ... raises an incident and
    the element stays in ... COMPLETING until the incident is resolved (the resolve re-runs that
    step)"."""
    outputs = [("= assert(x, x != null)", "y")]
    xml = ProcessBuilder("conf-inc").start().service_task("t", type="conf.t", outputs=outputs).end()
    await gateway.deploy(xml.to_xml())
    key = await gateway.start("conf-inc")
    job = await gateway.activate_one("conf.t")
    await gateway.complete(job)
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "IO_MAPPING_ERROR"
    request = pb.SetVariablesRequest(
        elementInstanceKey=job.elementInstanceKey, variables='{"x": 7}'
    )
    await gateway.stub.SetVariables(request)
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    gateway.engine.assert_that(key).is_completed().has_variables({"y": 7})


async def test_call_activity_of_an_unknown_process_is_called_element_error(
    gateway: Gateway,
) -> None:
    """Spec 2.5 errorType enum: CALLED_ELEMENT_ERROR, with Zeebe's text "Expected process with
    BPMN process id '<id>' to be deployed, but not found."; deploying the child and resolving
    continues the instance."""
    parent = ProcessBuilder("conf-inc").start().call_activity("call", process_id="conf-late").end()
    await gateway.deploy(parent.to_xml())
    key = await gateway.start("conf-inc")
    incident = gateway.wait_incident(key)
    assert incident.value["errorType"] == "CALLED_ELEMENT_ERROR"
    assert incident.value["errorMessage"] == (
        "Expected process with BPMN process id 'conf-late' to be deployed, but not found."
    )
    await gateway.deploy(ProcessBuilder("conf-late").start().end().to_xml(), names=["late.bpmn"])
    await gateway.stub.ResolveIncident(pb.ResolveIncidentRequest(incidentKey=incident.key))
    gateway.engine.assert_that(key).is_completed()
