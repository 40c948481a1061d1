"""Zeebe publisher of the bridge: PublishMessage over the gateway, duplicates are success."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]  # no stubs pinned for grpcio

from services.checkout.engine import ZeebeGateway
from services.confirmations.mapping import Message


class ZeebePublisher:
    """Publisher on a Zeebe gateway address."""

    def __init__(self, address: str) -> None:
        self._gateway = ZeebeGateway(address)

    def publish(self, message: Message) -> None:
        """PublishMessage; ALREADY_EXISTS means this message id was published before."""
        try:
            self._gateway.publish_message(
                message.name,
                message.correlation_key,
                message.variables,
                message_id=message.message_id,
                ttl_ms=message.ttl_ms,
            )
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise

    def close(self) -> None:
        """Close the gRPC channel."""
        self._gateway.close()
