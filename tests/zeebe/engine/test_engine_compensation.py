"""Compensation (spec 3): handlers of completed activities, each once, in the throw's scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_support import Driver, bpmn, chain, flow, service_task

from zeebe.records import ValueType

pytestmark = pytest.mark.unit

CHECKOUT = Path(__file__).resolve().parents[3] / "bpmn" / "checkout.bpmn"


def compensable(activity: str, job_type: str, handler_type: str) -> str:
    """A service task with a compensation boundary event associated with its handler."""
    handler = f"undo-{activity}"
    return (
        service_task(activity, job_type)
        + f'<bpmn:boundaryEvent id="comp-{activity}" attachedToRef="{activity}">'
        "<bpmn:compensateEventDefinition/></bpmn:boundaryEvent>"
        + service_task(handler, handler_type).replace(
            f'<bpmn:serviceTask id="{handler}">',
            f'<bpmn:serviceTask id="{handler}" isForCompensation="true">',
        )
        + f'<bpmn:association id="assoc-{activity}" sourceRef="comp-{activity}" '
        f'targetRef="{handler}"/>'
    )


def throw(event_id: str = "undo", activity_ref: str | None = None) -> str:
    ref = f' activityRef="{activity_ref}"' if activity_ref else ""
    return (
        f'<bpmn:intermediateThrowEvent id="{event_id}">'
        f"<bpmn:compensateEventDefinition{ref}/></bpmn:intermediateThrowEvent>"
    )


def deployed(xml: bytes) -> Driver:
    driver = Driver()
    result = driver.deploy(xml)
    assert result.rejection is None, result.rejection
    return driver


def two_steps_then_undo(activity_ref: str | None = None) -> Driver:
    return deployed(
        bpmn(
            "comp",
            '<bpmn:startEvent id="s"/>'
            + compensable("a", "a", "undo.a")
            + compensable("b", "b", "undo.b")
            + throw(activity_ref=activity_ref)
            + '<bpmn:endEvent id="e"/>'
            + chain("s", "a", "b", "undo", "e"),
        )
    )


def test_throw_invokes_handlers_of_completed_activities_and_waits_for_them() -> None:
    """Spec 3.1: all handlers of completed activities are invoked at once; the throw event
    remains active until they complete, then takes its outgoing flow."""
    driver = two_steps_then_undo()
    pi = driver.create("comp")
    driver.complete(driver.job("a")["key"])
    driver.complete(driver.job("b")["key"])
    undo_a, undo_b = driver.job("undo.a"), driver.job("undo.b")
    assert ("undo", "ELEMENT_ACTIVATED") in driver.active(pi)
    driver.complete(undo_a["key"])
    assert not driver.is_completed(pi)
    driver.complete(undo_b["key"])
    assert driver.completed(pi)[-3:] == ["undo", "e", "comp"]
    assert ("comp-a", "ELEMENT_COMPLETED") in driver.element_events(pi)


def test_activity_ref_compensates_only_that_activity() -> None:
    """Spec 3.1: activityRef limits compensation to the referenced activity."""
    driver = two_steps_then_undo(activity_ref="b")
    driver.create("comp")
    driver.complete(driver.job("a")["key"])
    driver.complete(driver.job("b")["key"])
    assert driver.activate("undo.a") == []
    assert len(driver.activate("undo.b")) == 1


def test_nothing_to_compensate_completes_the_throw_at_once() -> None:
    """Spec 3.2: no matching subscription -> the throw event completes immediately."""
    driver = deployed(
        bpmn(
            "nothing",
            '<bpmn:startEvent id="s"/>'
            + throw()
            + '<bpmn:endEvent id="e"/>'
            + chain("s", "undo", "e"),
        )
    )
    pi = driver.create("nothing")
    assert driver.completed(pi) == ["s", "undo", "e", "nothing"]


def test_active_activity_is_not_compensated() -> None:
    """Spec 3.1: handlers of active (not completed) activities are not invoked."""
    driver = deployed(
        bpmn(
            "active",
            '<bpmn:startEvent id="s"/><bpmn:parallelGateway id="fork"/>'
            + compensable("a", "a", "undo.a")
            + compensable("b", "b", "undo.b")
            + throw()
            + '<bpmn:endEvent id="e"/><bpmn:endEvent id="e2"/>'
            + chain("s", "fork", "a")
            + flow("f2", "fork", "b")
            + flow("f3", "a", "undo")
            + flow("f4", "undo", "e")
            + flow("f5", "b", "e2"),
        )
    )
    driver.create("active")
    driver.complete(driver.job("a")["key"])
    assert len(driver.activate("undo.a")) == 1
    assert driver.activate("undo.b") == []


def test_each_completion_is_compensated_only_once() -> None:
    """Spec 3.2: a second throw does not compensate the same completed instance again."""
    driver = deployed(
        bpmn(
            "twice",
            '<bpmn:startEvent id="s"/>'
            + compensable("a", "a", "undo.a")
            + throw("t1")
            + throw("t2")
            + '<bpmn:endEvent id="e"/>'
            + chain("s", "a", "t1", "t2", "e"),
        )
    )
    pi = driver.create("twice")
    driver.complete(driver.job("a")["key"])
    driver.complete(driver.job("undo.a")["key"])
    assert driver.is_completed(pi)
    assert len(driver.events(ValueType.JOB, "CREATED")) == 2


ASSOCIATION_A = '<bpmn:association id="assoc-a" sourceRef="comp-a" targetRef="undo-a"/>'


def test_compensation_descends_into_completed_subprocess() -> None:
    """Spec 3.1: completed embedded subprocesses in the scope have their handlers invoked."""
    driver = deployed(
        bpmn(
            "nested",
            '<bpmn:startEvent id="s"/><bpmn:subProcess id="sp"><bpmn:startEvent id="ss"/>'
            + compensable("a", "a", "undo.a").replace(ASSOCIATION_A, "")
            + '<bpmn:endEvent id="se"/>'
            + chain("ss", "a", "se")
            + "</bpmn:subProcess>"
            + ASSOCIATION_A  # at process level, where Modeler puts it (and bpmnlint looks)
            + throw()
            + '<bpmn:endEvent id="e"/>'
            + chain("s", "sp", "undo", "e"),
        )
    )
    pi = driver.create("nested")
    driver.complete(driver.job("a")["key"])
    handler = driver.job("undo.a")
    assert driver.engine.state.instances[handler["elementInstanceKey"]].flow_scope_key == pi
    driver.complete(handler["key"])
    assert driver.is_completed(pi)


def test_checkout_payment_declined_compensates_completed_steps() -> None:
    """The checkout saga: a declined payment (BPMN error) is caught by the catch-all event
    subprocess, which undoes the failed step and compensates every completed step once."""
    driver = deployed(CHECKOUT.read_bytes())
    pi = driver.create("checkout", {"checkoutId": "c-1"})
    driver.complete(driver.job("cart.reserve")["key"], {"reservationId": "r-1"})
    driver.complete(driver.job("pricing.quote")["key"], {"total": 10})
    job = driver.job("payment.capture")
    driver.throw(job["key"], "PAYMENT_DECLINED", variables={"failureReason": "PAYMENT_DECLINED"})
    assert driver.variables(pi)["failureReason"] == "PAYMENT_DECLINED"
    driver.complete(driver.job("saga.compensate")["key"])
    assert driver.activate("payment.refund") == []
    handlers = [driver.job("cart.release"), driver.job("pricing.revert")]
    for handler in handlers:
        driver.complete(handler["key"])
    assert driver.completed(pi)[-4:] == [
        "undo-completed-steps",
        "checkout-failed",
        "checkout-failure",
        "checkout",
    ]
    assert driver.engine.state.compensations == {}


def test_checkout_happy_path_completes_and_drops_subscriptions() -> None:
    """The checkout saga completes when every step succeeds; compensation subscriptions of the
    instance are deleted at the end (spec 3.2)."""
    driver = deployed(CHECKOUT.read_bytes())
    pi = driver.create("checkout", {"checkoutId": "c-1"})
    for job_type, result in [
        ("cart.reserve", {}),
        ("pricing.quote", {}),
        ("payment.capture", {"paymentStatus": "captured", "paymentId": "p-1"}),
        ("inventory.allocate", {}),
        ("order.create", {}),
        ("cart.consume", {}),
    ]:
        driver.complete(driver.job(job_type)["key"], result)
    assert driver.completed(pi)[-2:] == ["checkout-completed", "checkout"]
    assert len(driver.events(ValueType.COMPENSATION_SUBSCRIPTION, "CREATED")) == 5
    assert driver.engine.state.compensations == {}


def test_checkout_confirmation_timeout_fails_and_refunds_payment() -> None:
    """The checkout saga: no payment confirmation before the timer -> error end event -> the
    catch-all event subprocess compensates, including the captured payment."""
    driver = deployed(CHECKOUT.read_bytes())
    pi = driver.create("checkout", {"checkoutId": "c-1", "paymentConfirmationTimeout": "PT5S"})
    driver.complete(driver.job("cart.reserve")["key"])
    driver.complete(driver.job("pricing.quote")["key"])
    capture = driver.job("payment.capture")
    driver.complete(capture["key"], {"paymentStatus": "pending_confirmation", "paymentId": "p-1"})
    assert ("await-payment-confirmation", "ELEMENT_ACTIVATED") in driver.active(pi)
    driver.advance(5_000)
    assert driver.variables(pi)["failureReason"] == "PAYMENT_CONFIRMATION_TIMEOUT"
    driver.complete(driver.job("saga.compensate")["key"])
    for job_type in ("cart.release", "pricing.revert", "payment.refund"):
        driver.complete(driver.job(job_type)["key"])
    assert driver.is_completed(pi)


def test_checkout_confirmation_message_continues_the_saga() -> None:
    """The checkout saga: the confirmation message correlates by paymentId (spec 5.5)."""
    driver = deployed(CHECKOUT.read_bytes())
    pi = driver.create("checkout", {"checkoutId": "c-1"})
    driver.complete(driver.job("cart.reserve")["key"])
    driver.complete(driver.job("pricing.quote")["key"])
    capture = driver.job("payment.capture")
    driver.complete(capture["key"], {"paymentStatus": "pending_confirmation", "paymentId": "p-1"})
    driver.publish("payment-confirmed", "p-1", variables={"paymentStatus": "captured"})
    assert driver.job("inventory.allocate")["processInstanceKey"] == pi
