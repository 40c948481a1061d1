"""The `gateway_protocol.Gateway` service on top of the broker (pyzeebe's generated stubs).

Every RPC validates its request, turns it into a command, waits for the broker (which answers
only after the group commit) and maps rejections to gRPC status codes (spec 1.1). Streams follow
spec 2.2 (ActivateJobs long polling) and 2.7 (StreamActivatedJobs).
"""

# ruff: noqa: N802  # RPC method names are fixed by the gateway protocol

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import grpc  # type: ignore[import-untyped]  # no stubs pinned for grpcio
import structlog
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto import gateway_pb2_grpc

from zeebe.engine.api import Command, Rejection
from zeebe.gateway.convert import (
    RESPONSE_SHAPERS,
    UNARY,
    activate_responses,
    activated_job,
    creation_value,
    evaluate_decision_response,
    job_request_value,
    to_message,
)
from zeebe.gateway.errors import GatewayError, internal_error, rejection_error
from zeebe.gateway.validation import check_job_request, check_tenant, parse_document
from zeebe.records import BROKER_VERSION, ValueType
from zeebe.runtime.broker import Broker, BrokerStoppedError

log = structlog.get_logger("zeebe.gateway")

DEFAULT_LONG_POLL_MS = 10_000
DEFAULT_REQUEST_TIMEOUT_MS = 15_000
# grpc's servicer context type differs between sync and aio servers; the base class accepts both.
Context = Any
R = TypeVar("R")


def _status_of(error: Exception) -> GatewayError:
    if isinstance(error, GatewayError):
        return error
    if isinstance(error, BrokerStoppedError):
        return GatewayError(grpc.StatusCode.UNAVAILABLE, str(error))
    return internal_error(str(error))


def guarded(
    handler: Callable[[Any, Any, Context], Awaitable[R]],
) -> Callable[[Any, Any, Context], Awaitable[R]]:
    """Turn exceptions of a unary handler into the gRPC status Zeebe would send."""

    @functools.wraps(handler)
    async def wrapper(self: Any, request: Any, context: Context) -> R:
        try:
            return await handler(self, request, context)
        except Exception as error:  # every failure must become a status, never a crash
            status = _status_of(error)
            if status.code is grpc.StatusCode.INTERNAL:
                log.exception("request failed", rpc=handler.__name__)
            await context.abort(status.code, status.message)
            raise  # unreachable: abort raises

    return wrapper


