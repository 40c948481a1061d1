"""Checkout domain rules: request validation, feature-flag routing, trace context, variables."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from services.checkout import domain
from services.common.problems import ProblemError

pytestmark = pytest.mark.unit

VALID = {"cartId": "cart-1", "customerId": "cust-1", "cardToken": "tok_approve"}


@pytest.mark.parametrize("field", ["cartId", "customerId", "cardToken"])
def test_a_missing_required_field_is_a_400_naming_it(field: str) -> None:
    """services/CONTRACT.md §2: missing field -> 400 VALIDATION_FAILED with `field`."""
    body = {name: value for name, value in VALID.items() if name != field}

    with pytest.raises(ProblemError) as raised:
        domain.parse_request(body)

    assert raised.value.problem.status == 400
    assert raised.value.problem.extensions["field"] == field


def test_a_malformed_currency_is_refused() -> None:
    """Currency is an ISO 4217 code (services/CONTRACT.md §4)."""
    with pytest.raises(ProblemError) as raised:
        domain.parse_request({**VALID, "currency": "euro"})

    assert raised.value.problem.extensions["field"] == "currency"


def test_optional_coupon_and_currency_are_kept() -> None:
    """Optional `coupon` and `currency` pass through to the request."""
    parsed = domain.parse_request({**VALID, "coupon": "SAVE10", "currency": "USD"})

    assert (parsed.coupon, parsed.currency) == ("SAVE10", "USD")


def test_start_variables_follow_the_bpmn_contract() -> None:
    """bpmn/README.md "Start variables": absent optionals are not sent as nulls."""
    parsed = domain.parse_request(VALID)

    variables = domain.start_variables("co_1", parsed, traceparent="tp")

    assert variables == {
        "checkoutId": "co_1",
        "cartId": "cart-1",
        "customerId": "cust-1",
        "cardToken": "tok_approve",
        "traceparent": "tp",
    }


def test_the_confirmation_timeout_is_passed_when_configured() -> None:
    """`paymentConfirmationTimeout` is an ISO 8601 duration start variable."""
    parsed = domain.parse_request({**VALID, "coupon": "C"})

    variables = domain.start_variables(
        "co_1", parsed, traceparent="tp", confirmation_timeout="PT2S"
    )

    assert variables["paymentConfirmationTimeout"] == "PT2S"
    assert variables["coupon"] == "C"


def test_traceparent_is_w3c_version_00_and_unique() -> None:
    """W3C trace context: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`."""
    first, second = domain.new_traceparent(), domain.new_traceparent()

    assert re.fullmatch(r"00-[0-9a-f]{32}-[0-9a-f]{16}-01", first)
    assert first != second


@pytest.mark.parametrize(("percent", "expected"), [(0, domain.V1), (100, domain.V2_FRAUD_CHECK)])
def test_flag_extremes_route_every_checkout_to_one_version(percent: int, expected: str) -> None:
    """0 % keeps everyone on v1, 100 % sends everyone to the fraud-check version."""
    ids = [f"co_{n}" for n in range(200)]

    assert {domain.choose_version(checkout_id, percent) for checkout_id in ids} == {expected}


def test_flag_routes_about_the_configured_share_deterministically() -> None:
    """A percentage routes roughly that share of checkouts, the same way every time."""
    ids = [domain.new_checkout_id() for _ in range(4000)]

    routed = Counter(domain.choose_version(checkout_id, 25) for checkout_id in ids)
    again = Counter(domain.choose_version(checkout_id, 25) for checkout_id in ids)

    assert routed == again
    assert 0.21 < routed[domain.V2_FRAUD_CHECK] / len(ids) < 0.29


def test_raising_the_percentage_only_moves_checkouts_to_v2() -> None:
    """Buckets are stable: a checkout on v2 at 10 % stays on v2 at 50 %."""
    ids = [f"co_{n}" for n in range(1000)]

    at_10 = {c for c in ids if domain.choose_version(c, 10) == domain.V2_FRAUD_CHECK}
    at_50 = {c for c in ids if domain.choose_version(c, 50) == domain.V2_FRAUD_CHECK}

    assert at_10 < at_50


@pytest.mark.parametrize("raw", ["-1", "101", "ten"])
def test_an_invalid_percentage_is_refused(raw: str) -> None:
    """CHECKOUT_FRAUD_CHECK_PERCENT must be an integer from 0 to 100."""
    with pytest.raises(ValueError, match="CHECKOUT_FRAUD_CHECK_PERCENT"):
        domain.parse_percent(raw)


def test_an_unset_percentage_means_zero() -> None:
    """Unset flag: no checkout goes to the fraud-check version."""
    assert domain.parse_percent(None) == 0
    assert domain.parse_percent("") == 0
    assert domain.parse_percent("40") == 40
