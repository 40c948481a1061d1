"""The engine's view (REST /v2 answers) and how it combines with the services' events."""

from __future__ import annotations

import pytest

from services.checkout.engine_view import EngineInstance, Incident, to_instance
from services.checkout.projection import SagaStatus
from services.checkout.service import merge

pytestmark = pytest.mark.unit

PIK = "2251799813685249"
EVENTS_FAILED = SagaStatus("failed", None, "inventory-allocate", ("cart.release",))
EVENTS_PENDING = SagaStatus("pending", None, None, ())


def test_failure_variables_are_read_from_the_process_scope_only() -> None:
    """bpmn/README.md: the error start event maps `failureReason`/`failedStep` to the process;
    a same-named local variable of another scope is ignored. Values are JSON text."""
    variables = [
        {"name": "failureReason", "value": '"LOCAL"', "scopeKey": "99"},
        {"name": "failureReason", "value": '"OUT_OF_STOCK"', "scopeKey": PIK},
        {"name": "failedStep", "value": '"inventory-allocate"', "scopeKey": PIK},
    ]

    seen = to_instance({"processInstanceKey": PIK, "state": "COMPLETED"}, variables, [], [])

    assert (seen.failure_reason, seen.failed_step) == ("OUT_OF_STOCK", "inventory-allocate")


def test_completed_handlers_and_the_first_incident_are_reported() -> None:
    """Completed compensation handler elements are listed by job type; other elements are not."""
    elements = [{"elementId": "payment-refund"}, {"elementId": "cart-reserve"}]
    incidents = [
        {"errorType": "JOB_NO_RETRIES", "errorMessage": "boom", "elementId": "saga-compensate"}
    ]

    seen = to_instance({"processInstanceKey": PIK, "state": "ACTIVE"}, [], incidents, elements)

    assert seen.compensations == ("payment.refund",)
    assert seen.incident == Incident("JOB_NO_RETRIES", "boom", "saga-compensate")


def test_without_the_engine_the_events_decide() -> None:
    """Engine REST unreachable: the projection alone."""
    merged = merge(EVENTS_FAILED, None)

    assert (merged["status"], merged["engineState"]) == ("failed", None)


def test_a_finished_instance_with_a_failure_reason_failed_with_that_reason() -> None:
    """The failure path ends at "Checkout failed": COMPLETED in Zeebe terms, with failureReason."""
    engine = EngineInstance(
        "COMPLETED", "OUT_OF_STOCK", "inventory-allocate", None, ("payment.refund",)
    )

    merged = merge(EVENTS_FAILED, engine)

    assert (merged["status"], merged["reason"]) == ("failed", "OUT_OF_STOCK")
    assert merged["compensations"] == ["cart.release", "payment.refund"]


def test_a_finished_instance_without_a_failure_reason_completed() -> None:
    """The happy path's end event."""
    assert merge(EVENTS_PENDING, EngineInstance("COMPLETED"))["status"] == "completed"


def test_a_running_instance_is_pending_even_while_compensating() -> None:
    """The engine decides the lifecycle: failed only once the failure path has ended."""
    merged = merge(EVENTS_FAILED, EngineInstance("ACTIVE", "PAYMENT_DECLINED"))

    assert (merged["status"], merged["reason"]) == ("pending", "PAYMENT_DECLINED")


def test_an_incident_is_reported_on_a_pending_checkout() -> None:
    """A saga waiting for an operator shows the incident instead of looking merely slow."""
    incident = Incident("JOB_NO_RETRIES", "inventory unavailable", "saga-compensate")

    merged = merge(EVENTS_PENDING, EngineInstance("ACTIVE", incident=incident))

    assert merged["status"] == "pending"
    assert merged["incident"] == {
        "errorType": "JOB_NO_RETRIES",
        "errorMessage": "inventory unavailable",
        "elementId": "saga-compensate",
    }


def test_a_cancelled_instance_failed() -> None:
    """An operator cancelled the instance (TERMINATED)."""
    assert merge(EVENTS_PENDING, EngineInstance("TERMINATED"))["reason"] == "CANCELED"
