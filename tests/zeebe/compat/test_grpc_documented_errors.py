"""Documented errors of the Zeebe API (gRPC) reference against the real embedded engine.

Source: docs.camunda.io apis-tools/zeebe-api/gateway-service (8.7), the "Errors" section of each
RPC; only conditions no other suite here pins (ModifyProcessInstance instructions,
MigrateProcessInstance plans, DeleteResource, EvaluateDecision lookups, resource types).
Rejection texts are Zeebe's processors'.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import grpc
import pytest
from pyzeebe import create_insecure_channel
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.records import RecordType, ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

NESTED = (
    ProcessBuilder("doc-nested")
    .start()
    .sub_process("sub")
    .start("sub-start")
    .service_task("inner", type="doc.inner")
    .end("sub-end")
    .sub_process_end()
    .service_task("outer", type="doc.outer")
    .end()
    .to_xml()
)
Activate = pb.ModifyProcessInstanceRequest.ActivateInstruction
VariableInstruction = pb.ModifyProcessInstanceRequest.VariableInstruction
Migrate = pb.MigrateProcessInstanceRequest
DMN = Path(__file__).parents[1] / "dmn" / "fixtures" / "checkout_discount.dmn"
GOLD_BUYER = {"customer": {"orderCount": 12}, "order": {"total": 150}}
PREFIX = "Expected to modify instance of process 'doc-nested' but it contains one or more"


@pytest.fixture
async def stub(embedded_zeebe: EmbeddedZeebe, anyio_backend: object) -> AsyncIterator[GatewayStub]:
    channel = create_insecure_channel(grpc_address=embedded_zeebe.grpc_address)
    try:
        yield GatewayStub(channel)
    finally:
        await channel.close()


async def started(stub: GatewayStub) -> tuple[int, int]:
    """Deploy NESTED, start it (waiting at `inner`); returns (definition key, instance key)."""
    resources = [pb.Resource(name="nested.bpmn", content=NESTED)]
    deployed = await stub.DeployResource(pb.DeployResourceRequest(resources=resources))
    request = pb.CreateProcessInstanceRequest(bpmnProcessId="doc-nested", version=-1)
    created = await stub.CreateProcessInstance(request)
    return deployed.deployments[0].process.processDefinitionKey, created.processInstanceKey


async def status_of(call: object) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await call  # type: ignore[misc]
    return caught.value


def activate_inner(instance: int, *scopes: tuple[str, dict[str, int]]) -> pb.Message:
    """Activate a second `inner` with one variable instruction per (scopeId, variables)."""
    instructions = [VariableInstruction(variables=json.dumps(v), scopeId=s) for s, v in scopes]
    activate = Activate(elementId="inner", variableInstructions=instructions)
    return pb.ModifyProcessInstanceRequest(
        processInstanceKey=instance, activateInstructions=[activate]
    )


async def test_variable_instruction_with_unknown_scope_is_invalid_argument(
    stub: GatewayStub,
) -> None:
    """ModifyProcessInstance, GRPC_STATUS_INVALID_ARGUMENT: "At least one variable instruction is
    invalid ... The process doesn't contain an element with the given scope ID."."""
    _, instance = await started(stub)
    error = await status_of(stub.ModifyProcessInstance(activate_inner(instance, ("nope", {}))))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details().endswith(
        f"{PREFIX} variable instructions with a scope element id that could not be found: 'nope'"
    )


async def test_variable_instruction_outside_the_flow_scope_is_invalid_argument(
    stub: GatewayStub,
) -> None:
    """ModifyProcessInstance, GRPC_STATUS_INVALID_ARGUMENT: "The given element doesn't belong to
    the activating element's flow scope." (`outer` is a sibling of `sub`, not a scope of
    `inner`)."""
    _, instance = await started(stub)
    error = await status_of(stub.ModifyProcessInstance(activate_inner(instance, ("outer", {}))))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "with a scope element that doesn't belong to the activating element's flow scope" in (
        error.details()
    )


