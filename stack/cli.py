"""`python -m stack up|down|status|logs|run`: the command line of the local stack."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType

from stack.config import REPO_ROOT, StackConfig
from stack.errors import StackError
from stack.manager import Stack
from stack.services import SERVICES


def _say(message: str) -> None:
    print(f"stack: {message}", flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m stack",
        description="Local PostgreSQL, Kafka and FerretDB on loopback (settings: STACK_* vars).",
    )
    parser.add_argument("--dir", type=Path, help="data/pid/log directory (default: STACK_DIR)")
    commands = parser.add_subparsers(dest="command", required=True)
    names = ", ".join(SERVICES)
    for command, text in (
        ("up", "start services in the background and wait until healthy"),
        ("down", "stop the services this stack started"),
        ("run", "start services, stay in the foreground, stop them on Ctrl-C/SIGTERM"),
    ):
        sub = commands.add_parser(command, help=text)
        sub.add_argument("services", nargs="*", help=f"subset of: {names} (default: all)")
    commands.add_parser("status", help="show what runs where (pid, address, health)")
    logs = commands.add_parser("logs", help="print the end of a service's log")
    logs.add_argument("service", nargs="?", help=f"one of: {names} (default: all)")
    logs.add_argument("-n", "--lines", type=int, default=50)
    return parser


def _status(stack: Stack, _args: argparse.Namespace) -> int:
    rows = stack.status()
    print(f"{'service':<10} {'state':<15} {'pid':<8} {'healthy':<22} address")
    for row in rows:
        pid = str(row.pid) if row.pid is not None else "-"
        print(f"{row.name:<10} {row.state:<15} {pid:<8} {row.healthy:<22} {row.address}")
    print(f"data, pid files and logs: {stack.cfg.root}")
    return 0


def _logs(stack: Stack, args: argparse.Namespace) -> int:
    for name in stack.names([args.service] if args.service else []):
        print(f"==> {stack.cfg.logfile(name)} <==")
        print(stack.logs(name, args.lines), end="")
    return 0


def _up(stack: Stack, args: argparse.Namespace) -> int:
    stack.up(args.services)
    _print_endpoints(stack, args.services)
    print("stop with: python -m stack down   (or make stop)")
    return 0


def _down(stack: Stack, args: argparse.Namespace) -> int:
    stack.down(args.services)
    return 0


def _print_endpoints(stack: Stack, requested: Sequence[str]) -> None:
    for name in stack.names(requested):
        service = SERVICES[name]
        print(f"  {service.title:<24} {service.describe(stack.cfg)}")
    print(f"  {'data, pid files, logs':<24} {stack.cfg.root}")


def _run(stack: Stack, args: argparse.Namespace) -> int:
    stop = threading.Event()

    def _on_signal(signum: int, _frame: FrameType | None) -> None:
        _say(f"received {signal.Signals(signum).name}, stopping")
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)
    stack.up(args.services)
    try:
        print("local stack is up:")
        _print_endpoints(stack, args.services)
        print(f"stop with Ctrl-C (or: kill -TERM {os.getpid()})", flush=True)
        return _watch(stack, args.services, stop)
    finally:
        stack.down(args.services)


def _watch(stack: Stack, requested: Sequence[str], stop: threading.Event) -> int:
    """Block until asked to stop; a server dying on its own ends the run with an error.

    Also stops when our parent goes away: `make run` killed with SIGTERM does not forward it.
    """
    parent = os.getppid()
    while not stop.wait(1.0):
        if os.getppid() != parent:
            _say("parent process exited, stopping")
            return 0
        for name in stack.names(requested):
            if stack.running(name) is None:
                _say(f"{name} stopped unexpectedly; last log lines:\n{stack.logs(name, 20)}")
                return 1
    return 0


COMMANDS: dict[str, Callable[[Stack, argparse.Namespace], int]] = {
    "up": _up,
    "down": _down,
    "run": _run,
    "status": _status,
    "logs": _logs,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m stack` and `checkout-stack`."""
    args = _parser().parse_args(argv)
    try:
        cfg = StackConfig.from_env(os.environ)
        if args.dir is not None:
            cfg = StackConfig(**{**cfg.__dict__, "root": args.dir.resolve()})
        stack = Stack(cfg, report=_say)
        return COMMANDS[args.command](stack, args)
    except StackError as error:
        print(f"stack: error: {error}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:
        return 130


__all__ = ["REPO_ROOT", "main"]
