"""`make run` = `python -m demo.supervisor --demo --with-stack`: the stack comes up first and goes
down last, also when Ctrl-C ends the run (a shell trap in the Makefile did not survive Ctrl-C)."""

from __future__ import annotations

import signal

import pytest

from demo import supervisor

pytestmark = pytest.mark.unit


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    recorded: list[str] = []

    def stack_cli(argv: list[str]) -> int:
        recorded.append(f"stack {argv[0]}")
        return 0

    monkeypatch.setattr(supervisor, "stack_cli", stack_cli)
    monkeypatch.setattr(signal, "signal", lambda *_args: None)  # leave the test's handlers alone
    return recorded


def test_stack_up_then_the_system_then_stack_down(
    calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order of a run that ends normally."""

    def supervise(*, demo: bool) -> int:
        calls.append(f"supervise demo={demo}")
        return 0

    monkeypatch.setattr(supervisor, "_supervise", supervise)
    assert supervisor.main(["--demo", "--with-stack"]) == 0
    assert calls == ["stack up", "supervise demo=True", "stack down"]


def test_ctrl_c_still_takes_the_stack_down(
    calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C arriving anywhere in the run ends it with exit 0 and the stack stopped."""

    def interrupted(*, demo: bool) -> int:
        calls.append("supervise")
        raise KeyboardInterrupt

    monkeypatch.setattr(supervisor, "_supervise", interrupted)
    assert supervisor.main(["--with-stack"]) == 0
    assert calls == ["stack up", "supervise", "stack down"]


def test_a_stack_that_fails_to_start_starts_nothing_else(
    calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`stack up` failing (port in use, missing binary) is exit 1; the children never start."""
    monkeypatch.setattr(supervisor, "stack_cli", lambda argv: calls.append(argv[0]) or 1)
    monkeypatch.setattr(supervisor, "_supervise", lambda **_: calls.append("supervise") or 0)
    assert supervisor.main(["--with-stack"]) == 1
    assert calls == ["up", "down"]


def test_without_the_flag_the_stack_is_left_alone(
    calls: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m demo.supervisor` alone expects a stack started by hand."""
    monkeypatch.setattr(supervisor, "_supervise", lambda **_: 0)
    assert supervisor.main([]) == 0
    assert calls == []