class GatewayServicer(gateway_pb2_grpc.GatewayServicer):
    """Implements all 8.7 gateway RPCs against one broker."""

    def __init__(self, broker: Broker, *, host: str, port: int) -> None:
        self._broker = broker
        self._host = host
        self._port = port

    async def _unary(self, rpc: str, request: Any) -> Any:
        mapping = UNARY[rpc]
        result = await self._broker.execute(mapping.to_command(request))
        if result.rejection is not None:
            raise _unsupported(rpc, result.rejection) or rejection_error(result.rejection)
        response = result.response or {}
        shape = RESPONSE_SHAPERS.get(rpc)
        if shape is not None:
            response = shape(response)
        return to_message(response, mapping.response())

    @guarded
    async def Topology(self, request: pb.TopologyRequest, context: Context) -> pb.TopologyResponse:
        """One broker, node 0, leader of the single healthy partition."""
        partition = pb.Partition(
            partitionId=1, role=pb.Partition.LEADER, health=pb.Partition.HEALTHY
        )
        broker = pb.BrokerInfo(
            nodeId=0,
            host=self._host,
            port=self._port,
            partitions=[partition],
            version=BROKER_VERSION,
        )
        return pb.TopologyResponse(
            brokers=[broker],
            clusterSize=1,
            partitionsCount=1,
            replicationFactor=1,
            gatewayVersion=BROKER_VERSION,
        )

    @guarded
    async def DeployResource(self, request: Any, context: Context) -> Any:
        """Deploy BPMN resources atomically."""
        return await self._unary("DeployResource", request)

    @guarded
    async def DeployProcess(self, request: Any, context: Context) -> Any:
        """Deprecated since 8.0, still answered for old clients."""
        return await self._unary("DeployProcess", request)

    @guarded
    async def CreateProcessInstance(self, request: Any, context: Context) -> Any:
        """Create an instance at the none start event."""
        return await self._unary("CreateProcessInstance", request)

    @guarded
    async def CancelProcessInstance(self, request: Any, context: Context) -> Any:
        """Cancel a running instance."""
        return await self._unary("CancelProcessInstance", request)

    @guarded
    async def CompleteJob(self, request: Any, context: Context) -> Any:
        """Complete a job with variables."""
        return await self._unary("CompleteJob", request)

    @guarded
    async def FailJob(self, request: Any, context: Context) -> Any:
        """Fail a job (retries are the new absolute count)."""
        return await self._unary("FailJob", request)

    @guarded
    async def ThrowError(self, request: Any, context: Context) -> Any:
        """Report a BPMN error for a job."""
        return await self._unary("ThrowError", request)

    @guarded
    async def UpdateJobRetries(self, request: Any, context: Context) -> Any:
        """Set a job's retries."""
        return await self._unary("UpdateJobRetries", request)

    @guarded
    async def UpdateJobTimeout(self, request: Any, context: Context) -> Any:
        """Set a job's deadline to now + timeout."""
        return await self._unary("UpdateJobTimeout", request)

    @guarded
    async def ResolveIncident(self, request: Any, context: Context) -> Any:
        """Mark an incident resolved."""
        return await self._unary("ResolveIncident", request)

    @guarded
    async def SetVariables(self, request: Any, context: Context) -> Any:
        """Merge variables into an element instance scope."""
        return await self._unary("SetVariables", request)

    @guarded
    async def PublishMessage(self, request: Any, context: Context) -> Any:
        """Publish (and buffer) a message."""
        return await self._unary("PublishMessage", request)

    @guarded
    async def BroadcastSignal(self, request: Any, context: Context) -> Any:
        """Broadcast a signal."""
        return await self._unary("BroadcastSignal", request)

    @guarded
    async def ModifyProcessInstance(self, request: Any, context: Context) -> Any:
        """Activate/terminate elements (the engine decides what it supports)."""
        return await self._unary("ModifyProcessInstance", request)

    @guarded
    async def DeleteResource(self, request: Any, context: Context) -> Any:
        """Delete a deployed resource (the engine decides what it supports)."""
        return await self._unary("DeleteResource", request)

    @guarded
    async def MigrateProcessInstance(self, request: Any, context: Context) -> Any:
        """Migrate a running instance to another process definition (spec 1.2 row 18)."""
        return await self._unary("MigrateProcessInstance", request)

    @guarded
    async def EvaluateDecision(self, request: pb.EvaluateDecisionRequest, context: Context) -> Any:
        """Evaluate a deployed decision (spec 1.2 row 7); the id wins over the key. As in Zeebe
        8.7 it is the command DECISION_EVALUATION EVALUATE, whose DECISION_EVALUATION record key
        is the `decisionInstanceKey`."""
        tenant = check_tenant("EvaluateDecision", request.tenantId)
        value = {
            "decisionId": request.decisionId,
            "decisionKey": request.decisionKey,
            "variables": parse_document(request.variables),
            "tenantId": tenant,
        }
        command = Command(ValueType.DECISION_EVALUATION, "EVALUATE", value)
        result = await self._broker.execute(command)
        if result.rejection is not None:
            raise rejection_error(result.rejection)
        response = evaluate_decision_response(result.response or {})
        return to_message(response, pb.EvaluateDecisionResponse())

    @guarded
    async def CreateProcessInstanceWithResult(self, request: Any, context: Context) -> Any:
        """Create an instance and wait until it completes (DEADLINE_EXCEEDED on timeout)."""
        value = creation_value(request.request, "CreateProcessInstanceWithResult")
        value["fetchVariables"] = list(request.fetchVariables)
        command = Command(ValueType.PROCESS_INSTANCE_CREATION, "CREATE_WITH_AWAITING_RESULT", value)
        created, result = await self._broker.create_awaiting_result(command)
        if created.rejection is not None:
            raise rejection_error(created.rejection)
        timeout_ms = request.requestTimeout or DEFAULT_REQUEST_TIMEOUT_MS
        try:
            outcome = await asyncio.wait_for(asyncio.shield(result), timeout_ms / 1000)
        except TimeoutError:
            assert created.response is not None
            self._broker.forget_result(int(created.response["processInstanceKey"]))
            raise GatewayError(
                grpc.StatusCode.DEADLINE_EXCEEDED,
                "Time out between gateway and broker: Request ProcessInstanceCreationWithResult "
                f"timed out after {timeout_ms} ms",
            ) from None
        data = {**outcome, "variables": json.dumps(outcome.get("variables") or {})}
        return to_message(data, pb.CreateProcessInstanceWithResultResponse())

    async def ActivateJobs(
        self, request: pb.ActivateJobsRequest, context: Context
    ) -> AsyncIterator[pb.ActivateJobsResponse]:
        """Spec 2.2: one response with the jobs, or end the stream empty after the long poll."""
        try:
            # tenants first: Zeebe's RequestMapper checks them before the broker sees the fields
            value = job_request_value(request, "ActivateJobs")
            check_job_request(
                job_type=request.type,
                timeout=request.timeout,
                max_jobs=request.maxJobsToActivate,
                worker=request.worker,
            )
            value["maxJobsToActivate"] = request.maxJobsToActivate
            long_poll = (
                None
                if request.requestTimeout < 0
                else (request.requestTimeout or DEFAULT_LONG_POLL_MS)
            )
            jobs = await self._broker.activate_jobs(value, long_poll)
        except Exception as error:
            status = _status_of(error)
            await context.abort(status.code, status.message)
            return
        for response in activate_responses(jobs):
            yield response

    async def StreamActivatedJobs(
        self, request: pb.StreamActivatedJobsRequest, context: Context
    ) -> AsyncIterator[pb.ActivatedJob]:
        """Spec 2.7: push jobs as they become activatable until the client goes away."""
        try:
            value = job_request_value(request, "StreamActivatedJobs")
            check_job_request(job_type=request.type, timeout=request.timeout, max_jobs=None)
            stream = self._broker.open_stream(value)
        except Exception as error:
            status = _status_of(error)
            await context.abort(status.code, status.message)
            return
        try:
            while (job := await stream.queue.get()) is not None:
                yield activated_job(job)
        finally:
            self._broker.close_stream(stream)
            undelivered = []
            while not stream.queue.empty():
                if (left := stream.queue.get_nowait()) is not None:
                    undelivered.append(left)
            if undelivered and self._broker.running:
                self._broker.return_jobs(undelivered)


# Commands the engine may not implement (api.py "part 2"); it rejects them as "not supported".
_OPTIONAL_RPCS = frozenset({"ModifyProcessInstance", "DeleteResource", "MigrateProcessInstance"})


def _unsupported(rpc: str, rejection: Rejection) -> GatewayError | None:
    # only the engine's "Command '<intent>' for '<type>' is not supported": a migration of an
    # unsupported element ("The migration of a X is not supported.") stays FAILED_PRECONDITION
    reason = rejection.reason
    if (
        rpc in _OPTIONAL_RPCS
        and reason.startswith("Command '")
        and reason.endswith("is not supported")
    ):
        return GatewayError(
            grpc.StatusCode.UNIMPLEMENTED,
            f"{rpc} is not supported by the embedded engine ({rejection.reason})",
        )
    return None
