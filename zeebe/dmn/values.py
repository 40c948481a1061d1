"""Value helpers: layered variable lookup, result type checks, and values rendered for messages.

dmn-scala's failure messages print FEEL values with FEEL-Scala's `Val#toString` (`"gold"`,
`0.1`) inside Scala collections (`List(Map(discount -> 0.1), ...)`); `val_text` and `map_text`
render ours the same way so that failure messages read like Zeebe's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from zeebe.feel import FeelEvaluationError
from zeebe.feel.values import kind
from zeebe.feel.warnings import describe


class Layers(Mapping[str, Any]):
    """Read-only lookup through several mappings, the first holding a name wins.

    FEEL only looks names up, so the caller's variables are never copied or iterated.
    """

    __slots__ = ("_layers",)

    def __init__(self, *layers: Mapping[str, Any]) -> None:
        self._layers = layers

    def __getitem__(self, name: str) -> Any:
        for layer in self._layers:
            if name in layer:
                return layer[name]
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter({name: None for layer in self._layers for name in layer})

    def __len__(self) -> int:
        return sum(1 for _ in self)


def val_text(value: Any) -> str:
    """A FEEL value as dmn-scala prints it in failure messages: FEEL-Scala 1.17+'s
    `Val#toString` (`"low"`, `0.1`, `null`, `[1, 2]`, `{a:1}`), as in dmn-scala 1.9+'s tests."""
    return describe(value)


def map_text(outputs: Mapping[str, Any]) -> str:
    """A rule's outputs as dmn-scala prints them (a Scala Map of Vals): `Map(name -> "a")`."""
    return f"Map({', '.join(f'{key} -> {val_text(item)}' for key, item in outputs.items())})"


_TYPE_KINDS: dict[str, Callable[[str], bool]] = {
    "string": lambda k: k == "string",
    "number": lambda k: k == "number",
    "boolean": lambda k: k == "boolean",
    "time": lambda k: k == "time",
    "date": lambda k: k == "date",
    "dateTime": lambda k: k == "date time",
    "dayTimeDuration": lambda k: k == "days time duration",
    "yearMonthDuration": lambda k: k == "years months duration",
}


def type_mismatch(value: Any, type_ref: str | None) -> str | None:
    """Why `value` does not conform to `type_ref` (dmn-scala's TypeChecker), or None.

    Null conforms to every type; unknown type names (and none) accept any value.
    """
    if not type_ref or value is None:
        return None
    name = type_ref.removeprefix("feel:")
    check = _TYPE_KINDS.get(name)
    if check is None or check(kind(value)):
        return None
    return f"expected '{name}' but found '{val_text(value)}'"


# The scope key of a knowledge model's strict entry point (the boxed `invocation` calls it and
# fails on its failure); never a FEEL name, so FEEL expressions cannot reach it.
INVOKER_PREFIX = "\x00invoke:"

Invoker = Callable[[Sequence[Any]], Any]


def null_on_failure(run: Invoker) -> Invoker:
    """A FEEL call of a knowledge model or boxed function: FEEL-Scala 1.17+ turns the
    function's error into null (and a FUNCTION_INVOCATION_FAILURE warning) instead of failing."""

    def invoke(args: Sequence[Any]) -> Any:
        try:
            return run(args)
        except FeelEvaluationError:
            return None

    return invoke
