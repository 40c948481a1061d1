"""The stack manager: start servers, wait for real health, report, stop only what we started."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from stack import process
from stack.config import StackConfig
from stack.errors import ServerExitedError, StackError, StartTimeoutError
from stack.plans import Launch
from stack.ports import free_ports, require_free, wait_until_free
from stack.services import SERVICES, Service

# How PostgreSQL, Kafka (java.net.BindException) and FerretDB (Go) word a failed bind.
PORT_TAKEN = "address already in use"
# Launches of one server when the ports we picked for it keep being taken before it binds them.
PORT_ATTEMPTS = 3


@dataclass(frozen=True)
class ServiceStatus:
    """One row of `status`."""

    name: str
    state: str
    pid: int | None
    address: str
    healthy: str


def resolve_free_ports(cfg: StackConfig, fields: Iterable[str]) -> StackConfig:
    """Replace each of these ports that is 0 with a free port picked now."""
    unset = [field for field in fields if getattr(cfg, field) == 0]
    zeroes = dict(zip(unset, free_ports(cfg.host, len(unset)), strict=True))
    return cfg.with_ports(**zeroes) if zeroes else cfg


class Stack:
    """Starts and stops the local servers described in `stack.services.SERVICES`."""

    def __init__(
        self,
        cfg: StackConfig,
        *,
        env: Mapping[str, str] | None = None,
        report: Callable[[str], None] = lambda _message: None,
        services: Mapping[str, Service] = SERVICES,
    ) -> None:
        self.cfg = cfg
        self._env = dict(os.environ if env is None else env)
        self._report = report
        self._services = services
        self._children: dict[str, subprocess.Popen[bytes]] = {}
        # per server: the port fields we picked (were 0) and where its log stood at launch
        self._picked: dict[str, tuple[str, ...]] = {}
        self._log_offsets: dict[str, int] = {}

    def names(self, requested: Iterable[str] = ()) -> list[str]:
        """Requested service names and what they require, in start order (all when none);
        unknown names are errors."""
        wanted = list(requested) or list(self._services)
        unknown = [name for name in wanted if name not in self._services]
        if unknown:
            known = ", ".join(self._services)
            raise StackError(f"unknown service {', '.join(unknown)}; known: {known}")
        needed = set(wanted)
        for name in reversed(list(self._services)):  # requirements come earlier in the registry
            if name in needed:
                needed.update(self._services[name].requires)
        return [name for name in self._services if name in needed]

    def running(self, name: str) -> int | None:
        """Pid of the service if a process we started for it is alive."""
        record = process.read_pidfile(self.cfg.pidfile(name))
        if record is not None and process.owns(record):
            return record.pid
        return None

    def up(self, requested: Iterable[str] = ()) -> None:
        """Start the services (skipping running ones) and wait until each passes its check."""
        launched: list[Launch] = []
        healthy: set[str] = set()
        try:
            for name in self.names(requested):
                if (pid := self.running(name)) is not None:
                    self._report(f"{name}: already running (pid {pid})")
                    continue
                service = self._services[name]
                for launch in launched:  # launched in parallel, unless something depends on it
                    if launch.service in service.requires and launch.service not in healthy:
                        self._wait_healthy(launch)
                        healthy.add(launch.service)
                service.prepare(self.cfg)
                launched.append(self._launch(service))
            for launch in launched:
                if launch.service not in healthy:
                    self._wait_healthy(launch)
        except BaseException:
            for launch in reversed(launched):
                self._stop(launch.service)
            raise

    def _launch(self, service: Service) -> Launch:
        # Port 0 means "any free port": picked just before starting, to keep the race window short.
        self._picked[service.name] = tuple(f for f in service.ports if getattr(self.cfg, f) == 0)
        self.cfg = resolve_free_ports(self.cfg, service.ports)
        launch = service.plan(self.cfg, self._env)
        require_free(self.cfg.host, launch.ports)
        process.prepare(launch)
        for step in launch.steps:
            process.run_step(launch, step, self._env)
        self._log_offsets[service.name] = launch.log.stat().st_size if launch.log.exists() else 0
        self._children[service.name] = process.spawn(launch, self._env)
        self._report(f"{service.name}: started (pid {self._children[service.name].pid})")
        return launch

    def _wait_healthy(self, launch: Launch) -> None:
        """Wait for the server's health check; relaunch it on new ports when ports we picked
        were taken by another process before the server bound them (a picked port is only
        free when picked: anything that binds port 0 or connects out may get it meanwhile)."""
        for attempt in range(1, PORT_ATTEMPTS + 1):
            try:
                self._wait_launched(launch)
                return
            except ServerExitedError:
                if attempt == PORT_ATTEMPTS or not self._lost_a_picked_port(launch):
                    raise
            self._report(f"{launch.service}: a port picked for it was taken; relaunching")
            launch = self._relaunch(launch.service)

    def _lost_a_picked_port(self, launch: Launch) -> bool:
        if not self._picked.get(launch.service):
            return False
        with launch.log.open("rb") as log:
            log.seek(self._log_offsets.get(launch.service, 0))
            return PORT_TAKEN in log.read().decode(errors="replace").lower()

    def _relaunch(self, name: str) -> Launch:
        child = self._children.pop(name, None)
        if child is not None:
            child.wait(timeout=10)  # it exited: reap it
        self.cfg.pidfile(name).unlink(missing_ok=True)
        self.cfg = self.cfg.with_ports(**dict.fromkeys(self._picked[name], 0))
        return self._launch(self._services[name])

    def _wait_launched(self, launch: Launch) -> None:
        service = self._services[launch.service]
        child = self._children[launch.service]
        started = time.monotonic()
        last_error: Exception | None = None
        while time.monotonic() - started < launch.start_timeout:
            if (code := child.poll()) is not None:
                raise ServerExitedError(
                    f"{launch.service} exited at start with code {code}; "
                    f"last lines of {launch.log}:\n{process.tail(launch.log)}"
                )
            try:
                service.health(self.cfg)
            except Exception as error:  # any failure means "not ready yet"
                last_error = error
                time.sleep(0.25)
                continue
            elapsed = time.monotonic() - started
            self._report(f"{launch.service}: healthy after {elapsed:.1f}s")
            return
        raise StartTimeoutError(
            f"{launch.service} did not pass its health check within {launch.start_timeout:.0f}s "
            f"(last error: {last_error}); last lines of {launch.log}:\n{process.tail(launch.log)}"
        )

    def down(self, requested: Iterable[str] = ()) -> None:
        """Stop the services we started, in reverse order, and wait for their ports to close."""
        for name in reversed(self.names(requested)):
            self._stop(name)

    def _stop(self, name: str) -> None:
        pidfile = self.cfg.pidfile(name)
        record = process.read_pidfile(pidfile)
        if record is None:
            self._report(f"{name}: not running")
            return
        if process.owns(record):
            process.stop_group(record.pid, stop_signal=record.stop_signal)
            self._report(f"{name}: stopped (pid {record.pid})")
        else:
            self._report(f"{name}: stale pid file (pid {record.pid} is gone); removed")
        child = self._children.pop(name, None)
        if child is not None:
            child.wait(timeout=10)  # reap our own child so no zombie is left
        pidfile.unlink(missing_ok=True)
        for port in self._ports(name):
            if not wait_until_free(self.cfg.host, port, timeout=10.0):
                raise StackError(f"{name}: port {port} is still taken after stopping it")

    def _ports(self, name: str) -> list[int]:
        ports = [getattr(self.cfg, field) for field in self._services[name].ports]
        return [port for port in ports if port]

    def status(self) -> list[ServiceStatus]:
        """What runs where: pid, address and the result of a live health check."""
        rows = []
        for name, service in self._services.items():
            pid = self.running(name)
            state = "running" if pid is not None else "stopped"
            if pid is None and self.cfg.pidfile(name).exists():
                state = "stale pid file"
            healthy = "-"
            if pid is not None:
                try:
                    service.health(self.cfg)
                    healthy = "yes"
                except Exception as error:  # report, do not crash `status`
                    healthy = f"no ({type(error).__name__})"
            address = service.describe(self.cfg)
            rows.append(ServiceStatus(name, state, pid, address, healthy))
        return rows

    def logs(self, name: str, lines: int = 50) -> str:
        """The last lines of a service's log."""
        self.names([name])
        return process.tail(self.cfg.logfile(name), lines)
