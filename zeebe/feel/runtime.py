"""Evaluation-time state: variable scopes, the step budget, and function invocation."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from zeebe.feel.errors import FeelEvaluationError
from zeebe.feel.values import FeelFunction
from zeebe.feel.warnings import EvaluationWarning

MAX_STEPS = 1_000_000
MAX_LIST_SIZE = 1_000_000
MAX_STRING_LENGTH = 10_000_000
MAX_CALL_DEPTH = 60
MISSING: Any = object()


class State:
    """Per-evaluation bookkeeping: clock, step budget, call depth and warnings (not shared)."""

    __slots__ = ("_now", "depth", "steps", "warnings")

    def __init__(self, now: datetime | None) -> None:
        self._now = now
        self.steps = 0
        self.depth = 0
        self.warnings: list[EvaluationWarning] | None = None  # made on the first warning

    def warn(self, kind: str, message: str) -> None:
        """Record a suppressed failure (FEEL-Scala's EvaluationFailureCollector); only the
        paths that give up on a value call this, so successful evaluations pay nothing."""
        if self.warnings is None:
            self.warnings = []
        self.warnings.append(EvaluationWarning(kind, message))

    @property
    def now(self) -> datetime:
        """The engine clock; read lazily because most expressions never ask for it."""
        if self._now is None:
            self._now = datetime.now(UTC)
        return self._now

    def tick(self, count: int = 1) -> None:
        """Charge `count` steps; pathological inputs exhaust the budget instead of hanging."""
        self.steps += count
        if self.steps > MAX_STEPS:
            message = f"exceeded the evaluation budget of {MAX_STEPS} steps"
            raise FeelEvaluationError(message)


def check_size(value: Any) -> Any:
    """Refuse strings/lists beyond the limits (doubling tricks would exhaust memory)."""
    if type(value) is str and len(value) > MAX_STRING_LENGTH:
        message = f"string exceeds {MAX_STRING_LENGTH} characters"
        raise FeelEvaluationError(message)
    if type(value) is list and len(value) > MAX_LIST_SIZE:
        message = f"list exceeds {MAX_LIST_SIZE} items"
        raise FeelEvaluationError(message)
    return value


class Scope:
    """A chain of variable bindings; the root binds the caller's variables mapping."""

    __slots__ = ("bindings", "parent", "state")

    def __init__(self, bindings: Mapping[str, Any], parent: Scope | None, state: State) -> None:
        self.bindings = bindings
        self.parent = parent
        self.state = state

    def lookup(self, name: str) -> Any:
        """The value bound to name in the nearest scope, or MISSING."""
        scope: Scope | None = self
        while scope is not None:
            value = scope.bindings.get(name, MISSING)
            if value is not MISSING:
                return value
            scope = scope.parent
        return MISSING

    def child(self, bindings: Mapping[str, Any]) -> Scope:
        """A nested scope whose bindings shadow this one's."""
        return Scope(bindings, self, self.state)


@dataclass(frozen=True)
class Builtin:
    """A built-in function: positional implementation, parameter names for named calls.

    `needs_state` built-ins (now, today, sort with a function) get the State as first argument.
    `alternatives` are further parameter-name lists, each mapped onto the positional arguments
    in its own order: FEEL-Scala overloads a name (`date(from)`, `date(year, month, day)`).
    `varargs` built-ins take their last parameter as a sequence: named, it is a list whose
    items become the trailing arguments (`union(lists: [[1], [2]])`).
    """

    fn: Callable[..., Any]
    params: tuple[str, ...] = ()
    needs_state: bool = False
    alternatives: tuple[tuple[str, ...], ...] = ()
    varargs: bool = False
    name: str = ""

    def bind(self, named: Mapping[str, Any]) -> list[Any] | None:
        """Named arguments -> positional list by the first signature naming them all."""
        for params in (self.params, *self.alternatives):
            args = bind_named(params, named)
            if args is not None and self.varargs and args and isinstance(args[-1], list):
                return [*args[:-1], *args[-1]]
            if args is not None:
                return args
        return None


Evaluator = Callable[[Scope], Any]


def user_function(params: tuple[str, ...], body: Evaluator, scope: Scope) -> FeelFunction:
    """Close a `function(...)` body over its defining scope."""

    def invoke(args: Sequence[Any]) -> Any:
        if len(args) != len(params):
            return None
        state = scope.state
        state.tick()
        state.depth += 1
        if state.depth > MAX_CALL_DEPTH:
            raise FeelEvaluationError("exceeded the maximum function call depth")
        try:
            return body(scope.child(dict(zip(params, args, strict=True))))
        finally:
            state.depth -= 1

    return FeelFunction("function", params, invoke)


def bind_named(params: Sequence[str], named: Mapping[str, Any]) -> list[Any] | None:
    """Named arguments -> positional list; None if a name is unknown."""
    if not set(named) <= set(params):
        return None
    args = [named.get(name) for name in params]
    while args and args[-1] is None and params[len(args) - 1] not in named:
        args.pop()
    return args


def register(
    registry: dict[str, Builtin],
    *names: str,
    params: tuple[str, ...] = (),
    needs_state: bool = False,
    alternatives: tuple[tuple[str, ...], ...] = (),
    varargs: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator adding a built-in to a registry under one or more names."""

    def add(fn: Callable[..., Any]) -> Callable[..., Any]:
        for name in names:
            registry[name] = Builtin(fn, params, needs_state, alternatives, varargs, name)
        return fn

    return add


def expect(value: Any, *types: type) -> Any:
    """Argument type check: a TypeError here makes the call evaluate to null."""
    if type(value) not in types or (type(value) is bool and bool not in types):
        raise TypeError(f"unexpected argument {value!r}")
    return value
