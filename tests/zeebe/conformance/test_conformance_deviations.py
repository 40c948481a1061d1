"""Documented Zeebe 8.7 behaviour the embedded engine once lacked (now regression tests).

Each test states the documented rule. While a gap was open its test was `xfail(strict=True)`;
the marker was dropped when the gap closed. Patterns are reproduced from public Camunda 8 example
models (quick starts deploying forms and DMN next to the BPMN, ad-hoc subprocesses in the AI-agent
blueprints) with our own minimal models.
"""

from __future__ import annotations

import grpc
import pytest
from conformance_support import Gateway, rpc_error
from pyzeebe.proto import gateway_pb2 as pb

from zeebe.testing.bpmn_builder import ProcessBuilder
from zeebe.testing.diagram import with_diagram

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">'
)

DMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="conf-drg" name="DRG"
    namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="conf-discount" name="Discount">
    <decisionTable id="table" hitPolicy="FIRST">
      <input id="in1" label="Total"><inputExpression id="ie1" typeRef="number">
        <text>total</text></inputExpression></input>
      <output id="out1" name="discount" typeRef="number"/>
      <rule id="r1"><inputEntry id="e1"><text>&gt;= 100</text></inputEntry>
        <outputEntry id="o1"><text>10</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="e2"><text>-</text></inputEntry>
        <outputEntry id="o2"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""

FORM = b"""{"id": "conf-form", "type": "default", "schemaVersion": 16,
 "components": [{"type": "textfield", "key": "name", "label": "Name", "id": "f1"}]}"""


def process(body: str, process_id: str) -> bytes:
    # with a generated diagram, flow references and labels (bpmnlint)
    return with_diagram(
        (
            f'{HEAD}<bpmn:process id="{process_id}" isExecutable="true">{body}</bpmn:process>'
            "</bpmn:definitions>"
        ).encode()
    )


BUSINESS_RULE = process(
    '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="rule"/>'
    '<bpmn:businessRuleTask id="rule"><bpmn:extensionElements>'
    '<zeebe:calledDecision decisionId="conf-discount" resultVariable="discount"/>'
    "</bpmn:extensionElements></bpmn:businessRuleTask>"
    '<bpmn:sequenceFlow id="f2" sourceRef="rule" targetRef="e"/><bpmn:endEvent id="e"/>',
    "conf-dmn",
)

AD_HOC = process(
    '<bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="adhoc"/>'
    '<bpmn:adHocSubProcess id="adhoc"><bpmn:extensionElements>'
    '<zeebe:adHoc activeElementsCollection="= [&quot;pick&quot;]"/></bpmn:extensionElements>'
    '<bpmn:serviceTask id="pick"><bpmn:extensionElements><zeebe:taskDefinition type="conf.pick"/>'
    "</bpmn:extensionElements></bpmn:serviceTask>"
    '<bpmn:serviceTask id="skip"><bpmn:extensionElements><zeebe:taskDefinition type="conf.skip"/>'
    "</bpmn:extensionElements></bpmn:serviceTask>"
    "</bpmn:adHocSubProcess>"
    '<bpmn:sequenceFlow id="f2" sourceRef="adhoc" targetRef="e"/><bpmn:endEvent id="e"/>',
    "conf-adhoc",
)


async def test_dmn_resource_deploys_as_a_decision(gateway: Gateway) -> None:
    """Spec 1.2 #9 DeployResource: "Atomic deploy of BPMN/DMN/forms"; the response carries
    `decision` / `decisionRequirements` metadata (Appendix A `Deployment` oneof)."""
    response = await gateway.deploy(DMN, names=["discount.dmn"])
    kinds = {deployment.WhichOneof("Metadata") for deployment in response.deployments}
    assert {"decision", "decisionRequirements"} <= kinds


async def test_form_resource_deploys(gateway: Gateway) -> None:
    """Spec 1.2 #9 DeployResource: "Atomic deploy of BPMN/DMN/forms" (`FormMetadata`); Camunda's
    quick-start projects deploy their `.form` files beside the BPMN."""
    response = await gateway.deploy(FORM, names=["conf.form"])
    assert response.deployments[0].WhichOneof("Metadata") == "form"
    assert response.deployments[0].form.formId == "conf-form"


async def test_dmn_business_rule_task_evaluates_the_decision(gateway: Gateway) -> None:
    """Spec 4.2: "Business rule task: DMN (`zeebe:calledDecision decisionId resultVariable`) or
    job-based" (supported in 8.7); the decision result lands in `resultVariable`."""
    await gateway.deploy(DMN, BUSINESS_RULE, names=["discount.dmn", "rule.bpmn"])
    key = await gateway.start("conf-dmn", {"total": 150})
    gateway.engine.assert_that(key).is_completed().has_variables({"discount": 10})


async def test_ad_hoc_subprocess_activates_the_listed_elements(gateway: Gateway) -> None:
    """Spec 4.2: "ad-hoc subprocess (marker shown as implemented in 8.7)"; spec 6:
    `zeebe:adHoc activeElementsCollection` selects the elements to activate."""
    await gateway.deploy(AD_HOC, names=["adhoc.bpmn"])
    key = await gateway.start("conf-adhoc")
    job = await gateway.activate_one("conf.pick", request_timeout_ms=2_000)
    assert gateway.open_incidents(key) == []
    assert await gateway.activate("conf.skip") == []
    await gateway.complete(job)
    gateway.engine.assert_that(key).is_completed()


async def test_create_without_id_uses_the_proto_default_key_zero(gateway: Gateway) -> None:
    """Appendix B: "if `bpmnProcessId` is non-empty -> ...; else `processDefinitionKey` is used;
    neither -> INVALID_ARGUMENT 'Expected at least a bpmnProcessId or a key greater than -1'".
    Over gRPC the key is never absent: proto3 sends 0, which is "greater than -1", so Zeebe looks
    it up and answers NOT_FOUND ("... with key '0', but none found"; pyzeebe:
    ProcessDefinitionNotFoundError, not InvalidJSONError). Inferred from the quoted rule; low
    impact."""
    request = pb.CreateProcessInstanceRequest(version=-1)
    error = await rpc_error(gateway.stub.CreateProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND
    assert "with key '0', but none found" in error.details()


async def test_camunda_user_task_does_not_create_a_job(gateway: Gateway) -> None:
    """Spec 6: "`zeebe:userTask` ... Marks a Camunda (non-job) user task"; spec 4.2: "User task:
    Camunda user task (`<zeebe:userTask/>`) or the deprecated job-based variant (job type
    `io.camunda.zeebe:userTask`)". Only the job-based variant may be visible to job workers."""
    xml = ProcessBuilder("conf-user").start().user_task("approve").end().to_xml()
    await gateway.deploy(xml)
    key = await gateway.start("conf-user")
    gateway.engine.assert_that(key).is_waiting_at("approve")
    assert await gateway.activate("io.camunda.zeebe:userTask") == []


async def test_job_based_user_task_creates_a_user_task_job(gateway: Gateway) -> None:
    """Spec 4.2: the deprecated job-based user task has "job type `io.camunda.zeebe:userTask`"
    (the control for the test above)."""
    xml = ProcessBuilder("conf-user").start().user_task("approve", job_based=True).end().to_xml()
    await gateway.deploy(xml)
    await gateway.start("conf-user")
    job = await gateway.activate_one("io.camunda.zeebe:userTask")
    assert job.elementId == "approve"
