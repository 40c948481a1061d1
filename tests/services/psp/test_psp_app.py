"""HTTP behaviour of the PSP simulator, with inline scheduling and a recording notifier."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from services.psp import PspConfig, PspRuntime, create_app

pytestmark = pytest.mark.unit


class Effects:
    """Records sleeps and callbacks; runs scheduled actions only when asked."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.pending: list[Callable[[], None]] = []
        self.callbacks: list[tuple[str, dict[str, Any]]] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def schedule(self, delay_s: float, action: Callable[[], None]) -> None:
        self.pending.append(action)

    def notify(self, url: str, body: dict[str, Any]) -> None:
        self.callbacks.append((url, body))

    def run_scheduled(self) -> None:
        actions, self.pending = self.pending, []
        for action in actions:
            action()


@pytest.fixture
def effects() -> Effects:
    return Effects()


@pytest.fixture
def client(effects: Effects) -> FlaskClient:
    runtime = PspRuntime(
        config=PspConfig(default_callback_url="http://merchant/cb"),
        sleep=effects.sleep,
        schedule=effects.schedule,
        notify=effects.notify,
    )
    return create_app(runtime=runtime).test_client()


def js(response: Any) -> Any:
    """The JSON body of a test-client response (typed Any for brevity in asserts)."""
    return response.json


def charge(client: FlaskClient, reference: str, token: str = "card", amount: int = 1000) -> Any:
    body = {"amount": amount, "currency": "EUR", "reference": reference, "card_token": token}
    return client.post("/charges", json=body)


def test_charge_is_idempotent_by_reference(client: FlaskClient) -> None:
    """Brief: idempotent by reference; a repeat returns the same charge without a new one."""
    first = charge(client, "ref-1")
    second = charge(client, "ref-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert js(first)["payment_id"] == js(second)["payment_id"]
    assert len(js(client.get("/charges"))["charges"]) == 1


def test_reference_reused_with_other_amount_is_refused(client: FlaskClient) -> None:
    """A reference names one charge: another amount under it is a client bug (422)."""
    charge(client, "ref-1", amount=1000)
    assert charge(client, "ref-1", amount=999).status_code == 422


def test_declined_charge_is_recorded_as_declined(client: FlaskClient) -> None:
    """tok_decline: the answer says declined and a repeat gives the same answer."""
    assert js(charge(client, "ref-d", "tok_decline"))["status"] == "declined"
    assert js(charge(client, "ref-d", "card"))["status"] == "declined"


def test_error_records_nothing_so_a_retry_can_succeed(client: FlaskClient) -> None:
    """A 500 happens before processing: the same reference can be charged afterwards."""
    assert charge(client, "ref-e", "tok_error").status_code == 500
    assert client.get("/charges/ref-e").status_code == 404
    assert js(charge(client, "ref-e", "card"))["status"] == "approved"


def test_timeout_token_records_charge_then_answers_late(
    client: FlaskClient, effects: Effects
) -> None:
    """Brief: tok_timeout sleeps past the client timeout, then succeeds."""
    client.put("/knobs", json={"timeout_sleep_ms": 3000})
    response = charge(client, "ref-t", "tok_timeout")
    assert js(response)["status"] == "approved"
    assert effects.sleeps[-1] == 3.0


def test_latency_knob_delays_every_charge(client: FlaskClient, effects: Effects) -> None:
    """Knob latency_ms is applied to each charge request."""
    client.put("/knobs", json={"latency_ms": 250})
    charge(client, "ref-l")
    assert effects.sleeps == [0.25]


def test_async_charge_is_pending_then_confirmed_by_callback(
    client: FlaskClient, effects: Effects
) -> None:
    """Brief: pending = asynchronous confirmation, a later POST to the callback URL."""
    pending = charge(client, "ref-a", "tok_async")
    assert js(pending)["status"] == "pending"
    assert effects.callbacks == []
    effects.run_scheduled()
    url, body = effects.callbacks[0]
    assert url == "http://merchant/cb"
    assert (body["payment_id"], body["status"]) == (js(pending)["payment_id"], "approved")
    assert js(client.get("/charges/ref-a"))["status"] == "approved"


def test_callback_url_from_request_wins(client: FlaskClient, effects: Effects) -> None:
    """A charge may name its own callback URL (the merchant's payment resource)."""
    body = {"amount": 5, "currency": "EUR", "reference": "r", "card_token": "tok_async_decline"}
    client.post("/charges", json={**body, "callback_url": "http://merchant/p/1"})
    effects.run_scheduled()
    assert effects.callbacks == [
        ("http://merchant/p/1", effects.callbacks[0][1]),
    ]
    assert effects.callbacks[0][1]["status"] == "declined"


def test_refund_happens_once(client: FlaskClient) -> None:
    """A refund by reference moves the money back once; repeats return the same refund."""
    charge(client, "ref-r", amount=700)
    first = client.post("/refunds", json={"reference": "ref-r"})
    second = client.post("/refunds", json={"reference": "ref-r"})
    assert first.json == second.json
    assert (js(first)["status"], js(first)["refunded_amount"]) == ("refunded", 700)
    assert js(client.get("/charges"))["refunds"] == 1


def test_refund_without_charge_is_404(client: FlaskClient) -> None:
    """Nothing was charged under the reference: nothing to refund."""
    assert client.post("/refunds", json={"reference": "nope"}).status_code == 404


def test_refund_of_declined_charge_moves_nothing(client: FlaskClient) -> None:
    """A declined charge took no money, so the refund leaves it declined."""
    charge(client, "ref-d", "tok_decline")
    refund = client.post("/refunds", json={"reference": "ref-d"})
    assert (js(refund)["status"], js(refund)["refunded_amount"]) == ("declined", 0)


def test_refund_of_pending_charge_voids_it_and_callback_reports_refunded(
    client: FlaskClient, effects: Effects
) -> None:
    """Refunding before confirmation voids the charge: no money moved, confirmation is moot."""
    charge(client, "ref-p", "tok_async")
    refund = client.post("/refunds", json={"reference": "ref-p"})
    assert (js(refund)["status"], js(refund)["refunded_amount"]) == ("refunded", 0)
    effects.run_scheduled()
    assert effects.callbacks[0][1]["status"] == "refunded"


def test_knobs_are_settable_and_validated(client: FlaskClient) -> None:
    """`PUT /knobs` changes named knobs; bad ones are 400."""
    assert js(client.put("/knobs", json={"decline_rate": 1.0}))["decline_rate"] == 1.0
    assert js(charge(client, "ref-k"))["status"] == "declined"
    assert client.put("/knobs", json={"decline_rate": 2}).status_code == 400


def test_invalid_charge_body_is_400(client: FlaskClient) -> None:
    """Amounts are positive integer minor units; reference and card token are required."""
    assert client.post("/charges", json={"amount": 1.5}).status_code == 400
    assert client.post("/charges", data="x").status_code == 400


def test_metrics_count_charge_attempts_by_outcome(client: FlaskClient) -> None:
    """Observability: the simulator exposes Prometheus metrics per outcome."""
    charge(client, "m-1", "tok_decline")
    charge(client, "m-2", "tok_error")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'psp_charge_attempts_total{outcome="declined"} 1.0' in text
    assert 'psp_charge_attempts_total{outcome="error"} 1.0' in text


def test_health_has_the_contract_shape(client: FlaskClient) -> None:
    """CONTRACT 5 shape, so the stack's health checks treat the simulator like a service."""
    assert js(client.get("/health")) == {"status": "ok", "service": "psp"}
