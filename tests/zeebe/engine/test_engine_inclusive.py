"""Inclusive gateways (spec 4.2 "Inclusive gateway")."""

from __future__ import annotations

import pytest
from engine_support import Driver, bpmn, flow, service_task

pytestmark = pytest.mark.unit


def inclusive(default: bool = True) -> Driver:
    default_attr = ' default="f_none"' if default else ""
    xml = bpmn(
        "or",
        '<bpmn:startEvent id="s"/>'
        f'<bpmn:inclusiveGateway id="split"{default_attr}/>'
        + service_task("a", "a")
        + service_task("b", "b")
        + (service_task("n", "n") if default else "")
        + '<bpmn:inclusiveGateway id="join"/><bpmn:endEvent id="e"/>'
        + flow("f0", "s", "split")
        + flow("f_a", "split", "a", "= wantA")
        + flow("f_b", "split", "b", "= wantB")
        + (flow("f_none", "split", "n") if default else "")
        + flow("f_a2", "a", "join")
        + flow("f_b2", "b", "join")
        + (flow("f_n2", "n", "join") if default else "")
        + flow("f_end", "join", "e"),
    )
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver


def test_diverging_takes_every_flow_with_a_true_condition() -> None:
    """Spec 4.2: the instance takes all sequence flows whose condition is fulfilled."""
    driver = inclusive()
    pi = driver.create("or", {"wantA": True, "wantB": True})
    assert sorted(e for e, _ in driver.active(pi)) == ["a", "b"]


def test_join_waits_for_all_taken_paths() -> None:
    """Spec 4.2: the join completes when all incoming paths that can still arrive have arrived."""
    driver = inclusive()
    pi = driver.create("or", {"wantA": True, "wantB": True})
    driver.complete(driver.job("a")["key"])
    assert "join" not in driver.completed(pi)
    driver.complete(driver.job("b")["key"])
    assert driver.completed(pi)[-3:] == ["join", "e", "or"]


def test_join_fires_when_no_other_path_can_arrive() -> None:
    """Spec 4.2: no path from an active element to an untaken incoming flow -> the join fires."""
    driver = inclusive()
    pi = driver.create("or", {"wantA": True, "wantB": False})
    driver.complete(driver.job("a")["key"])
    assert driver.completed(pi)[-3:] == ["join", "e", "or"]


def test_no_true_condition_takes_the_default_flow() -> None:
    """Spec 4.2: with no fulfilled condition the default flow is taken."""
    driver = inclusive()
    pi = driver.create("or", {"wantA": False, "wantB": False})
    assert [e for e, _ in driver.active(pi)] == ["n"]


def test_no_true_condition_and_no_default_raises_incident() -> None:
    """Spec 4.2: no fulfilled condition and no default flow -> incident."""
    driver = inclusive(default=False)
    driver.create("or", {"wantA": False, "wantB": False})
    (incident,) = driver.incidents()
    assert incident["errorType"] == "CONDITION_ERROR"
