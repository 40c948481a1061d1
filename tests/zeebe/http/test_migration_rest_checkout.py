"""Migrating a running checkout saga from bpmn/checkout.bpmn (v1) to
bpmn/checkout-fraud-check.bpmn (v2) over POST /v2/process-instances/{key}/migration, then
failing it (Camunda 8.8 docs "Process instance migration", "Compensation boundary events": a
mapped compensation boundary event keeps the subscription of the completed activity, which is
migrated to the target; Zeebe 8.8 `ProcessInstanceMigrationCatchEventBehaviour`).

The saga is driven over /v2 job endpoints (no workers): cart.reserve and pricing.quote complete,
the instance waits at payment-capture, it is migrated with the compensation boundary events of
the completed steps mapped, then payment.capture throws PAYMENT_DECLINED: the failure event
subprocess compensates, and the handlers run as elements of the TARGET definition.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rest_support import Rest

pytestmark = pytest.mark.e2e

BPMN = Path(__file__).resolve().parents[3] / "bpmn"
COMPLETED_STEPS = ("cart-reserve", "pricing-quote")
UNDO = {"cart-reserve": "cart.release", "pricing-quote": "pricing.revert"}


def deployed(rest: Rest) -> tuple[str, str]:
    """Deploy v1 then v2 of process `checkout`: (v1 key, v2 key)."""
    keys = []
    for name in ("checkout.bpmn", "checkout-fraud-check.bpmn"):
        body = rest.deploy((name, (BPMN / name).read_bytes()))
        keys.append(body["deployments"][0]["processDefinition"]["processDefinitionKey"])
    return keys[0], keys[1]


def one_job(rest: Rest, job_type: str) -> dict[str, Any]:
    """Activate exactly one job of a type."""
    jobs = rest.activate(job_type)
    assert len(jobs) == 1, f"expected one {job_type} job, got {jobs}"
    return jobs[0]


def complete(rest: Rest, job_type: str, variables: dict[str, Any]) -> None:
    """Activate and complete the one job of a type."""
    job = one_job(rest, job_type)
    response = rest.post(f"/jobs/{job['jobKey']}/completion", {"variables": variables})
    assert response.status_code == 204, response.text


def mid_saga(rest: Rest, v1: str) -> str:
    """A v1 checkout whose cart and pricing steps completed; it waits at payment-capture."""
    variables = {"checkoutId": "co_migrated", "cartId": "cart-1", "customerId": "c-1"}
    created = rest.post("/process-instances", {"processDefinitionKey": v1, "variables": variables})
    assert created.status_code == 200, created.text
    complete(rest, "cart.reserve", {"reservationKey": "r-1", "items": [], "currency": "EUR"})
    complete(rest, "pricing.quote", {"quoteKey": "q-1", "total": 10, "quoteLines": []})
    return str(created.json()["processInstanceKey"])


def plan(target: str) -> dict[str, Any]:
    """The active step, and the compensation boundary events of the completed steps."""
    mapping = [("payment-capture", "payment-capture")]
    mapping += [(f"compensate-{step}", f"compensate-{step}") for step in COMPLETED_STEPS]
    return {
        "targetProcessDefinitionKey": target,
        "mappingInstructions": [{"sourceElementId": s, "targetElementId": t} for s, t in mapping],
    }


def test_migrated_checkout_compensates_with_the_target_handlers(rest: Rest) -> None:
    """204; after PAYMENT_DECLINED the undo jobs of both completed steps belong to v2 (element
    instances of the target definition) and the saga ends in checkout-failed."""
    v1, v2 = deployed(rest)
    instance = mid_saga(rest, v1)
    response = rest.post(f"/process-instances/{instance}/migration", plan(v2))
    assert response.status_code == 204, response.text
    payment = one_job(rest, "payment.capture")
    assert payment["processDefinitionKey"] == v2
    failure = {"failureReason": "PAYMENT_DECLINED", "failedStep": "payment-capture"}
    declined = {"errorCode": "PAYMENT_DECLINED", "errorMessage": "declined", "variables": failure}
    response = rest.post(f"/jobs/{payment['jobKey']}/error", declined)
    assert response.status_code == 204, response.text
    complete(rest, "saga.compensate", {})
    for step, job_type in UNDO.items():
        handler = one_job(rest, job_type)
        assert (handler["processDefinitionKey"], handler["processDefinitionVersion"]) == (v2, 2)
        assert handler["elementId"] == job_type.replace(".", "-"), step
        done = rest.post(f"/jobs/{handler['jobKey']}/completion", {"variables": {}})
        assert done.status_code == 204, done.text
    shown = rest.get(f"/process-instances/{instance}").json()
    assert (shown["state"], shown["processDefinitionKey"]) == ("COMPLETED", v2)


def test_without_the_boundary_mappings_nothing_is_compensated(rest: Rest) -> None:
    """Mapping only the active step: the completed steps' subscriptions are deleted, so the
    failure path runs no undo job ("will not compensate")."""
    v1, v2 = deployed(rest)
    instance = mid_saga(rest, v1)
    body = {
        "targetProcessDefinitionKey": v2,
        "mappingInstructions": [
            {"sourceElementId": "payment-capture", "targetElementId": "payment-capture"}
        ],
    }
    response = rest.post(f"/process-instances/{instance}/migration", body)
    assert response.status_code == 204, response.text
    payment = one_job(rest, "payment.capture")
    declined = {"errorCode": "PAYMENT_DECLINED", "errorMessage": "declined"}
    assert rest.post(f"/jobs/{payment['jobKey']}/error", declined).status_code == 204
    complete(rest, "saga.compensate", {})
    assert rest.activate("cart.release") == [] and rest.activate("pricing.revert") == []
    shown = rest.get(f"/process-instances/{instance}").json()
    assert shown["state"] == "COMPLETED"
