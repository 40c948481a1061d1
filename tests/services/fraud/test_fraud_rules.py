"""Fraud rules: deterministic score, rejection above the limit or for blocked customers."""

from __future__ import annotations

import pytest

from services.common.problems import BusinessError
from services.fraud.domain import CheckRequest, FraudRules, assess, parse_rules, score

pytestmark = pytest.mark.unit

RULES = FraudRules(max_amount=10_000, blocked_customers=frozenset({"cust-bad"}))


def _request(amount: int, customer: str | None = "cust-1") -> CheckRequest:
    return CheckRequest(checkout_id="co_1", customer_id=customer, amount=amount, currency="EUR")


def test_the_score_is_the_amounts_share_of_the_limit() -> None:
    """Same input, same score: 2 500 of a 10 000 limit scores 25."""
    assert score(_request(2_500), RULES) == 25
    assert score(_request(2_500), RULES) == score(_request(2_500), RULES)


def test_an_amount_at_the_limit_is_approved() -> None:
    """The limit itself is allowed; the response carries the score and decision."""
    response = assess("k", _request(10_000), RULES)

    assert (response["decision"], response["score"]) == ("approved", 100)


def test_an_amount_above_the_limit_is_rejected() -> None:
    """422 FRAUD_REJECTED (bpmn/README.md: `fraud.check` BPMN error) naming the rule."""
    with pytest.raises(BusinessError) as raised:
        assess("k", _request(10_001), RULES)

    assert raised.value.code == "FRAUD_REJECTED"
    assert raised.value.problem.extensions["rules"] == ("amount_limit",)


def test_a_blocked_customer_is_rejected_whatever_the_amount() -> None:
    """The block list wins over small amounts."""
    with pytest.raises(BusinessError) as raised:
        assess("k", _request(1, customer="cust-bad"), RULES)

    assert raised.value.problem.extensions["rules"] == ("blocked_customer",)


def test_rules_are_read_from_the_environment() -> None:
    """FRAUD_MAX_AMOUNT and FRAUD_BLOCKED_CUSTOMERS (comma separated)."""
    rules = parse_rules({"FRAUD_MAX_AMOUNT": "500", "FRAUD_BLOCKED_CUSTOMERS": "a, b,"})

    assert rules == FraudRules(max_amount=500, blocked_customers=frozenset({"a", "b"}))


def test_a_malformed_limit_is_refused() -> None:
    """A configuration error names the variable."""
    with pytest.raises(ValueError, match="FRAUD_MAX_AMOUNT"):
        parse_rules({"FRAUD_MAX_AMOUNT": "lots"})
