"""Zeebe gateway adapter of the checkout API: deploy both versions, start by definition key.

pyzeebe's client creates instances by BPMN process id and version only; the feature flag needs
the exact deployed definition (`processDefinitionKey`), which the Zeebe gateway protocol offers.
So this adapter calls the gateway through pyzeebe's vendored protobuf stubs on a synchronous
gRPC channel (thread-safe, fits Flask's threaded server without an event loop).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc  # type: ignore[import-untyped]  # no stubs pinned for grpcio
from pyzeebe.proto import gateway_pb2 as pb
from pyzeebe.proto.gateway_pb2_grpc import GatewayStub

from services.checkout.store import Started

PROCESS_ID = "checkout"


@dataclass(frozen=True)
class Deployed:
    """One deployed BPMN resource."""

    resource: str
    bpmn_process_id: str
    version: int
    process_definition_key: int


class ZeebeGateway:
    """Sync client for DeployResource, CreateProcessInstance and PublishMessage."""

    def __init__(self, address: str, *, timeout_s: float = 10.0) -> None:
        self._channel = grpc.insecure_channel(address)
        self._stub = GatewayStub(self._channel)
        self._timeout_s = timeout_s

    def deploy(self, files: Iterable[Path]) -> dict[str, Deployed]:
        """Deploy files in order (one request each, so the last one is the latest version).

        Zeebe answers a resource identical to the LATEST version of its process with that
        version; anything else becomes a new version (deployments.py avoids redeploying).
        """
        deployed: dict[str, Deployed] = {}
        for path in files:
            request = pb.DeployResourceRequest(
                resources=[pb.Resource(name=path.name, content=path.read_bytes())]
            )
            response = self._stub.DeployResource(request, timeout=self._timeout_s)
            for deployment in response.deployments:
                if deployment.HasField("process"):
                    process = deployment.process
                    deployed[path.name] = Deployed(
                        resource=path.name,
                        bpmn_process_id=process.bpmnProcessId,
                        version=process.version,
                        process_definition_key=process.processDefinitionKey,
                    )
        return deployed

    def create_instance(self, process_definition_key: int, variables: Mapping[str, Any]) -> Started:
        """CreateProcessInstance of one exact definition."""
        request = pb.CreateProcessInstanceRequest(
            processDefinitionKey=process_definition_key, variables=json.dumps(dict(variables))
        )
        response = self._stub.CreateProcessInstance(request, timeout=self._timeout_s)
        return Started(
            process_definition_key=response.processDefinitionKey,
            process_instance_key=response.processInstanceKey,
        )

    def publish_message(
        self,
        name: str,
        correlation_key: str,
        variables: Mapping[str, Any],
        *,
        message_id: str,
        ttl_ms: int,
    ) -> int:
        """PublishMessage; a repeated `message_id` within the TTL is rejected (ALREADY_EXISTS)."""
        request = pb.PublishMessageRequest(
            name=name,
            correlationKey=correlation_key,
            timeToLive=ttl_ms,
            messageId=message_id,
            variables=json.dumps(dict(variables)),
        )
        return int(self._stub.PublishMessage(request, timeout=self._timeout_s).key)

    def close(self) -> None:
        """Close the channel."""
        self._channel.close()
