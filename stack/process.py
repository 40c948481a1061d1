"""Starting servers in their own process group, and stopping only the groups we started.

Each server is a session leader (`start_new_session`), so its pid is also its process group id.
The pid file records the pid and the process start time; `stop` refuses to signal a pid whose
start time differs (the pid was reused), signals the leader gracefully, then SIGKILLs the group.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal
import stat
import subprocess
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from stack.errors import StackError
from stack.plans import Launch, Step

PROC = Path("/proc")


def tail(path: Path, lines: int = 20) -> str:
    """The last `lines` lines of a text file ('' if it does not exist)."""
    if not path.exists():
        return ""
    with path.open(encoding="utf-8", errors="replace") as handle:
        return "".join(deque(handle, maxlen=lines))


@dataclass(frozen=True)
class ProcStat:
    """The fields of /proc/<pid>/stat we use."""

    state: str
    pgrp: int
    start_time: int  # clock ticks after boot: with the pid, identifies one process


def _proc_stat(pid: int) -> ProcStat | None:
    """State, process group and start time of a pid, or None if it is gone."""
    try:
        raw = (PROC / str(pid) / "stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    # After "pid (comm) ": state is field 3 of stat(5), pgrp field 5, starttime field 22.
    return ProcStat(state=fields[0], pgrp=int(fields[2]), start_time=int(fields[19]))


def is_running(pid: int) -> bool:
    """True if the pid exists and is not a zombie."""
    info = _proc_stat(pid)
    return info is not None and info.state != "Z"


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in a process group."""
    members = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            info = _proc_stat(int(entry.name))
            if info is not None and info.pgrp == pgid and info.state != "Z":
                members.append(int(entry.name))
    return members


@dataclass(frozen=True)
class PidRecord:
    """What a pid file says: the group leader's pid, when it started, how to stop it."""

    pid: int
    start_time: int
    stop_signal: int


def write_pidfile(path: Path, record: PidRecord) -> None:
    """Record the pid, its start time and its graceful stop signal."""
    path.write_text(f"{record.pid}\n{record.start_time}\n{record.stop_signal}\n")


def read_pidfile(path: Path) -> PidRecord | None:
    """The record in a pid file, or None when absent or unreadable."""
    try:
        pid, start_time, stop_signal = path.read_text().splitlines()[:3]
        return PidRecord(int(pid), int(start_time), int(stop_signal))
    except (FileNotFoundError, ValueError):
        return None


def owns(record: PidRecord) -> bool:
    """True if the recorded process is alive, still leads its group and is the same process."""
    info = _proc_stat(record.pid)
    return (
        info is not None
        and info.state != "Z"
        and info.pgrp == record.pid
        and info.start_time == record.start_time
    )


def wait_for(condition: Callable[[], bool], timeout: float, interval: float = 0.1) -> bool:
    """Poll `condition` until true; False on timeout."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)
    return True


def stop_group(pid: int, *, stop_signal: int, timeout: float = 30.0) -> None:
    """Graceful signal to the leader, SIGKILL to the group after `timeout`, then wait it out."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, stop_signal)
    if not wait_for(lambda: not is_running(pid), timeout):
        _kill_group(pid)
    if group_members(pid):
        # Children the leader left behind (it died first) are still ours.
        _kill_group(pid)
    if not wait_for(lambda: not group_members(pid), 10.0):
        raise StackError(f"process group {pid} survived SIGKILL: {group_members(pid)}")


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def _account(run_as: str | None) -> pwd.struct_passwd | None:
    if run_as is None:
        return None
    try:
        return pwd.getpwnam(run_as)
    except KeyError:
        raise StackError(
            f"user {run_as!r} does not exist; run `make setup` (apt's postgresql creates it)"
        ) from None


def _check_reachable(path: Path, account: pwd.struct_passwd) -> None:
    """PostgreSQL runs as another user: every parent directory must let it through."""
    for parent in path.parents:
        info = parent.stat()
        if info.st_mode & stat.S_IXOTH or info.st_uid == account.pw_uid:
            continue
        raise StackError(
            f"user {account.pw_name!r} cannot reach {path}: {parent} is not searchable by others; "
            f"set STACK_DIR to a directory under a searchable path (e.g. /var/tmp/checkout-stack) "
            f"or run `chmod o+x {parent}`"
        )


def prepare(launch: Launch) -> None:
    """Create directories and config files (owned by the server's user when it is not us)."""
    account = _account(launch.run_as)
    for directory in (launch.workdir, *launch.dirs):
        directory.mkdir(parents=True, exist_ok=True)
    for path, content in launch.files:
        path.write_text(content)
    if account is not None:
        _check_reachable(launch.workdir, account)
        for directory in (launch.workdir, *launch.dirs):
            for item in (directory, *directory.rglob("*")):
                os.chown(item, account.pw_uid, account.pw_gid)


@dataclass(frozen=True)
class _Identity:
    user: int | None = None
    group: int | None = None
    extra_groups: tuple[int, ...] | None = None


def _identity(account: pwd.struct_passwd | None) -> _Identity:
    if account is None:
        return _Identity()
    return _Identity(account.pw_uid, account.pw_gid, ())


def run_step(launch: Launch, step: Step, env: Mapping[str, str]) -> None:
    """Run a one-shot setup command unless already done; output goes to the server log."""
    if step.done_when.exists():
        return
    who = _identity(_account(launch.run_as))
    with launch.log.open("ab") as log:
        result = subprocess.run(
            step.argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=launch.workdir,
            timeout=120,
            check=False,
            user=who.user,
            group=who.group,
            extra_groups=who.extra_groups,
        )
    if result.returncode != 0:
        raise StackError(
            f"{launch.service}: {step.description} failed with exit code {result.returncode}; "
            f"last lines of {launch.log}:\n{tail(launch.log)}"
        )


def spawn(launch: Launch, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """Start the server as leader of a new session, output appended to its log, pid recorded."""
    who = _identity(_account(launch.run_as))
    with launch.log.open("ab") as log:
        child = subprocess.Popen(
            launch.argv,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env),
            cwd=launch.workdir,
            start_new_session=True,
            user=who.user,
            group=who.group,
            extra_groups=who.extra_groups,
        )
    info = _proc_stat(child.pid)
    start_time = info.start_time if info is not None else 0  # 0: exited already, never "ours"
    write_pidfile(launch.pidfile, PidRecord(child.pid, start_time, launch.stop_signal))
    return child
