"""Start, watch and stop the local checkout system's processes (by pid, never by name).

`python -m demo.supervisor` starts every process of `demo.topology.plan` against the local stack
(`python -m stack up` first), waits for each health URL, writes pid files and logs under
`.local/demo/`, prints the URLs, with `--demo` runs `python -m demo` once, and on SIGTERM/SIGINT
stops what it started in reverse order.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from demo.topology import REPO_ROOT, Endpoints, ProcessSpec, plan
from stack.cli import main as stack_cli

STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class StartupError(RuntimeError):
    """A child exited or never became healthy."""


@dataclass(frozen=True)
class Running:
    """A started child."""

    spec: ProcessSpec
    process: subprocess.Popen[bytes]
    pidfile: Path
    logfile: Path


def healthy(url: str, timeout_s: float = 2.0) -> bool:
    """True when GET `url` answers 2xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError, ValueError):
        return False


class Supervisor:
    """Owns the children it started; `stop_all` stops exactly those."""

    def __init__(self, run_dir: Path, base_env: Mapping[str, str] | None = None) -> None:
        self.run_dir = run_dir
        self.base_env = dict(os.environ if base_env is None else base_env)
        self.running: list[Running] = []

    def start(self, spec: ProcessSpec, *, timeout_s: float = STARTUP_TIMEOUT_S) -> Running:
        """Start one child (own process group, log file, pid file) and wait until it is up."""
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        logfile = self.run_dir / "logs" / f"{spec.name}.log"
        env = {**self.base_env, **spec.env, "PYTHONUNBUFFERED": "1"}
        with logfile.open("ab") as log:
            process = subprocess.Popen(
                spec.argv,
                cwd=REPO_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in the terminal reaches us, not the children
            )
        pidfile = self.run_dir / f"{spec.name}.pid"
        pidfile.write_text(f"{process.pid}\n")
        running = Running(spec, process, pidfile, logfile)
        self.running.append(running)
        self._wait_up(running, timeout_s)
        return running

    def start_all(self, specs: Iterable[ProcessSpec]) -> None:
        """Start in order; on a failure stop what was started and re-raise."""
        try:
            for spec in specs:
                self.start(spec)
        except BaseException:
            self.stop_all()
            raise

    def _wait_up(self, running: Running, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        # Processes without a health URL (relays) count as up once they survive a moment.
        settle_until = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            code = running.process.poll()
            if code is not None:
                raise StartupError(
                    f"{running.spec.name} exited with {code}: {tail(running.logfile)}"
                )
            url = running.spec.health_url
            if url is None and time.monotonic() >= settle_until:
                return
            if url is not None and healthy(url):
                return
            time.sleep(0.2)
        raise StartupError(
            f"{running.spec.name} not healthy after {timeout_s:.0f}s: {tail(running.logfile)}"
        )

    def dead(self) -> list[str]:
        """Names of children that exited on their own."""
        return [r.spec.name for r in self.running if r.process.poll() is not None]

    def stop(self, name: str, timeout_s: float = STOP_TIMEOUT_S) -> ProcessSpec:
        """Stop one child by name (its pid); returns its spec so it can be started again."""
        running = next(r for r in self.running if r.spec.name == name)
        stop_process(running.process, timeout_s)
        running.pidfile.unlink(missing_ok=True)
        self.running.remove(running)
        return running.spec

    def stop_all(self, timeout_s: float = STOP_TIMEOUT_S) -> None:
        """SIGTERM each child (reverse start order), SIGKILL after `timeout_s`; remove pid files."""
        for running in reversed(self.running):
            stop_process(running.process, timeout_s)
            running.pidfile.unlink(missing_ok=True)
        self.running.clear()


@contextlib.contextmanager
def uninterruptible(what: str) -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM while `what` runs: a second Ctrl-C during the stop (people press
    it twice) would abort it half-way and leave the remaining processes and servers running."""

    def still(_signum: int, _frame: object) -> None:
        print(f"still {what}: please wait", flush=True)

    previous = {sig: signal.signal(sig, still) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_process(process: subprocess.Popen[bytes], timeout_s: float) -> None:
    """Stop one child by its pid: SIGTERM, wait, then SIGKILL."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout_s)


def tail(path: Path, lines: int = 15) -> str:
    """The last lines of a log file (for error messages)."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def watch(supervisor: Supervisor, every_s: float = 5.0) -> None:
    """Run until interrupted, reporting children that exit on their own."""
    reported: set[str] = set()
    while True:
        for name in set(supervisor.dead()) - reported:
            print(f"warning: {name} exited; see its log", flush=True)
            reported.add(name)
        time.sleep(every_s)


def endpoints_from_env(env: Mapping[str, str]) -> Endpoints:
    """Stack endpoints from the same STACK_* variables `python -m stack` reads."""
    from stack.config import StackConfig

    cfg = StackConfig.from_env(env)
    percent = int(env.get("CHECKOUT_FRAUD_CHECK_PERCENT", "0") or 0)
    data_dir = Path(env["DEMO_DIR"]) if env.get("DEMO_DIR") else Endpoints().data_dir
    return Endpoints(
        data_dir=data_dir,
        pg_host_port=f"{cfg.host}:{cfg.pg_port}",
        kafka_bootstrap=f"{cfg.host}:{cfg.kafka_port}",
        mongo_url=f"mongodb://{cfg.host}:{cfg.mongo_port}/",
        fraud_check_percent=percent,
    )


def main(argv: list[str] | None = None) -> int:
    """Start everything, print the URLs, optionally run the demo, stop on SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description="Run the checkout system locally")
    parser.add_argument("--demo", action="store_true", help="run `python -m demo` once started")
    parser.add_argument(
        "--with-stack",
        action="store_true",
        help="`python -m stack up` first and `down` at the end (what `make run` does)",
    )
    args = parser.parse_args(argv)
    # SIGTERM behaves like Ctrl-C everywhere, including during startup, so children never leak;
    # SIGINT is set too, since a run started in the background inherits it ignored.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        if args.with_stack and stack_cli(["up"]) != 0:
            return 1
        return _supervise(demo=args.demo)
    except KeyboardInterrupt:
        return 0
    finally:
        # Here, not in a shell trap: Ctrl-C reaches make, the shell and us at once, and the shell
        # may be gone before the supervised processes have stopped.
        if args.with_stack:
            with uninterruptible("stopping the stack"):
                stack_cli(["down"])


