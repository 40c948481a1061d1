"""The rest of zbctl 8.4.1's commands against the real embedded engine: awaiting a result,
cancelling, setting variables, throwing a BPMN error, broadcasting a signal, evaluating a decision
(the first steps of the job lifecycle are in test_zbctl_compat.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from compat_processes import error_boundary, one_task, write

from zeebe.records import ValueType
from zeebe.testing.bpmn_builder import ProcessBuilder
from zeebe.testing.bpmn_events import Signal
from zeebe.testing.harness import EmbeddedZeebe

pytestmark = pytest.mark.e2e
DMN = Path(__file__).parents[1] / "dmn" / "fixtures" / "checkout_discount.dmn"


def _deploy(zbctl: Any, tmp_path: Path, name: str, xml: bytes | str) -> None:
    text = xml.decode() if isinstance(xml, bytes) else xml
    zbctl("deploy", write(tmp_path, name, text))


def test_create_instance_with_result_returns_the_final_variables(
    zbctl: Any, tmp_path: Path
) -> None:
    """`create instance --withResult` is CreateProcessInstanceWithResult (spec 1.2 row 6): the
    answer comes once the instance completed, with its variables."""
    xml = (
        ProcessBuilder("compat-sum")
        .start()
        .script_task("add", expression="=a + b", result_variable="sum")
        .end()
        .to_xml()
    )
    _deploy(zbctl, tmp_path, "sum.bpmn", xml)

    done = zbctl(
        "create", "instance", "compat-sum", "--variables", '{"a": 2, "b": 3}', "--withResult"
    )

    assert done["bpmnProcessId"] == "compat-sum"
    assert json.loads(done["variables"]) == {"a": 2, "b": 3, "sum": 5}


def test_cancel_instance_terminates_it(
    zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path
) -> None:
    """`cancel instance <key>` (CancelProcessInstance) terminates a waiting instance; a second
    cancel is NOT_FOUND (spec 1.2 row 3)."""
    _deploy(zbctl, tmp_path, "one.bpmn", one_task())
    key = zbctl("create", "instance", "compat-one")["processInstanceKey"]

    zbctl("cancel", "instance", str(key))

    embedded_zeebe.assert_that(int(key)).is_terminated()
    assert "NotFound" in zbctl("cancel", "instance", str(key), expect_ok=False)


def test_set_variables_on_the_instance_scope(
    zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path
) -> None:
    """`set variables <key> --variables` (SetVariables) merges into the scope; the job activated
    afterwards sees them."""
    _deploy(zbctl, tmp_path, "one.bpmn", one_task())
    key = zbctl("create", "instance", "compat-one", "--variables", '{"n": 1}')["processInstanceKey"]

    zbctl("set", "variables", str(key), "--variables", '{"n": 2, "extra": "x"}')

    (job,) = zbctl("activate", "jobs", "compat.work")["jobs"]
    assert json.loads(job["variables"]) == {"n": 2, "extra": "x"}
    embedded_zeebe.assert_that(int(key)).has_variables({"n": 2, "extra": "x"})


def test_throw_error_is_caught_by_the_error_boundary_event(
    zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path
) -> None:
    """`throwError job <key> --errorCode` (ThrowError) is caught by the boundary event with that
    code: the instance leaves through it."""
    _deploy(zbctl, tmp_path, "error.bpmn", error_boundary())
    key = zbctl("create", "instance", "compat-error")["processInstanceKey"]
    (job,) = zbctl("activate", "jobs", "compat.charge")["jobs"]

    zbctl("throwError", "job", job["key"], "--errorCode", "DECLINED", "--errorMessage", "no")

    # the task is terminated by the interrupting boundary event, so it is not among the passed
    embedded_zeebe.assert_that(int(key)).is_completed().has_passed_elements_in_order(
        "start", "declined", "declined_end"
    )


def test_broadcast_signal_triggers_a_waiting_signal_catch_event(
    zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path
) -> None:
    """`broadcast signal <name>` (BroadcastSignal) triggers every subscription of that name."""
    xml = (
        ProcessBuilder("compat-signal")
        .start()
        .intermediate_catch("wait", event=Signal("go"))
        .end()
        .to_xml()
    )
    _deploy(zbctl, tmp_path, "signal.bpmn", xml)
    key = zbctl("create", "instance", "compat-signal")["processInstanceKey"]
    embedded_zeebe.assert_that(int(key)).is_waiting_at("wait")

    answer = zbctl("broadcast", "signal", "go", "--variables", '{"went": true}')

    assert int(answer["key"]) > 0
    embedded_zeebe.assert_that(int(key)).is_completed().has_variables({"went": True})


def test_evaluate_decision_by_id(zbctl: Any, embedded_zeebe: EmbeddedZeebe, tmp_path: Path) -> None:
    """`evaluate decision <id>` (EvaluateDecision): the output and every evaluated decision of
    the requirement chain; the evaluation is recorded as DECISION_EVALUATION EVALUATED."""
    zbctl("deploy", str(DMN))
    variables = {"customer": {"orderCount": 12}, "order": {"total": 250}}

    result = zbctl("evaluate", "decision", "discount", "--variables", json.dumps(variables))

    assert json.loads(result["decisionOutput"]) == {"rate": 0.15, "code": "GOLD15"}
    assert [d["decisionId"] for d in result["evaluatedDecisions"]] == ["customer_tier", "discount"]
    assert any(
        r.value_type is ValueType.DECISION_EVALUATION and r.intent == "EVALUATED"
        for r in embedded_zeebe.records()
    )
