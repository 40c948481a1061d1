"""The per-service circuit breaker lets concurrent calls through while closed (DESIGN §5: one
breaker per downstream service, 32 job threads), and otherwise keeps pybreaker's rules."""

from __future__ import annotations

import threading
import time

import pybreaker
import pytest

from workers.breaker import ConcurrentCircuitBreaker
from workers.client import create_breaker

pytestmark = pytest.mark.unit


class Overlap:
    """A guarded call that records how many run at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0

    def __call__(self) -> str:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return "ok"


def _concurrently(breaker: pybreaker.CircuitBreaker, call: Overlap, threads: int) -> None:
    workers = [threading.Thread(target=breaker.call, args=(call,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def test_closed_breaker_lets_calls_overlap() -> None:
    """Eight threads calling one service through one closed breaker run at the same time."""
    call = Overlap()
    _concurrently(create_breaker("cart"), call, 8)
    assert call.most == 8


def test_plain_pybreaker_would_serialise_them() -> None:
    """Why the subclass exists: pybreaker 1.4 holds its lock for the whole call."""
    call = Overlap()
    _concurrently(pybreaker.CircuitBreaker(), call, 4)
    assert call.most == 1


def _fail() -> None:
    raise ConnectionError("down")


def test_failures_still_trip_the_breaker_and_then_it_fails_fast() -> None:
    """fail_max consecutive technical failures open it; the next call never reaches the service."""
    breaker = ConcurrentCircuitBreaker(fail_max=3, reset_timeout=60)
    for _ in range(2):
        with pytest.raises(ConnectionError):
            breaker.call(_fail)
    with pytest.raises(pybreaker.CircuitBreakerError):
        breaker.call(_fail)  # the third failure trips it, as in pybreaker
    assert breaker.current_state == pybreaker.STATE_OPEN
    reached: list[bool] = []
    with pytest.raises(pybreaker.CircuitBreakerError):
        breaker.call(lambda: reached.append(True))
    assert reached == []


def test_excluded_errors_do_not_count() -> None:
    """A business refusal (an excluded type) is re-raised and resets the failure count."""
    breaker = ConcurrentCircuitBreaker(fail_max=2, exclude=[ValueError])
    with pytest.raises(ConnectionError):
        breaker.call(_fail)

    def refuse() -> None:
        raise ValueError("declined")

    with pytest.raises(ValueError):
        breaker.call(refuse)
    assert (breaker.fail_counter, breaker.current_state) == (0, pybreaker.STATE_CLOSED)


def test_half_open_trial_success_closes_and_notifies_listeners() -> None:
    """After the reset timeout one trial call runs; its success closes the breaker, and the
    listeners (the breaker-state gauge) hear every state change."""
    changes: list[str] = []

    class Listener(pybreaker.CircuitBreakerListener):
        def state_change(self, cb, old_state, new_state):  # type: ignore[no-untyped-def]
            changes.append(new_state.name)

    breaker = ConcurrentCircuitBreaker(fail_max=1, reset_timeout=0.05, listeners=[Listener()])
    with pytest.raises(pybreaker.CircuitBreakerError):
        breaker.call(_fail)
    time.sleep(0.1)
    assert breaker.call(lambda: "ok") == "ok"
    assert changes == [pybreaker.STATE_OPEN, pybreaker.STATE_HALF_OPEN, pybreaker.STATE_CLOSED]
