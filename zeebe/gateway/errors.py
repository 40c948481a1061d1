"""gRPC status codes and messages as Zeebe's gateway produces them (spec 1.1, GrpcErrorMapper)."""

from __future__ import annotations

import grpc  # type: ignore[import-untyped]  # no stubs pinned for grpcio

from zeebe.engine.api import Rejection
from zeebe.records import RejectionType

REJECTION_STATUS: dict[RejectionType, grpc.StatusCode] = {
    RejectionType.INVALID_ARGUMENT: grpc.StatusCode.INVALID_ARGUMENT,
    RejectionType.NOT_FOUND: grpc.StatusCode.NOT_FOUND,
    RejectionType.ALREADY_EXISTS: grpc.StatusCode.ALREADY_EXISTS,
    RejectionType.INVALID_STATE: grpc.StatusCode.FAILED_PRECONDITION,
    RejectionType.PROCESSING_ERROR: grpc.StatusCode.INTERNAL,
}


class GatewayError(Exception):
    """A request that ends with a non-OK gRPC status."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def rejection_error(rejection: Rejection) -> GatewayError:
    """Map an engine rejection to the status Zeebe's gateway returns (unknown types: UNKNOWN)."""
    code = REJECTION_STATUS.get(rejection.type, grpc.StatusCode.UNKNOWN)
    return GatewayError(code, rejection.message())


def invalid_argument(message: str) -> GatewayError:
    """An INVALID_ARGUMENT raised by request validation in the gateway."""
    return GatewayError(grpc.StatusCode.INVALID_ARGUMENT, message)


def internal_error(detail: str) -> GatewayError:
    """The catch-all mapping of unexpected failures (spec 1.1)."""
    return GatewayError(
        grpc.StatusCode.INTERNAL,
        f"Unexpected error occurred during the request processing: {detail}",
    )
