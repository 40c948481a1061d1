"""The gRPC server: gateway service, health service, Zeebe's message size limit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import grpc  # type: ignore[import-untyped]  # no stubs pinned for grpcio
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer
from pyzeebe.proto import gateway_pb2_grpc

from zeebe.gateway.servicer import GatewayServicer
from zeebe.runtime.broker import Broker

MAX_MESSAGE_BYTES = 4 * 1024 * 1024
GATEWAY_SERVICE = "gateway_protocol.Gateway"


class AddressInUseError(RuntimeError):
    """The gRPC address could not be bound."""


@dataclass
class GrpcServer:
    """A started server and the port it bound (useful when asked for port 0)."""

    server: Any
    health: HealthServicer
    host: str
    port: int

    @property
    def address(self) -> str:
        """host:port clients connect to."""
        return f"{self.host}:{self.port}"

    async def stop(self, grace_s: float = 1.0) -> None:
        """Report NOT_SERVING, then stop, letting in-flight calls finish within `grace_s`."""
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace_s)


def split_address(address: str) -> tuple[str, int]:
    """'host:port' -> (host, port)."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"expected host:port, got {address!r}")
    return host, int(port)


async def start_grpc_server(broker: Broker, address: str) -> GrpcServer:
    """Bind `address` (port 0 picks a free one) and serve the gateway and health services."""
    host, _ = split_address(address)
    server = grpc.aio.server(
        options=[
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            # without this a second engine could silently share the port
            ("grpc.so_reuseport", 0),
        ]
    )
    try:
        bound = server.add_insecure_port(address)
    except RuntimeError as error:
        raise AddressInUseError(f"cannot listen on {address}: {error}") from error
    if bound == 0:
        raise AddressInUseError(f"cannot listen on {address}: address in use or not available")
    gateway_pb2_grpc.add_GatewayServicer_to_server(
        GatewayServicer(broker, host=host, port=bound), server
    )
    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, server)
    await server.start()
    for service in ("", GATEWAY_SERVICE):
        await health.set(service, health_pb2.HealthCheckResponse.SERVING)
    return GrpcServer(server=server, health=health, host=host, port=bound)
