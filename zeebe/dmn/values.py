"""Value helpers: layered variable lookup, result type checks, and values rendered for messages.

dmn-scala's failure messages print FEEL values as Scala writes them (`ValNumber(0.1)`,
`List(Map(discount -> ValNumber(0.1)), ...)`); `val_text` renders ours the same way so that
failure messages read like Zeebe's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from zeebe.feel.values import kind, to_string


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


_VAL_NAMES: dict[str, str] = {
    "null": "ValNull",
    "boolean": "ValBoolean",
    "number": "ValNumber",
    "string": "ValString",
    "date": "ValDate",
    "time": "ValTime",
    "date time": "ValDateTime",
    "days time duration": "ValDayTimeDuration",
    "years months duration": "ValYearMonthDuration",
}


def val_text(value: Any) -> str:
    """A FEEL value as dmn-scala prints it in failure messages."""
    value_kind = kind(value)
    if value_kind == "null":
        return "ValNull"
    if value_kind == "list":
        return f"ValList(List({', '.join(val_text(item) for item in value)}))"
    if value_kind == "context":
        return f"ValContext({map_text(value)})"
    name = _VAL_NAMES.get(value_kind, "Val")
    return f"{name}({to_string(value)})"


def map_text(outputs: Mapping[str, Any]) -> str:
    """A rule's outputs as dmn-scala prints them: `Map(name -> ValNumber(1))`."""
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
