"""CancelProcessInstance of instances with active event subprocesses, multi-instance bodies and
called instances (spec 1.2 #3, Appendix B lifecycle: TERMINATING -> TERMINATED bottom-up)."""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, element_events, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import Message, MultiInstance, ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]


def terminated(gateway: Gateway, key: int) -> set[str]:
    """Element ids of the instance that reached ELEMENT_TERMINATED."""
    return {
        r.value["elementId"]
        for r in element_events(gateway.records(), key)
        if r.intent == "ELEMENT_TERMINATED"
    }


async def cancel(gateway: Gateway, key: int) -> None:
    await gateway.stub.CancelProcessInstance(
        pb.CancelProcessInstanceRequest(processInstanceKey=key)
    )


async def test_cancel_terminates_a_running_non_interrupting_event_subprocess(
    gateway: Gateway,
) -> None:
    """Spec 1.2 #3: cancel terminates the whole instance, including a triggered
    non-interrupting event subprocess; the jobs of both scopes are gone afterwards."""
    xml = (
        ProcessBuilder("conf-cancel-esp")
        .start()
        .service_task("work", type="conf.cancel.work")
        .end()
        .event_sub_process("esp")
        .start("esp_start", event=Message("poke", "= orderId"), interrupting=False)
        .service_task("react", type="conf.cancel.react")
        .end("esp_end")
        .sub_process_end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-cancel-esp", {"orderId": "c-1"})
    await gateway.publish("poke", "c-1")
    work = await gateway.activate_one("conf.cancel.work")
    react = await gateway.activate_one("conf.cancel.react")

    await cancel(gateway, key)

    gateway.engine.assert_that(key).is_terminated()
    assert {"work", "react", "esp", "conf-cancel-esp"} <= terminated(gateway, key)
    for job in (work, react):
        error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key)))
        assert error.code() == grpc.StatusCode.NOT_FOUND


async def test_cancel_terminates_a_parallel_multi_instance_body(gateway: Gateway) -> None:
    """Spec 1.2 #3 with spec 4.2 multi-instance: cancelling terminates every inner instance and
    the body; their jobs can no longer be completed."""
    loop = MultiInstance("= [1, 2, 3]", "item")
    xml = (
        ProcessBuilder("conf-cancel-mi")
        .start()
        .service_task("each", type="conf.cancel.mi", loop=loop)
        .end()
        .to_xml()
    )
    await gateway.deploy(xml)
    key = await gateway.start("conf-cancel-mi")
    jobs = await gateway.activate("conf.cancel.mi")
    assert len(jobs) == 3

    await cancel(gateway, key)

    gateway.engine.assert_that(key).is_terminated()
    inner = [
        r
        for r in element_events(gateway.records(), key)
        if r.intent == "ELEMENT_TERMINATED" and r.value["elementId"] == "each"
    ]
    kinds = {r.value["bpmnElementType"] for r in inner}
    assert len(inner) == 4 and kinds == {"MULTI_INSTANCE_BODY", "SERVICE_TASK"}
    error = await rpc_error(gateway.stub.CompleteJob(pb.CompleteJobRequest(jobKey=jobs[0].key)))
    assert error.code() == grpc.StatusCode.NOT_FOUND
