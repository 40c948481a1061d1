"""Rules of the PSP simulator's decision: magic tokens, knob rates, seeded determinism."""

from __future__ import annotations

import pytest

from services.psp.domain import ChargeStatus, Decision, Knobs, Outcome, decide, rng_for

pytestmark = pytest.mark.unit


def test_magic_token_overrides_knobs() -> None:
    """Brief: per-request overrides by magic card tokens win over the knob rates."""
    knobs = Knobs(decline_rate=1.0)
    assert decide(knobs, "tok_approve", rng_for(knobs, "r", 0)) == Decision(Outcome.APPROVED)


@pytest.mark.parametrize(
    ("token", "outcome"),
    [
        ("tok_decline", Outcome.DECLINED),
        ("tok_async", Outcome.PENDING),
        ("tok_error", Outcome.ERROR),
        ("tok_timeout", Outcome.TIMEOUT),
    ],
)
def test_each_magic_token_forces_its_outcome(token: str, outcome: Outcome) -> None:
    """Brief: tok_decline, tok_async, tok_error, tok_timeout force their outcome."""
    knobs = Knobs()
    assert decide(knobs, token, rng_for(knobs, "r", 0)).outcome is outcome


def test_async_token_confirms_approved_and_async_decline_token_declined() -> None:
    """Brief: pending charges are confirmed later; the token scripts the confirmation."""
    knobs = Knobs()
    assert decide(knobs, "tok_async", rng_for(knobs, "r", 0)).confirmation is ChargeStatus.APPROVED
    declined = decide(knobs, "tok_async_decline", rng_for(knobs, "r", 0))
    assert declined.confirmation is ChargeStatus.DECLINED


@pytest.mark.parametrize(
    ("knob", "outcome"),
    [
        ("error_rate", Outcome.ERROR),
        ("timeout_rate", Outcome.TIMEOUT),
        ("decline_rate", Outcome.DECLINED),
        ("async_rate", Outcome.PENDING),
    ],
)
def test_rate_of_one_always_gives_that_outcome(knob: str, outcome: Outcome) -> None:
    """A rate knob of 1.0 makes every ordinary card take that outcome."""
    knobs = Knobs().updated({knob: 1.0})
    outcomes = {decide(knobs, "card", rng_for(knobs, f"r{i}", 0)).outcome for i in range(20)}
    assert outcomes == {outcome}


def test_zero_rates_approve_every_ordinary_card() -> None:
    """With default knobs (all rates 0) the simulator approves."""
    knobs = Knobs()
    outcomes = {decide(knobs, "card", rng_for(knobs, f"r{i}", 0)).outcome for i in range(20)}
    assert outcomes == {Outcome.APPROVED}


def test_same_seed_gives_same_outcomes_in_any_order() -> None:
    """Brief: deterministic with a seed; draws depend on (seed, reference, attempt) only."""
    knobs = Knobs(decline_rate=0.5, seed=7)
    refs = [f"r{i}" for i in range(30)]
    forward = {r: decide(knobs, "card", rng_for(knobs, r, 0)).outcome for r in refs}
    backward = {r: decide(knobs, "card", rng_for(knobs, r, 0)).outcome for r in reversed(refs)}
    assert forward == backward
    assert set(forward.values()) == {Outcome.APPROVED, Outcome.DECLINED}


def test_different_seed_changes_outcomes() -> None:
    """The seed is part of the draw: another seed gives another sequence."""
    refs = [f"r{i}" for i in range(30)]

    def run(seed: int) -> list[Outcome]:
        knobs = Knobs(decline_rate=0.5, seed=seed)
        return [decide(knobs, "card", rng_for(knobs, r, 0)).outcome for r in refs]

    assert run(1) != run(2)


def test_knobs_update_rejects_unknown_names_and_out_of_range_rates() -> None:
    """`PUT /knobs` validation: unknown knob names and rates outside [0, 1] are refused."""
    with pytest.raises(ValueError, match="unknown knobs"):
        Knobs().updated({"explode": 1})
    with pytest.raises(ValueError, match="out of range"):
        Knobs().updated({"decline_rate": 1.5})
    with pytest.raises(ValueError, match="must be a number"):
        Knobs().updated({"latency_ms": "fast"})


def test_knobs_update_keeps_other_values() -> None:
    """Only the named knobs change."""
    knobs = Knobs(latency_ms=5).updated({"decline_rate": 0.25})
    assert (knobs.latency_ms, knobs.decline_rate) == (5, 0.25)
