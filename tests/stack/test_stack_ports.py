"""Port checks: a taken port is detected before anything starts, naming the variable to change."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from stack.config import StackConfig
from stack.errors import PortInUseError
from stack.manager import resolve_free_ports
from stack.ports import free_port, port_is_free, require_free

pytestmark = pytest.mark.unit


def test_listening_port_is_not_free() -> None:
    """A port with a listener on 127.0.0.1 cannot be bound again."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert not port_is_free("127.0.0.1", port)
    assert port_is_free("127.0.0.1", port)


def test_free_port_can_be_bound() -> None:
    """free_port returns a port a server can bind right away."""
    port = free_port("127.0.0.1")
    with socket.socket() as server:
        server.bind(("127.0.0.1", port))


def test_taken_port_error_names_the_override_variable() -> None:
    """The message says which port and which STACK_* variable moves the server elsewhere."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(PortInUseError) as raised:
            require_free("127.0.0.1", (("kafka_port", port),))
    assert str(raised.value) == (
        f"port {port} is already in use by another process; "
        "set STACK_KAFKA_PORT=<free port> (or stop that process)"
    )


def test_zero_ports_of_one_service_are_resolved_at_start(tmp_path: Path) -> None:
    """Port 0 means "pick a free port": only the starting service's ports are picked, then."""
    cfg = StackConfig(root=tmp_path, pg_port=0, kafka_port=0, mongo_port=7)
    resolved = resolve_free_ports(cfg, ("pg_port", "mongo_port"))
    assert resolved.pg_port != 0 and port_is_free("127.0.0.1", resolved.pg_port)
    assert resolved.kafka_port == 0  # not this service's: left for when Kafka starts
    assert resolved.mongo_port == 7  # explicit ports are kept
