"""pytest plugin: every BPMN model the tests deploy must pass bpmnlint (issue #3 acceptance).

    pytest -p zeebe.testing.lint_gate ...   # or list it in the root conftest's pytest_plugins

The plugin always registers the `bpmnlint_exempt(reason=...)` marker, for tests that deliberately
deploy a lint-dirty but Zeebe-valid model. With `CHECKOUT_BPMNLINT_GATE=1` it also wraps the BPMN
parser that deployment uses (`zeebe.engine.deploy.parse_bpmn`) and records each resource that
parses successfully while a non-exempt test runs (fixture setup included; a resource deployed by
several tests is linted once and reported with all of them). At session end it writes the models
to a temporary directory, runs ONE `node_modules/.bin/bpmnlint` over them (the repository's
`.bpmnlintrc`: recommended + camunda-compat 8.7) and fails the session if any model has a lint
error (warnings do not fail), reporting model -> deploying tests -> lint messages.

Not seen: engines in other processes (`python -m zeebe` in the chaos tests, stack services),
deployments through a parser injected into `EngineState.parser`, and, under pytest-xdist, the
verdict of worker sessions (each worker lints its own models; run the gate without `-n`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from zeebe.engine import deploy
from zeebe.model.elements import ParsedResource

ENV = "CHECKOUT_BPMNLINT_GATE"
MARKER = "bpmnlint_exempt"
BPMNLINT = Path("node_modules", ".bin", "bpmnlint")
TIMEOUT_SECONDS = 600
Parser = Callable[[bytes, str], ParsedResource]


@dataclass(slots=True)
class Deployed:
    """A distinct deployed BPMN resource and the tests that deployed it."""

    resource: bytes
    name: str
    tests: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LintFailure:
    """A model with lint errors: its resource name, deploying tests and bpmnlint's lines."""

    name: str
    tests: tuple[str, ...]
    messages: tuple[str, ...]


def parse_report(output: str) -> dict[str, list[str]]:
    """bpmnlint's stylish output -> message lines per file path (summary lines dropped)."""
    messages: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if not line.strip() or line.lstrip().startswith("✖"):
            continue
        if not line.startswith(" "):
            current = messages.setdefault(line.strip(), [])
        elif current is not None:
            current.append(line.strip())
    return messages


def is_error(message: str) -> bool:
    """A bpmnlint message line (`id  severity  text  rule`) of severity error."""
    return re.search(r"(^|\s{2,})error\s{2,}", message) is not None


class LintGate:
    """Records deployed models during the session and lints them at its end."""

    def __init__(self, rootdir: Path) -> None:
        self.rootdir = rootdir
        self.models: dict[str, Deployed] = {}
        self.current: str | None = None
        self.exempt = False
        self.failures: list[LintFailure] = []
        self.problem: str | None = None
        self.workdir: Path | None = None

    def wrap(self, parse: Parser) -> Parser:
        """`parse`, recording each resource it accepts."""

        def recording(resource: bytes, name: str) -> ParsedResource:
            parsed = parse(resource, name)  # rejected resources raise and are not recorded
            self.record(resource, name)
            return parsed

        return recording

    def record(self, resource: bytes, name: str) -> None:
        """Remember a successfully parsed resource for the current (non-exempt) test."""
        if self.exempt:
            return
        test = self.current or "<outside any test>"
        model = self.models.setdefault(
            hashlib.sha256(resource).hexdigest(), Deployed(resource, name)
        )
        if test not in model.tests:
            model.tests.append(test)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item) -> Iterator[None]:
        """Attribute deployments to the running test; skip recording for exempt ones."""
        self.current, self.exempt = item.nodeid, item.get_closest_marker(MARKER) is not None
        try:
            return (yield)
        finally:
            self.current, self.exempt = None, False

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Lint everything recorded in one bpmnlint call; fail the session on errors."""
        if not self.models:
            return
        self.failures, self.problem = self.lint()
        if self.failures or self.problem:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def lint(self) -> tuple[list[LintFailure], str | None]:
        """Run bpmnlint over all recorded models; (failing models, problem running it)."""
        tool = self.rootdir / BPMNLINT
        if not tool.exists():
            return [], f"{tool} not found (run `npm ci`); cannot lint {len(self.models)} models"
        workdir = self.workdir = Path(tempfile.mkdtemp(prefix="bpmnlint-gate-"))
        paths = {}
        for index, model in enumerate(self.models.values()):
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", model.name).removesuffix(".bpmn")
            path = workdir / f"{index:04d}-{safe}.bpmn"
            path.write_bytes(model.resource)
            paths[str(path)] = model
        result = subprocess.run(
            [str(tool), *paths],
            cwd=self.rootdir,  # bpmnlint reads .bpmnlintrc from the working directory
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
        failures = [
            LintFailure(paths[path].name, tuple(paths[path].tests), tuple(lines))
            for path, lines in parse_report(result.stdout).items()
            if path in paths and any(map(is_error, lines))
        ]
        if result.returncode != 0 and not failures:
            return [], f"bpmnlint exited {result.returncode}:\n{result.stdout}{result.stderr}"
        if not failures:
            shutil.rmtree(workdir, ignore_errors=True)
        return failures, None

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        """The gate's verdict: counts, then model -> tests -> lint messages per failure."""
        write = terminalreporter.write_line
        if not self.failures and not self.problem:
            write(f"bpmnlint gate: {len(self.models)} deployed BPMN models pass bpmnlint")
            return
        terminalreporter.section("bpmnlint gate", red=True)
        if self.problem:
            write(self.problem)
        failing = len(self.failures)
        write(f"{failing} of {len(self.models)} deployed BPMN models fail bpmnlint (.bpmnlintrc):")
        for failure in self.failures:
            tests = ", ".join(failure.tests)
            write(f"\n{failure.name} <- deployed by {tests}")
            for message in failure.messages:
                write(f"    {message}")
        write(f"\nthe linted files are in {self.workdir}")
        write(f"mark deliberate ones @pytest.mark.{MARKER}(reason=...)")


def pytest_configure(config: pytest.Config) -> None:
    """Register the exemption marker; with the gate on, start recording deployments."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(reason): the test deliberately deploys a BPMN model that fails bpmnlint",
    )
    if os.environ.get(ENV) != "1":
        return
    gate = LintGate(config.rootpath)
    config.pluginmanager.register(gate, "bpmnlint-gate")
    # deploy.parse_cached looks the module-level name up on every call
    original: Parser = getattr(deploy, "parse_bpmn")  # noqa: B009 - not re-exported
    setattr(deploy, "parse_bpmn", gate.wrap(original))  # noqa: B010
    config.add_cleanup(lambda: setattr(deploy, "parse_bpmn", original))
