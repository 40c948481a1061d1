"""Helpers for the conformance suite: a thin driver over pyzeebe's generated gateway stub.

The tests talk gRPC exactly as a client would (pyzeebe's vendored 8.7 stubs); the exported records
are read only to observe what no RPC returns (incident keys, variable scopes, element states).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import grpc
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from zeebe.records import Record, RecordType, ValueType
from zeebe.testing.harness import EmbeddedZeebe

WAIT_S = 3.0


class Gateway:
    """One engine, one channel: deploy, start, activate and observe."""

    def __init__(self, engine: EmbeddedZeebe, channel: grpc.aio.Channel) -> None:
        self.engine = engine
        self.stub = GatewayStub(channel)

    async def deploy(
        self, *documents: bytes, names: Sequence[str] = ()
    ) -> pb.DeployResourceResponse:
        """Deploy BPMN documents (resource names default to r<i>.bpmn)."""
        resources = [
            pb.Resource(name=names[i] if i < len(names) else f"r{i}.bpmn", content=doc)
            for i, doc in enumerate(documents)
        ]
        return await self.stub.DeployResource(pb.DeployResourceRequest(resources=resources))

    async def start(self, process_id: str, variables: dict[str, Any] | None = None) -> int:
        """CreateProcessInstance of the latest version; returns the instance key."""
        request = pb.CreateProcessInstanceRequest(
            bpmnProcessId=process_id, version=-1, variables=json.dumps(variables or {})
        )
        return int((await self.stub.CreateProcessInstance(request)).processInstanceKey)

    async def activate(
        self,
        job_type: str,
        *,
        fetch: Sequence[str] = (),
        timeout_ms: int = 60_000,
        max_jobs: int = 10,
        request_timeout_ms: int = -1,
    ) -> list[pb.ActivatedJob]:
        """ActivateJobs without long polling by default (requestTimeout < 0)."""
        request = pb.ActivateJobsRequest(
            type=job_type,
            worker="conformance",
            timeout=timeout_ms,
            maxJobsToActivate=max_jobs,
            fetchVariable=list(fetch),
            requestTimeout=request_timeout_ms,
        )
        return [job async for response in self.stub.ActivateJobs(request) for job in response.jobs]

    async def activate_one(self, job_type: str, **options: Any) -> pb.ActivatedJob:
        """Exactly one job must be activatable now."""
        jobs = await self.activate(job_type, **options)
        assert len(jobs) == 1, f"expected one {job_type!r} job, got {len(jobs)}"
        return jobs[0]

    async def complete(self, job: pb.ActivatedJob, variables: dict[str, Any] | None = None) -> None:
        """CompleteJob with a variables document."""
        request = pb.CompleteJobRequest(jobKey=job.key, variables=json.dumps(variables or {}))
        await self.stub.CompleteJob(request)

    async def publish(
        self,
        name: str,
        key: str,
        *,
        ttl_ms: int = 0,
        message_id: str = "",
        variables: dict[str, Any] | None = None,
    ) -> pb.PublishMessageResponse:
        """PublishMessage."""
        request = pb.PublishMessageRequest(
            name=name,
            correlationKey=key,
            timeToLive=ttl_ms,
            messageId=message_id,
            variables=json.dumps(variables or {}),
        )
        return await self.stub.PublishMessage(request)

    def records(self) -> list[Record]:
        """All exported records so far."""
        return self.engine.records()

    def wait(self, predicate: Callable[[list[Record]], bool], timeout_s: float = WAIT_S) -> bool:
        """Block until the records satisfy `predicate` (the engine runs in its own thread).

        The predicate runs under the exporter's lock: it must only read the list it is given.
        """
        return self.engine.exporter.wait_for(predicate, timeout_s)

    def open_incidents(self, instance_key: int) -> list[Record]:
        """Incident CREATED records of the instance not yet RESOLVED."""
        return open_incidents(self.records(), instance_key)

    def wait_incident(self, instance_key: int) -> Record:
        """The single open incident of the instance (waits for it)."""
        assert self.wait(lambda rs: len(open_incidents(rs, instance_key)) == 1), (
            f"no incident on {instance_key}; records: {self.summary(instance_key)}"
        )
        return open_incidents(self.records(), instance_key)[0]

    def element_keys(self, instance_key: int, element_id: str, intent: str) -> list[int]:
        """Keys of element instances of `element_id` that reached `intent`."""
        return [
            r.key
            for r in element_events(self.records(), instance_key)
            if r.value.get("elementId") == element_id and r.intent == intent
        ]

    def scope_variables(self, scope_key: int) -> dict[str, Any]:
        """Current variables stored in exactly one scope."""
        return scope_variables(self.records(), scope_key)

    def summary(self, instance_key: int) -> list[tuple[str, str]]:
        """(elementId, intent) of the instance's element events, for failure messages."""
        return [
            (str(r.value.get("elementId")), r.intent)
            for r in element_events(self.records(), instance_key)
        ]


def element_events(records: Sequence[Record], instance_key: int) -> list[Record]:
    """PROCESS_INSTANCE events of one instance, in log order."""
    return [
        r
        for r in records
        if r.record_type is RecordType.EVENT
        and r.value_type is ValueType.PROCESS_INSTANCE
        and int(r.value.get("processInstanceKey", -1)) == instance_key
    ]


def open_incidents(records: Sequence[Record], instance_key: int) -> list[Record]:
    """Incidents created for the instance and not resolved."""
    found: dict[int, Record] = {}
    for r in records:
        if r.record_type is RecordType.EVENT and r.value_type is ValueType.INCIDENT:
            if int(r.value.get("processInstanceKey", -1)) != instance_key:
                continue
            if r.intent == "CREATED":
                found[r.key] = r
            elif r.intent == "RESOLVED":
                found.pop(r.key, None)
    return list(found.values())


def scope_variables(records: Sequence[Record], scope_key: int) -> dict[str, Any]:
    """Variables whose latest VARIABLE event has `scopeKey` == scope_key."""
    result: dict[str, Any] = {}
    for r in records:
        if (
            r.record_type is RecordType.EVENT
            and r.value_type is ValueType.VARIABLE
            and int(r.value.get("scopeKey", -1)) == scope_key
        ):
            raw = r.value.get("value")
            result[str(r.value["name"])] = json.loads(raw) if isinstance(raw, str) else raw
    return result


async def rpc_error(call: object) -> grpc.aio.AioRpcError:
    """Await a unary call that must fail; return the gRPC error."""
    try:
        await call  # type: ignore[misc]
    except grpc.aio.AioRpcError as error:
        return error
    raise AssertionError("the call succeeded but should have been rejected")


async def stream_error(stream: Any) -> grpc.aio.AioRpcError:
    """Drain a server stream that must fail; return the gRPC error."""
    try:
        async for _ in stream:
            pass
    except grpc.aio.AioRpcError as error:
        return error
    raise AssertionError("the stream completed but should have been rejected")
