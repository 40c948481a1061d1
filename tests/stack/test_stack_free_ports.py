"""free_ports: several free ports at once are all different (the e2e system needs 17)."""

from __future__ import annotations

import socket

import pytest

from stack.config import StackConfig
from stack.manager import resolve_free_ports
from stack.ports import free_ports

pytestmark = pytest.mark.unit


def test_ports_picked_together_are_distinct() -> None:
    """Picked one by one (bind 0, close, again) the kernel hands out the same port twice in
    about 1 of 100 sets of 17; 400 such picks repeat one almost surely. Held until all are
    picked, they cannot repeat."""
    ports = free_ports("127.0.0.1", 400)
    assert len(set(ports)) == 400


def test_picked_ports_are_released_and_bindable() -> None:
    """Each returned port can be bound by a server right away (nothing keeps it open)."""
    for port in free_ports("127.0.0.1", 3):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_a_server_s_unset_ports_resolve_to_distinct_ports() -> None:
    """Kafka's broker and controller ports (both 0) never resolve to the same port."""
    cfg = StackConfig().with_ports(kafka_port=0, kafka_controller_port=0)
    resolved = resolve_free_ports(cfg, ("kafka_port", "kafka_controller_port"))
    assert 0 not in (resolved.kafka_port, resolved.kafka_controller_port)
    assert resolved.kafka_port != resolved.kafka_controller_port