async def test_variable_instructions_write_to_the_named_scope(
    embedded_zeebe: EmbeddedZeebe, stub: GatewayStub
) -> None:
    """VariableInstruction.scopeId: "the ID of the element in which scope the variables should be
    created; leave empty to create the variables in the global scope of the process instance"."""
    _, instance = await started(stub)
    request = activate_inner(instance, ("", {"g": 1}), ("sub", {"s": 2}), ("inner", {"i": 3}))
    await stub.ModifyProcessInstance(request)
    created = {
        r.value["name"]: r.value["scopeKey"]
        for r in embedded_zeebe.records()
        if r.value_type is ValueType.VARIABLE and r.intent == "CREATED"
    }
    elements = {
        r.key: r.value["elementId"]
        for r in embedded_zeebe.records()
        if r.value_type is ValueType.PROCESS_INSTANCE and r.record_type is RecordType.EVENT
    }
    assert created["g"] == instance
    assert elements[created["s"]] == "sub"
    assert elements[created["i"]] == "inner"
    inner_keys = sorted(k for k, e in elements.items() if e == "inner")
    assert created["i"] == inner_keys[-1]  # the newly activated instance, not the waiting one


async def test_element_with_two_active_flow_scope_instances_needs_an_ancestor(
    embedded_zeebe: EmbeddedZeebe, stub: GatewayStub
) -> None:
    """ModifyProcessInstance, GRPC_STATUS_INVALID_ARGUMENT: an activate instruction is invalid if
    "The given element has more than one active instance of its flow scope" (no ancestor key);
    naming one of the instances as ancestorElementInstanceKey resolves it."""
    _, instance = await started(stub)
    second_sub = Activate(elementId="sub")
    await stub.ModifyProcessInstance(
        pb.ModifyProcessInstanceRequest(
            processInstanceKey=instance, activateInstructions=[second_sub]
        )
    )
    error = await status_of(stub.ModifyProcessInstance(activate_inner(instance)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "with more than one active instance: 'sub'" in error.details()
    subs = [
        r.key
        for r in embedded_zeebe.records()
        if r.value_type is ValueType.PROCESS_INSTANCE
        and r.intent == "ELEMENT_ACTIVATED"
        and r.value["elementId"] == "sub"
    ]
    with_ancestor = Activate(elementId="inner", ancestorElementInstanceKey=subs[0])
    await stub.ModifyProcessInstance(
        pb.ModifyProcessInstanceRequest(
            processInstanceKey=instance, activateInstructions=[with_ancestor]
        )
    )


async def test_terminating_all_of_a_called_instance_is_invalid_argument(
    embedded_zeebe: EmbeddedZeebe, stub: GatewayStub
) -> None:
    """ModifyProcessInstance, GRPC_STATUS_INVALID_ARGUMENT: "The instructions would terminate all
    element instances of a process instance that was created by a call activity in the parent
    process."; the called instance keeps running."""
    child = ProcessBuilder("doc-child").start().service_task("ct", type="doc.c").end().to_xml()
    parent = ProcessBuilder("doc-parent").start().call_activity("ca", process_id="doc-child")
    resources = [
        pb.Resource(name="child.bpmn", content=child),
        pb.Resource(name="parent.bpmn", content=parent.end().to_xml()),
    ]
    await stub.DeployResource(pb.DeployResourceRequest(resources=resources))
    await stub.CreateProcessInstance(
        pb.CreateProcessInstanceRequest(bpmnProcessId="doc-parent", version=-1)
    )
    task = next(
        r
        for r in embedded_zeebe.records()
        if r.value_type is ValueType.PROCESS_INSTANCE and r.value.get("elementId") == "ct"
    )
    called = int(task.value["processInstanceKey"])
    terminate = pb.ModifyProcessInstanceRequest.TerminateInstruction(elementInstanceKey=task.key)
    request = pb.ModifyProcessInstanceRequest(
        processInstanceKey=called, terminateInstructions=[terminate]
    )
    error = await status_of(stub.ModifyProcessInstance(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "The instance was created by a call activity in the parent process" in error.details()
    jobs = pb.ActivateJobsRequest(type="doc.c", worker="w", timeout=1000, maxJobsToActivate=1)
    assert [j.elementId async for r in stub.ActivateJobs(jobs) for j in r.jobs] == ["ct"]


async def test_start_instruction_inside_a_subprocess_creates_its_flow_scope(
    embedded_zeebe: EmbeddedZeebe, stub: GatewayStub
) -> None:
    """CreateProcessInstance: "Start instructions have the same limitations as process instance
    modification" (whose activation creates the element's missing flow scopes): starting at
    `inner` runs inside a new `sub` instance, so the instance continues at `outer` after it."""
    await started(stub)  # deploys NESTED
    start = pb.ProcessInstanceCreationStartInstruction(elementId="inner")
    request = pb.CreateProcessInstanceRequest(
        bpmnProcessId="doc-nested", version=-1, startInstructions=[start]
    )
    instance = (await stub.CreateProcessInstance(request)).processInstanceKey
    jobs = pb.ActivateJobsRequest(type="doc.inner", worker="w", timeout=1000, maxJobsToActivate=5)
    activated = [j async for r in stub.ActivateJobs(jobs) for j in r.jobs]
    (job,) = [j for j in activated if j.processInstanceKey == instance]
    await stub.CompleteJob(pb.CompleteJobRequest(jobKey=job.key))
    scopes = {
        r.value["elementId"]: r.value["flowScopeKey"]
        for r in embedded_zeebe.records()
        if r.value_type is ValueType.PROCESS_INSTANCE
        and r.intent == "ELEMENT_ACTIVATED"
        and r.value["processInstanceKey"] == instance
    }
    assert scopes["sub"] == instance
    assert scopes["inner"] not in (instance, -1)
    assert "outer" in scopes


async def test_activation_creates_a_missing_subprocess_instance(
    embedded_zeebe: EmbeddedZeebe, stub: GatewayStub
) -> None:
    """ModifyProcessInstance: an activate instruction is only invalid if "A flow scope of the given
    element can't be created", so activating `inner` after `sub` completed creates a new `sub`
    instance around it (variables with scopeId `sub` land there) and the instance continues."""
    _, instance = await started(stub)
    jobs = pb.ActivateJobsRequest(type="doc.inner", worker="w", timeout=1000, maxJobsToActivate=1)
    (first,) = [j async for r in stub.ActivateJobs(jobs) for j in r.jobs]
    await stub.CompleteJob(pb.CompleteJobRequest(jobKey=first.key))  # now waiting at `outer`
    await stub.ModifyProcessInstance(activate_inner(instance, ("sub", {"again": 1})))
    (second,) = [j async for r in stub.ActivateJobs(jobs) for j in r.jobs]
    await stub.CompleteJob(pb.CompleteJobRequest(jobKey=second.key))
    records = embedded_zeebe.records()
    subs = [
        r.key
        for r in records
        if r.value_type is ValueType.PROCESS_INSTANCE
        and r.intent == "ELEMENT_COMPLETED"
        and r.value["elementId"] == "sub"
    ]
    assert len(subs) == 2
    (again,) = [
        r for r in records if r.value_type is ValueType.VARIABLE and r.value["name"] == "again"
    ]
    assert again.value["scopeKey"] == subs[1]
    outer_jobs = pb.ActivateJobsRequest(
        type="doc.outer", worker="w", timeout=1000, maxJobsToActivate=5
    )
    assert len([j async for r in stub.ActivateJobs(outer_jobs) for j in r.jobs]) == 2


async def test_unknown_ancestor_key_is_invalid_argument(stub: GatewayStub) -> None:
    """ModifyProcessInstance, GRPC_STATUS_INVALID_ARGUMENT: an activate instruction is invalid if
    "A flow scope of the given element can't be created" in the named ancestor (Zeebe's text for
    an ancestor that does not exist)."""
    _, instance = await started(stub)
    activate = Activate(elementId="inner", ancestorElementInstanceKey=12345)
    request = pb.ModifyProcessInstanceRequest(
        processInstanceKey=instance, activateInstructions=[activate]
    )
    error = await status_of(stub.ModifyProcessInstance(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert error.details().endswith(
        f"{PREFIX} activate instructions with an ancestor scope key that does not exist, or is "
        "not in an active state: '12345'"
    )


async def test_migration_to_an_unknown_definition_is_not_found(stub: GatewayStub) -> None:
    """MigrateProcessInstance, GRPC_STATUS_NOT_FOUND: "No process definition exists with the given
    target definition key"."""
    _, instance = await started(stub)
    plan = Migrate.MigrationPlan(targetProcessDefinitionKey=12345)
    request = Migrate(processInstanceKey=instance, migrationPlan=plan)
    error = await status_of(stub.MigrateProcessInstance(request))
    assert error.code() == grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize(
    "mappings",
    [[("inner", "nope")], [("inner", "inner"), ("inner", "outer")]],
    ids=["unknown-target-element", "source-mapped-twice"],
)
async def test_invalid_migration_plans_are_invalid_argument(
    stub: GatewayStub, mappings: list[tuple[str, str]]
) -> None:
    """MigrateProcessInstance, GRPC_STATUS_INVALID_ARGUMENT: "A `targetElementId` does not refer to
    an element in the target process definition"; "A `sourceElementId` is mapped by multiple
    mapping instructions"."""
    definition, instance = await started(stub)
    instructions = [
        Migrate.MappingInstruction(sourceElementId=s, targetElementId=t) for s, t in mappings
    ]
    plan = Migrate.MigrationPlan(
        targetProcessDefinitionKey=definition, mappingInstructions=instructions
    )
    request = Migrate(processInstanceKey=instance, migrationPlan=plan)
    error = await status_of(stub.MigrateProcessInstance(request))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_delete_resource_errors(stub: GatewayStub) -> None:
    """DeleteResource (8.7): GRPC_STATUS_NOT_FOUND "No resource exists with the given key";
    GRPC_STATUS_FAILED_PRECONDITION "The deleted resource is a process definition, and there are
    running instances for this process definition"."""
    definition, _ = await started(stub)
    unknown = await status_of(stub.DeleteResource(pb.DeleteResourceRequest(resourceKey=12345)))
    assert unknown.code() == grpc.StatusCode.NOT_FOUND
    running = await status_of(stub.DeleteResource(pb.DeleteResourceRequest(resourceKey=definition)))
    assert running.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_decision_id_wins_over_the_key(stub: GatewayStub) -> None:
    """EvaluateDecision: "When you specify both the decision ID and KEY, the ID is used to find the
    decision to be evaluated." (spec 1.2 row 7: the id wins over the key)."""
    resources = [pb.Resource(name="discount.dmn", content=DMN.read_bytes())]
    deployed = await stub.DeployResource(pb.DeployResourceRequest(resources=resources))
    tier_key = next(
        d.decision.decisionKey
        for d in deployed.deployments
        if d.WhichOneof("Metadata") == "decision" and d.decision.dmnDecisionId == "customer_tier"
    )
    request = pb.EvaluateDecisionRequest(
        decisionId="discount", decisionKey=tier_key, variables=json.dumps(GOLD_BUYER)
    )
    response = await stub.EvaluateDecision(request)
    assert response.decisionId == "discount"
    assert json.loads(response.decisionOutput) == {"rate": 0.15, "code": "GOLD15"}


@pytest.mark.parametrize(
    "request_",
    [pb.EvaluateDecisionRequest(), pb.EvaluateDecisionRequest(decisionKey=12345)],
    ids=["neither-id-nor-key", "unknown-key"],
)
async def test_decision_lookup_errors_are_invalid_argument(
    stub: GatewayStub, request_: pb.EvaluateDecisionRequest
) -> None:
    """EvaluateDecision (8.7/8.8 reference), GRPC_STATUS_INVALID_ARGUMENT: "No decision with the
    given key exists (if decisionKey was given)"; "Both decision ID and decision KEY were provided,
    or are missing" (the missing case)."""
    error = await status_of(stub.EvaluateDecision(request_))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_unsupported_resource_type_is_invalid_argument(stub: GatewayStub) -> None:
    """DeployResource, GRPC_STATUS_INVALID_ARGUMENT: "The resource type is not supported (e.g.
    supported resources include BPMN and DMN files)"."""
    resources = [pb.Resource(name="notes.txt", content=b"hello")]
    error = await status_of(stub.DeployResource(pb.DeployResourceRequest(resources=resources)))
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "'notes.txt'" in error.details()