def _supervise(*, demo: bool) -> int:
    endpoints = endpoints_from_env(os.environ)
    supervisor = Supervisor(endpoints.data_dir)
    specs = plan(endpoints)
    print(f"starting {len(specs)} processes (logs: {endpoints.data_dir / 'logs'})", flush=True)
    try:
        supervisor.start_all(specs)
        _print_urls(endpoints)
        if demo:
            from demo.__main__ import main as run_demo

            run_demo()
            _print_urls(endpoints)
        watch(supervisor)
    except StartupError as error:
        print(f"startup failed: {error}", flush=True)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        # "stopping" is printed once the second Ctrl-C can no longer abort the stop: printed
        # before, a quick second signal landed between the two and left the children running.
        with uninterruptible("stopping"):
            if supervisor.running:
                print("stopping", flush=True)
            supervisor.stop_all()
    return 0


def _print_urls(endpoints: Endpoints) -> None:
    grpc_address = f"127.0.0.1:{endpoints.ports['zeebe_grpc']}"
    print(f"checkout API  {endpoints.url('checkout')}/checkouts", flush=True)
    print(f"dashboard     {endpoints.url('zeebe_http')}/operate", flush=True)
    print(f"engine        gRPC {grpc_address}, REST {endpoints.url('zeebe_http')}/v2", flush=True)
    print("all processes healthy; Ctrl-C stops them", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
