"""Stack.up when a port it picked is taken before the server binds it: relaunched on new ports.

A port picked with bind(0) is only free at that moment; PostgreSQL binds it seconds later (after
initdb), so another process may take it meanwhile and the server exits 'Address already in use'.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stack.config import StackConfig
from stack.errors import ServerExitedError
from stack.manager import Stack
from stack.plans import Launch
from stack.services import Service

pytestmark = pytest.mark.integration

# First launch: fail the way PostgreSQL does when its port was taken; later ones: run.
FLAKY_BIND = (
    'if [ ! -e first-done ]; then touch first-done; echo "{message}"; exit 1; fi; '
    "touch up; exec sleep 300"
)
PG_BIND_FAILURE = 'LOG:  could not bind IPv4 address \\"127.0.0.1\\": Address already in use'


class ToyServer:
    """A one-port server whose launches are recorded (the port each one was planned with)."""

    def __init__(self, script: str) -> None:
        self.script = script
        self.ports: list[int] = []

    def plan(self, cfg: StackConfig, _env: object) -> Launch:
        """Plan a launch on the configured pg_port."""
        self.ports.append(cfg.pg_port)
        return Launch(
            service="toy",
            argv=("/bin/sh", "-c", self.script),
            workdir=cfg.service_dir("toy"),
            ports=(),
            start_timeout=30.0,
        )

    def service(self) -> Service:
        """The registry entry: healthy once the script reached its second branch."""

        def health(cfg: StackConfig) -> None:
            if not (cfg.service_dir("toy") / "up").exists():
                raise ConnectionRefusedError("not up yet")

        return Service("toy", "Toy", self.plan, health, lambda _c: "toy", ("pg_port",))


def stack_for(toy: ToyServer, root: Path, pg_port: int) -> Stack:
    """A stack of the toy server alone, its port picked (0) or fixed."""
    cfg = StackConfig(root=root).with_ports(pg_port=pg_port)
    return Stack(cfg, services={"toy": toy.service()})


def test_a_picked_port_taken_before_the_bind_is_picked_again(tmp_path: Path) -> None:
    """The server exited 'Address already in use' on a port the stack picked: it is launched
    again on a newly picked port and the stack comes up."""
    toy = ToyServer(FLAKY_BIND.format(message=PG_BIND_FAILURE))
    stack = stack_for(toy, tmp_path, pg_port=0)
    stack.up()
    try:
        assert len(toy.ports) == 2 and all(toy.ports)
        assert stack.running("toy") is not None
        assert stack.cfg.pg_port == toy.ports[1]
    finally:
        stack.down()
    assert stack.running("toy") is None


def test_other_start_failures_are_not_retried(tmp_path: Path) -> None:
    """Only the bind failure is retried: any other exit is reported after one launch."""
    toy = ToyServer(FLAKY_BIND.format(message="FATAL: bad config line 3"))
    stack = stack_for(toy, tmp_path, pg_port=0)
    with pytest.raises(ServerExitedError, match="FATAL: bad config line 3"):
        stack.up()
    assert len(toy.ports) == 1


def test_a_port_the_user_chose_is_not_replaced(tmp_path: Path) -> None:
    """A fixed port (STACK_PG_PORT and friends) is the user's choice: its bind failure is
    reported, never silently moved elsewhere."""
    toy = ToyServer(FLAKY_BIND.format(message=PG_BIND_FAILURE))
    stack = stack_for(toy, tmp_path, pg_port=55999)
    with pytest.raises(ServerExitedError, match="Address already in use"):
        stack.up()
    assert toy.ports == [55999]
