"""The bpmnlint gate (issue #3): every BPMN model a test deploys passes bpmnlint.

Runs inner pytest sessions (pytester, in a subprocess so the outer session's own gate does not see
their deliberately dirty models) with `-p zeebe.testing.lint_gate` and `CHECKOUT_BPMNLINT_GATE=1`,
linting with the repository's `node_modules/.bin/bpmnlint` and `.bpmnlintrc`. Without the npm
tools the tests skip locally but fail when `CI=true`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from diagram_samples import SAMPLES

from zeebe.testing.diagram import with_diagram
from zeebe.testing.lint_gate import ENV, is_error, parse_report

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[3]
BPMNLINT = REPO / "node_modules" / ".bin" / "bpmnlint"

INNER = """
import pytest

from zeebe.engine.api import Command
from zeebe.engine.engine import Engine
from zeebe.records import ValueType
from zeebe.testing.diagram import with_diagram

HEAD = (
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t">'
    '<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/>'
)
DIRTY = (HEAD + "</bpmn:process></bpmn:definitions>").encode()
CLEAN = with_diagram(
    (
        HEAD + '<bpmn:endEvent id="e"/>'
        '<bpmn:sequenceFlow id="f" sourceRef="s" targetRef="e"/></bpmn:process></bpmn:definitions>'
    ).encode()
)
REJECTED = DIRTY.replace(b'isExecutable="true"', b'isExecutable="false"')


def deploy(xml, name="m.bpmn"):
    value = {"resources": [{"resourceName": name, "resource": xml}]}
    return Engine(lambda: 0).process(Command(ValueType.DEPLOYMENT, "CREATE", value))
"""


def _bpmnlint() -> Path:
    if BPMNLINT.exists():
        return BPMNLINT
    if os.environ.get("CI") == "true":
        pytest.fail(f"{BPMNLINT} is missing: install the npm dev tools (npm ci)")
    pytest.skip("bpmnlint is not installed (run npm ci); required when CI=true")


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester directory that lints like the repository root, with the gate switched on."""
    _bpmnlint()
    (pytester.path / "node_modules").symlink_to(REPO / "node_modules")
    shutil.copy(REPO / ".bpmnlintrc", pytester.path / ".bpmnlintrc")
    monkeypatch.setenv(ENV, "1")
    return pytester


def run(pytester: pytest.Pytester, tests: str) -> pytest.RunResult:
    pytester.makepyfile(test_inner=INNER + tests)
    return pytester.runpytest_subprocess("-p", "zeebe.testing.lint_gate")


def test_a_lint_dirty_deployment_fails_the_session_naming_model_test_and_messages(
    inner: pytest.Pytester,
) -> None:
    """The tests pass, the session fails: the report names the resource, the test that
    deployed it and bpmnlint's messages."""
    result = run(inner, "\ndef test_dirty():\n    deploy(DIRTY)\n")
    result.assert_outcomes(passed=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*1 of 1 deployed BPMN models fail bpmnlint*",
            "m.bpmn <- deployed by test_inner.py::test_dirty",
            "*end-event-required*",
        ]
    )


def test_exempt_tests_and_rejected_models_are_not_linted(inner: pytest.Pytester) -> None:
    """Only successful deployments of non-exempt tests are recorded."""
    tests = (
        "\n@pytest.mark.bpmnlint_exempt(reason='documents an implicit end')\n"
        "def test_exempt():\n    deploy(DIRTY)\n"
        "\ndef test_rejected():\n    assert deploy(REJECTED).rejection is not None\n"
    )
    result = run(inner, tests)
    result.assert_outcomes(passed=2)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["bpmnlint gate: 0 deployed BPMN models pass bpmnlint"])


def test_clean_models_pass_and_are_linted_once(inner: pytest.Pytester) -> None:
    """The same resource deployed by two tests is one model; a clean session exits 0."""
    tests = "\ndef test_a():\n    deploy(CLEAN)\n\ndef test_b():\n    deploy(CLEAN)\n"
    result = run(inner, tests)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["bpmnlint gate: 1 deployed BPMN models pass bpmnlint"])


def test_the_gate_is_off_without_the_environment_switch(
    inner: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until the lead switches it on in `.ci/run`, the plugin only registers the marker."""
    monkeypatch.delenv(ENV)
    result = run(
        inner, "\n@pytest.mark.bpmnlint_exempt(reason='x')\ndef test_dirty():\n    deploy(DIRTY)\n"
    )
    assert result.ret == pytest.ExitCode.OK
    assert "bpmnlint" not in result.stdout.str()


@pytest.mark.parametrize("name", SAMPLES)
def test_with_diagram_output_has_no_lint_errors(name: str, tmp_path: Path) -> None:
    """What `with_diagram` emits passes bpmnlint (warnings such as no-inclusive-gateway are
    allowed; the gate fails on errors only)."""
    path = tmp_path / f"{name.removesuffix('.bpmn')}.bpmn"
    path.write_bytes(with_diagram(SAMPLES[name]))
    result = subprocess.run(
        [str(_bpmnlint()), str(path)],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [m for m in parse_report(result.stdout).get(str(path), []) if is_error(m)]
    assert errors == [], result.stdout
