"""Loopback port checks: is a port free, pick a free one, wait for one to close."""

from __future__ import annotations

import contextlib
import socket
import time

from stack.config import PORT_ENV
from stack.errors import PortInUseError


def port_is_free(host: str, port: int) -> bool:
    """True if a server could bind `host:port` now (SO_REUSEADDR, as servers do)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str) -> int:
    """A port the kernel considers free right now (a later bind may still race)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def free_ports(host: str, count: int) -> list[int]:
    """`count` distinct free ports: every socket stays bound until all are picked.

    Picked one at a time (bind, close, bind again) the kernel may hand out the same port twice:
    with 17 ports that happened in about 1 run in 100 here, and two servers then fight for it.
    """
    with contextlib.ExitStack() as held:
        ports: list[int] = []
        for _ in range(count):
            sock = held.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind((host, 0))
            ports.append(int(sock.getsockname()[1]))
        return ports


def require_free(host: str, ports: tuple[tuple[str, int], ...]) -> None:
    """Raise PortInUseError naming the variable to change for the first taken port."""
    for field, port in ports:
        if not port_is_free(host, port):
            variable = PORT_ENV.get(field, field)
            raise PortInUseError(
                f"port {port} is already in use by another process; "
                f"set {variable}=<free port> (or stop that process)"
            )


def wait_until_free(host: str, port: int, timeout: float) -> bool:
    """Poll until nothing listens on the port; False if it is still taken after `timeout` s."""
    deadline = time.monotonic() + timeout
    while not port_is_free(host, port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
