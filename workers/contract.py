"""The single list of job types the checkout BPMN uses, and what each one calls.

The BPMN in ``bpmn/`` is the contract (CONVENTIONS habit 10); this module mirrors it once for the
workers, and ``tests/workers/test_contract.py`` checks that both sides name the same task types.
Element ids follow the task types: the service task of type ``cart.reserve`` has the BPMN id
``cart-reserve``, so a compensation handler can derive the idempotency key of the forward step it
undoes from the contract and the instance's ``checkoutId`` alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from workers.failures import MalformedJobError

__all__ = [
    "CHECKOUT_ID_VARIABLE",
    "COMPENSATED",
    "ERROR_CODES",
    "OWNERS",
    "SERVICES",
    "SERVICE_UNAVAILABLE",
    "TASKS",
    "TASKS_BY_TYPE",
    "StepKind",
    "TaskSpec",
    "checkout_id_from",
    "compensation_for",
    "element_id_for",
    "forward_element_id",
    "idempotency_key",
]

SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
"""BPMN error a forward step throws when its service's circuit breaker is open."""

COMPENSATED = "COMPENSATED"
"""BPMN error for a 409: the forward key was already compensated (services/CONTRACT.md §2)."""

CHECKOUT_ID_VARIABLE = "checkoutId"
"""The start variable that names the saga in every idempotency key (bpmn/README.md)."""

# The services accept keys of 1-200 characters of [A-Za-z0-9._:-] (services/CONTRACT.md §1);
# no colon here, so the first one in a key always ends the checkout id, and 160 characters
# leave room for ":" and the longest element id.
_CHECKOUT_ID = re.compile(r"[A-Za-z0-9._-]{1,160}")


class StepKind(Enum):
    """Whether a task performs a saga step, undoes a completed one, or undoes the failed one."""

    FORWARD = "forward"
    COMPENSATION = "compensation"
    # The step that threw is terminated, so BPMN compensation skips it; its outcome may still be
    # in doubt (a timed-out call that succeeded later), so the failure path undoes it by key.
    UNDO_FAILED_STEP = "undo-failed-step"


@dataclass(frozen=True)
class TaskSpec:
    """One job type: the service operation it calls and the BPMN errors it may throw."""

    type: str
    service: str
    operation: str
    kind: StepKind
    compensates: str | None = None
    error_codes: tuple[str, ...] = ()
    retries: int = 3

    @property
    def element_id(self) -> str:
        """The BPMN id of the service task that has this job type."""
        return element_id_for(self.type)


def _forward(task_type: str, operation: str, *codes: str) -> TaskSpec:
    """A forward step: business codes from services/CONTRACT.md §3 plus the two saga-wide codes."""
    service = task_type.split(".", 1)[0]
    return TaskSpec(
        type=task_type,
        service=service,
        operation=operation,
        kind=StepKind.FORWARD,
        error_codes=(*codes, COMPENSATED, SERVICE_UNAVAILABLE),
    )


def _undo(task_type: str, forward: TaskSpec) -> TaskSpec:
    """A compensation handler: calls the forward operation's compensation endpoint, never throws."""
    return TaskSpec(
        type=task_type,
        service=forward.service,
        operation=forward.operation,
        kind=StepKind.COMPENSATION,
        compensates=forward.type,
        # Undo must eventually happen: more attempts before the job becomes an incident.
        retries=5,
    )


_CART_RESERVE = _forward(
    "cart.reserve", "reservations", "CART_NOT_FOUND", "CART_NOT_OPEN", "CART_ALREADY_RESERVED"
)
_PRICING_QUOTE = _forward(
    "pricing.quote", "quotes", "COUPON_INVALID", "COUPON_EXHAUSTED", "UNKNOWN_SKU"
)
_FRAUD_CHECK = _forward("fraud.check", "checks", "FRAUD_REJECTED")
_PAYMENT_CAPTURE = _forward("payment.capture", "captures", "PAYMENT_DECLINED")
_INVENTORY_ALLOCATE = _forward("inventory.allocate", "allocations", "OUT_OF_STOCK")
_ORDER_CREATE = _forward("order.create", "orders")
_CART_CONSUME = _forward("cart.consume", "consumptions", "RESERVATION_NOT_ACTIVE")

