"""CreateProcessInstanceWithResult through pyzeebe's client (spec 1.2 #6, 1.4)."""

from __future__ import annotations

import pytest
from conformance_support import Gateway
from pyzeebe import ZeebeClient
from pyzeebe.errors import ProcessTimeoutError
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import ProcessBuilder

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

PASS_THROUGH = ProcessBuilder("conf-result").start().task("noop").end().to_xml()
WAITING = ProcessBuilder("conf-wait").start().service_task("t", type="conf.never").end().to_xml()


async def test_with_result_returns_root_variables(
    gateway: Gateway, zeebe_client: ZeebeClient
) -> None:
    """Spec 1.2 #6: response "variables (JSON of root scope)" once the instance completes."""
    await gateway.deploy(PASS_THROUGH)
    result = await zeebe_client.run_process_with_result("conf-result", {"a": 1, "b": 2})
    assert result.variables == {"a": 1, "b": 2}
    gateway.engine.assert_that(result.process_instance_key).is_completed()


async def test_with_result_fetch_variables_filters_the_result(gateway: Gateway) -> None:
    """Spec 1.2 #6: `fetchVariables[]` limits the returned variables."""
    await gateway.deploy(PASS_THROUGH)
    request = pb.CreateProcessInstanceWithResultRequest(
        request=pb.CreateProcessInstanceRequest(
            bpmnProcessId="conf-result", version=-1, variables='{"a": 1, "b": 2}'
        ),
        fetchVariables=["b"],
    )
    response = await gateway.stub.CreateProcessInstanceWithResult(request)
    assert response.variables == '{"b":2}' or response.variables.replace(" ", "") == '{"b":2}'
    assert response.bpmnProcessId == "conf-result" and response.version == 1


async def test_with_result_times_out_as_process_timeout_error(
    gateway: Gateway, zeebe_client: ZeebeClient
) -> None:
    """Spec 1.2 #6: "DEADLINE_EXCEEDED if it does not complete in time (pyzeebe maps this to
    ProcessTimeoutError)"; the instance itself keeps running."""
    await gateway.deploy(WAITING)
    with pytest.raises(ProcessTimeoutError):
        await zeebe_client.run_process_with_result("conf-wait", timeout=300)
    assert len(await gateway.activate("conf.never")) == 1
