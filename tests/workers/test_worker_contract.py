"""The BPMN is the contract (CONVENTIONS habits 10 and 15): BPMN, contract and workers agree."""

from __future__ import annotations

from pathlib import Path

import pytest
from defusedxml import ElementTree
from worker_fakes import FakeTransport, make_deps

from workers.contract import (
    CHECKOUT_ID_VARIABLE,
    TASKS,
    TASKS_BY_TYPE,
    StepKind,
    checkout_id_from,
    compensation_for,
    element_id_for,
    forward_element_id,
    idempotency_key,
)
from workers.failures import MalformedJobError
from workers.routers import JobBackoff, create_routers, variables_to_fetch

pytestmark = pytest.mark.unit

BPMN_DIR = Path(__file__).resolve().parents[2] / "bpmn"
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "zeebe": "http://camunda.org/schema/zeebe/1.0",
}


def _bpmn_service_tasks() -> dict[str, tuple[str, str]]:
    """task type -> (element id, retries) over every service task in bpmn/*.bpmn."""
    found: dict[str, tuple[str, str]] = {}
    files = sorted(BPMN_DIR.glob("*.bpmn"))
    assert files, f"no BPMN files in {BPMN_DIR}"
    for path in files:
        root = ElementTree.parse(path).getroot()
        for task in root.iterfind(".//bpmn:serviceTask", NS):
            definition = task.find("bpmn:extensionElements/zeebe:taskDefinition", NS)
            assert definition is not None, f"{path.name}: {task.get('id')} has no taskDefinition"
            found[definition.get("type")] = (task.get("id"), definition.get("retries", "3"))
    return found


def _worker_task_types() -> set[str]:
    routers = create_routers(
        make_deps(FakeTransport([])), job_timeout_ms=30_000, backoff=JobBackoff()
    )
    return {task.type for router in routers.values() for task in router.tasks}


def test_every_bpmn_task_type_has_a_worker() -> None:
    """Habit 10: "every task type in bpmn/ has a worker"."""
    assert set(_bpmn_service_tasks()) - _worker_task_types() == set()


def test_every_worker_task_type_appears_in_the_bpmn() -> None:
    """Habit 10: "... and every worker task type appears in bpmn/"."""
    assert _worker_task_types() - set(_bpmn_service_tasks()) == set()


def test_workers_register_exactly_the_contract() -> None:
    """Habit 15: task types are listed once, in workers/contract.py; routers are built from it."""
    assert _worker_task_types() == {spec.type for spec in TASKS}


def test_one_router_per_owning_service() -> None:
    """Brief: one ZeebeTaskRouter per owning service, holding only that service's task types."""
    routers = create_routers(
        make_deps(FakeTransport([])), job_timeout_ms=30_000, backoff=JobBackoff()
    )
    assert set(routers) == {"cart", "pricing", "fraud", "payment", "inventory", "order", "saga"}
    for service, router in routers.items():
        assert {task.type.split(".")[0] for task in router.tasks} == {service}


def test_bpmn_element_ids_follow_the_task_type_scheme() -> None:
    """Habit 15: ids and task types follow one scheme (`payment.capture` -> `payment-capture`),
    which is what lets a handler derive its forward step's key from the contract."""
    for task_type, (element_id, _) in _bpmn_service_tasks().items():
        assert element_id == element_id_for(task_type)


def test_bpmn_retries_match_the_contract() -> None:
    """The job back-off is computed from the contract's retries: they must match the model."""
    for task_type, (_, retries) in _bpmn_service_tasks().items():
        assert int(retries) == TASKS_BY_TYPE[task_type].retries, task_type


def test_task_types_follow_service_dot_operation() -> None:
    """Brief: task types follow `<service>.<operation>`."""
    for spec in TASKS:
        service, _, verb = spec.type.partition(".")
        assert service == spec.service and verb.isidentifier()


def test_each_compensation_handler_undoes_a_forward_step_of_the_same_service() -> None:
    """A handler calls the compensation endpoint of the operation its forward step called."""
    for spec in TASKS:
        if spec.kind is StepKind.COMPENSATION:
            forward = TASKS_BY_TYPE[spec.compensates or ""]
            assert forward.kind is StepKind.FORWARD
            assert (forward.service, forward.operation) == (spec.service, spec.operation)
            assert spec.error_codes == (), "compensation handlers never throw BPMN errors"


def test_compensation_for_finds_the_handler_of_a_forward_element() -> None:
    """`saga.compensate` maps the failed element id to the handler that undoes it."""
    assert compensation_for("payment-capture") == TASKS_BY_TYPE["payment.refund"]
    assert compensation_for("fraud-check") is None
    assert compensation_for("cart-consume") is None


def test_idempotency_key_is_checkout_id_and_forward_element() -> None:
    """bpmn/README.md: key = `<checkoutId>:<forward element id>`, stable across job retries; a
    compensation handler sends its forward step's key (CONTRACT §1 compensation URL)."""
    reserve, release = TASKS_BY_TYPE["cart.reserve"], TASKS_BY_TYPE["cart.release"]
    checkout_id = "co_0123456789abcdef01234567"

    assert idempotency_key(checkout_id, reserve) == f"{checkout_id}:cart-reserve"
    assert idempotency_key(checkout_id, release) == f"{checkout_id}:cart-reserve"
    assert forward_element_id(release) == reserve.element_id


def test_idempotency_keys_satisfy_the_service_key_alphabet() -> None:
    """CONTRACT §1: keys are at most 200 characters of `[A-Za-z0-9._:-]`, even for the longest
    checkout id the workers accept."""
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")
    longest = checkout_id_from({"checkoutId": "A" * 160})
    for spec in TASKS:
        key = idempotency_key(longest, spec)
        assert len(key) <= 200 and set(key) <= allowed


def test_every_job_fetches_the_checkout_id_its_key_is_built_from() -> None:
    """A job only carries the variables it asks for: without `checkoutId` no key can be built."""
    for spec in TASKS:
        assert CHECKOUT_ID_VARIABLE in variables_to_fetch(spec), spec.type


def test_a_missing_checkout_id_is_a_malformed_job_naming_the_variable() -> None:
    """Brief h25: no silent fallback to the process instance key, which repeats after an
    engine reset; the error names the variable so the incident says what to fix."""
    with pytest.raises(MalformedJobError, match="'checkoutId' is missing") as error:
        checkout_id_from({"cartId": "cart-1"})

    assert error.value.variable == "checkoutId"


@pytest.mark.parametrize("value", ["", 42, "co 1", "co:1", "A" * 161, ["co_1"]])
def test_an_unusable_checkout_id_is_a_malformed_job(value: object) -> None:
    """The key must satisfy CONTRACT §1's alphabet and keep one colon, before the element id."""
    with pytest.raises(MalformedJobError, match="'checkoutId' is not usable"):
        checkout_id_from({"checkoutId": value})