TASKS: tuple[TaskSpec, ...] = (
    _CART_RESERVE,
    _undo("cart.release", _CART_RESERVE),
    _PRICING_QUOTE,
    _undo("pricing.revert", _PRICING_QUOTE),
    _FRAUD_CHECK,
    _PAYMENT_CAPTURE,
    _undo("payment.refund", _PAYMENT_CAPTURE),
    _INVENTORY_ALLOCATE,
    _undo("inventory.release", _INVENTORY_ALLOCATE),
    _ORDER_CREATE,
    _undo("order.cancel", _ORDER_CREATE),
    _CART_CONSUME,
    TaskSpec(
        type="saga.compensate",
        service="saga",
        operation="compensate",
        kind=StepKind.UNDO_FAILED_STEP,
        retries=5,
    ),
)

TASKS_BY_TYPE: dict[str, TaskSpec] = {spec.type: spec for spec in TASKS}

OWNERS: tuple[str, ...] = tuple(dict.fromkeys(spec.service for spec in TASKS))
"""One pyzeebe router each; ``saga`` owns the worker-only task that needs no service of its own."""

SERVICES: tuple[str, ...] = tuple(
    dict.fromkeys(spec.service for spec in TASKS if spec.kind is not StepKind.UNDO_FAILED_STEP)
)
"""The downstream HTTP services: one client and one circuit breaker each."""

ERROR_CODES: frozenset[str] = frozenset(code for spec in TASKS for code in spec.error_codes)


def compensation_for(element_id: str) -> TaskSpec | None:
    """The handler that undoes the forward step with BPMN id ``element_id``, if it has one."""
    for spec in TASKS:
        if spec.compensates and element_id_for(spec.compensates) == element_id:
            return spec
    return None


def element_id_for(task_type: str) -> str:
    """The BPMN element id scheme: ``payment.capture`` -> ``payment-capture``."""
    return task_type.replace(".", "-")


def forward_element_id(spec: TaskSpec) -> str:
    """The element id whose idempotency key this task uses (a handler uses its forward step's)."""
    return element_id_for(spec.compensates or spec.type)


def checkout_id_from(variables: Mapping[str, Any]) -> str:
    """The job's ``checkoutId``, or ``MalformedJobError`` naming it when it is absent or unusable.

    There is deliberately no fallback to the process instance key: instance keys repeat after an
    engine reset, and a repeated key would replay another saga's answers.
    """
    value = variables.get(CHECKOUT_ID_VARIABLE)
    if value is None:
        raise MalformedJobError(
            CHECKOUT_ID_VARIABLE,
            "is missing: every idempotency key is <checkoutId>:<forward element id>, so the "
            "process must be started with it (bpmn/README.md, start variables)",
        )
    if not isinstance(value, str) or _CHECKOUT_ID.fullmatch(value) is None:
        # The message becomes the incident's: the value's repr is cut at 80 characters.
        raise MalformedJobError(
            CHECKOUT_ID_VARIABLE,
            f"is not usable in an idempotency key (a string of 1-160 characters of "
            f"[A-Za-z0-9._-]): {value!r:.80}",
        )
    return value


def idempotency_key(checkout_id: str, spec: TaskSpec) -> str:
    """The stable key ``<checkoutId>:<forward element id>``, identical across job retries.

    The checkout id is unique per saga for good, unlike the process instance key, which a reset
    or new engine cluster hands out again. A compensation handler sends the key of the forward
    step it undoes, so the service can find (or tombstone) exactly that operation.
    """
    return f"{checkout_id}:{forward_element_id(spec)}"
