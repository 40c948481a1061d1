"""A pybreaker circuit breaker that lets concurrent calls through while it is closed.

`pybreaker.CircuitBreaker.call` holds the breaker's lock for the whole guarded call (pybreaker
issue #3, unchanged in 1.4), so with one breaker per downstream service every request of the
worker's 32 job threads to that service waited for the previous one: the workers reached each
service one request at a time, which capped the saga near 8 checkouts/s with idle CPU left.

Here the lock guards only the state machine. While closed, the call runs outside it and its outcome
is recorded afterwards through pybreaker's own state handlers (same counting, exclusions, listeners
and tripping). Open and half-open calls go through pybreaker unchanged: an open breaker fails fast,
and the half-open trial stays a single serialised call, as pybreaker intends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pybreaker

T = TypeVar("T")


class ConcurrentCircuitBreaker(pybreaker.CircuitBreaker):
    """`call` without holding the lock around a call made in the closed state."""

    def call(self, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `func` under the breaker's rules; see the module docstring."""
        with self._lock:
            if self.current_state != pybreaker.STATE_CLOSED:
                return super().call(func, *args, **kwargs)
        try:
            result = func(*args, **kwargs)
        except BaseException as error:
            with self._lock:
                # Counts a system error (and may trip the breaker, raising CircuitBreakerError
                # as pybreaker does); an excluded error counts as a success. Re-raises either way.
                self.state._handle_error(error)
            raise  # not reached: _handle_error re-raises
        with self._lock:
            self.state._handle_success()
        return result
