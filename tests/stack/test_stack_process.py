"""Process handling: we stop whole process groups we started, escalating to SIGKILL."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from stack import process
from stack.errors import StackError
from stack.plans import Launch

pytestmark = pytest.mark.integration

SH = "/bin/sh"


def _launch(tmp_path: Path, script: str) -> Launch:
    return Launch(service="toy", argv=(SH, "-c", script), workdir=tmp_path, ports=())


def _children_of_group(pid: int) -> list[int]:
    return [member for member in process.group_members(pid) if member != pid]


def test_stop_kills_the_leader_and_what_it_spawned(tmp_path: Path) -> None:
    """A server's helpers live in its process group; stopping the server leaves none behind."""
    launch = _launch(tmp_path, "sleep 300 & sleep 300 & wait")
    child = process.spawn(launch, {"PATH": "/usr/bin:/bin"})
    assert process.wait_for(lambda: len(_children_of_group(child.pid)) == 2, 5.0)
    process.stop_group(child.pid, stop_signal=signal.SIGTERM, timeout=5.0)
    child.wait(timeout=5)
    assert process.group_members(child.pid) == []


def test_stop_escalates_to_sigkill_after_timeout(tmp_path: Path) -> None:
    """A leader that ignores the graceful signal is killed once the timeout passes."""
    launch = _launch(tmp_path, "trap '' TERM; sleep 300 & wait")
    child = process.spawn(launch, {"PATH": "/usr/bin:/bin"})
    assert process.wait_for(lambda: len(_children_of_group(child.pid)) == 1, 5.0)
    process.stop_group(child.pid, stop_signal=signal.SIGTERM, timeout=0.5)
    assert child.wait(timeout=5) == -signal.SIGKILL
    assert process.group_members(child.pid) == []


def test_pid_file_records_pid_start_time_and_stop_signal(tmp_path: Path) -> None:
    """`down` in another process needs the pid, its start time (pid reuse) and the signal."""
    launch = _launch(tmp_path, "exec sleep 300")  # exec: same process, another program
    child = process.spawn(launch, {"PATH": "/usr/bin:/bin"})
    try:
        record = process.read_pidfile(launch.pidfile)
        assert record is not None
        assert (record.pid, record.stop_signal) == (child.pid, signal.SIGTERM)
        assert record.start_time > 0
        assert process.owns(record)
    finally:
        process.stop_group(child.pid, stop_signal=signal.SIGTERM, timeout=5.0)
        child.wait(timeout=5)


def test_a_reused_pid_is_not_ours(tmp_path: Path) -> None:
    """Same pid, different start time: another process got the pid, so we must not signal it."""
    launch = _launch(tmp_path, "sleep 300")
    child = process.spawn(launch, {"PATH": "/usr/bin:/bin"})
    try:
        record = process.read_pidfile(launch.pidfile)
        assert record is not None
        impostor = process.PidRecord(record.pid, record.start_time - 1, record.stop_signal)
        assert not process.owns(impostor)
    finally:
        process.stop_group(child.pid, stop_signal=signal.SIGTERM, timeout=5.0)
        child.wait(timeout=5)


def test_a_process_outside_our_group_is_not_ours() -> None:
    """pid 1 does not lead a group we created (its pgrp check fails or its start time differs)."""
    assert not process.owns(process.PidRecord(1, 0, signal.SIGTERM))


def test_tail_returns_the_last_lines(tmp_path: Path) -> None:
    """Error messages quote the end of a server log."""
    log = tmp_path / "x.log"
    log.write_text("".join(f"line {i}\n" for i in range(100)))
    assert process.tail(log, 2) == "line 98\nline 99\n"
    assert process.tail(tmp_path / "missing.log") == ""


def test_unreachable_data_dir_for_the_server_user_is_explained(tmp_path: Path) -> None:
    """PostgreSQL runs as its own user: a 0700 parent directory is named with the fix."""
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    launch = Launch(
        service="toy", argv=(SH,), workdir=private / "stack" / "toy", ports=(), run_as="nobody"
    )
    with pytest.raises(StackError, match=r"user 'nobody' cannot reach .*set STACK_DIR"):
        process.prepare(launch)
