"""Stack bookkeeping without processes: service selection, status of a stopped stack, CLI errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from stack.cli import main
from stack.config import StackConfig
from stack.errors import StackError
from stack.manager import Stack
from stack.plans import Launch
from stack.services import SERVICES, Service

pytestmark = pytest.mark.unit


def _never_called(_cfg: StackConfig) -> None:
    raise AssertionError("health must not be checked for a stopped service")


def _no_plan(_cfg: StackConfig, _env: object) -> Launch:
    raise AssertionError("nothing may be planned")


FAKES = {
    name: Service(
        name=name,
        title=name.title(),
        plan=_no_plan,
        health=_never_called,
        describe=lambda c, n=name: f"{n}@{c.host}",
        ports=(),
    )
    for name in ("first", "second", "third")
}


def test_requested_services_come_back_in_start_order(tmp_path: Path) -> None:
    """`up third first` starts them in registry order (dependencies first); none means all."""
    stack = Stack(StackConfig(root=tmp_path), services=FAKES)
    assert stack.names(["third", "first"]) == ["first", "third"]
    assert stack.names([]) == ["first", "second", "third"]


def test_unknown_service_lists_the_known_ones(tmp_path: Path) -> None:
    """A typo is an error that says what exists, not a silent no-op."""
    stack = Stack(StackConfig(root=tmp_path), services=FAKES)
    with pytest.raises(StackError, match=r"^unknown service fourth; known: first, second, third$"):
        stack.names(["fourth"])


def test_status_of_a_stopped_stack(tmp_path: Path) -> None:
    """Without pid files every service is `stopped`, with no pid and no health check run."""
    stack = Stack(StackConfig(root=tmp_path), services=FAKES)
    rows = stack.status()
    assert [(row.name, row.state, row.pid, row.healthy) for row in rows] == [
        ("first", "stopped", None, "-"),
        ("second", "stopped", None, "-"),
        ("third", "stopped", None, "-"),
    ]
    assert rows[0].address == "first@127.0.0.1"


def test_registry_starts_databases_before_the_broker() -> None:
    """The default order is PostgreSQL, Kafka, FerretDB (`down` stops in reverse)."""
    assert list(SERVICES) == ["postgres", "kafka", "ferretdb"]


def test_ferretdb_brings_its_postgresql_backend() -> None:
    """FerretDB stores its data in the stack's PostgreSQL: asking for it alone starts both."""
    stack = Stack(StackConfig(root=Path("/nonexistent")))
    assert SERVICES["ferretdb"].requires == ("postgres",)
    assert stack.names(["ferretdb"]) == ["postgres", "ferretdb"]
    assert stack.names(["kafka"]) == ["kafka"]


def test_cli_reports_errors_on_stderr_with_exit_code_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m stack logs nope` fails with a one-line message, not a traceback."""
    monkeypatch.setenv("STACK_DIR", str(tmp_path))
    assert main(["logs", "nope"]) == 1
    assert "stack: error: unknown service nope; known: postgres, kafka, ferretdb" in (
        capsys.readouterr().err
    )


def test_cli_rejects_a_bad_setting_before_doing_anything(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed STACK_* variable is reported by name."""
    monkeypatch.setenv("STACK_KAFKA_PORT", "ninety")
    assert main(["status"]) == 1
    assert "STACK_KAFKA_PORT must be an integer port, got 'ninety'" in capsys.readouterr().err
