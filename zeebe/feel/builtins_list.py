"""List built-ins (FEEL-Scala `list contains`, `count`, `min`, ..., `partition`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from zeebe.feel.operators import compare, equal
from zeebe.feel.runtime import Builtin, State, expect, register
from zeebe.feel.values import (
    DECIMAL,
    FeelFunction,
    from_double,
    is_number,
    kind,
    normalize,
    to_decimal,
)

LIST_BUILTINS: dict[str, Builtin] = {}
_NUMBERS = (int, Decimal, float)


def _items(args: Sequence[Any]) -> list[Any]:
    """Varargs form `f(1, 2, 3)` or list form `f([1, 2, 3])`."""
    if len(args) == 1 and isinstance(args[0], list):
        return args[0]
    if not args:
        raise TypeError("no arguments")
    return list(args)


def _numbers(args: Sequence[Any]) -> list[Decimal]:
    items = _items(args)
    if not all(is_number(item) for item in items):
        raise TypeError("expected numbers")
    return [to_decimal(item) for item in items]


def _extreme(args: Sequence[Any], op: str) -> Any:
    items = _items(args)
    if not items:
        return None
    best = items[0]
    for item in items[1:]:
        better = compare(op, item, best)
        if better is None:
            return None
        if better:
            best = item
    return best


register(LIST_BUILTINS, "min", params=("list",), varargs=True)(lambda *args: _extreme(args, "<"))
register(LIST_BUILTINS, "max", params=("list",), varargs=True)(lambda *args: _extreme(args, ">"))


@register(LIST_BUILTINS, "list contains", params=("list", "element"))
def _list_contains(items: list[Any], element: Any) -> bool:
    expect(items, list)
    return any(equal(item, element) is True for item in items)


@register(LIST_BUILTINS, "count", params=("list",))
def _count(items: list[Any]) -> int:
    return len(expect(items, list))


@register(LIST_BUILTINS, "sum", params=("list",), varargs=True)
def _sum(*args: Any) -> Any:
    numbers = _numbers(args)
    return normalize(sum(numbers, Decimal(0))) if numbers else None


@register(LIST_BUILTINS, "product", params=("list",), varargs=True)
def _product(*args: Any) -> Any:
    numbers = _numbers(args)
    return normalize(math.prod(numbers, start=Decimal(1))) if numbers else None


@register(LIST_BUILTINS, "mean", params=("list",), varargs=True)
def _mean(*args: Any) -> Any:
    numbers = _numbers(args)
    return normalize(DECIMAL.divide(sum(numbers, Decimal(0)), len(numbers))) if numbers else None


@register(LIST_BUILTINS, "median", params=("list",), varargs=True)
def _median(*args: Any) -> Any:
    numbers = sorted(_numbers(args))
    if not numbers:
        return None
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return normalize(numbers[middle])
    return normalize(DECIMAL.divide(numbers[middle - 1] + numbers[middle], 2))


@register(LIST_BUILTINS, "stddev", params=("list",), varargs=True)
def _stddev(*args: Any) -> Any:
    numbers = _numbers(args)
    if len(numbers) < 2:
        return None
    mean = DECIMAL.divide(sum(numbers, Decimal(0)), len(numbers))
    variance = DECIMAL.divide(sum(((n - mean) ** 2 for n in numbers), Decimal(0)), len(numbers) - 1)
    return from_double(math.sqrt(float(variance)))  # FEEL-Scala: Math.sqrt on a double


@register(LIST_BUILTINS, "mode", params=("list",), varargs=True)
def _mode(*args: Any) -> Any:
    numbers = _numbers(args)
    counts: dict[Decimal, int] = {}
    for n in numbers:
        counts[n] = counts.get(n, 0) + 1
    top = max(counts.values(), default=0)
    return sorted(normalize(n) for n, c in counts.items() if c == top)


def _booleans(args: Sequence[Any]) -> list[Any]:
    items = _items(args) if args else []
    if not all(item is None or type(item) is bool for item in items):
        raise TypeError("expected booleans")
    return items


@register(LIST_BUILTINS, "and", "all", params=("list",), varargs=True)
def _all(*args: Any) -> bool | None:
    items = _booleans(args)
    if False in items:
        return False
    return None if None in items else True


@register(LIST_BUILTINS, "or", "any", params=("list",), varargs=True)
def _any(*args: Any) -> bool | None:
    items = _booleans(args)
    if True in items:
        return True
    return None if None in items else False


def _position(value: Any) -> int:
    """java.math.BigDecimal.intValue of a number argument (truncated toward zero)."""
    expect(value, int, Decimal, float)
    return int(value)


def _index(items: list[Any], position: Any) -> int:
    """FEEL-Scala's listIndex, clamped into the list as Scala's slice/take/drop do.

    Position 1 is the first item, -1 the last; 0 is no position (the call gives null).
    """
    if position == 0:
        raise ValueError("position must be a non-zero number")
    index = _position(position)
    index = index - 1 if index > 0 else len(items) + index
    return min(max(index, 0), len(items))


@register(
    LIST_BUILTINS,
    "sublist",
    params=("list", "start position", "length"),
    alternatives=(("list", "start", "length"),),
)
def _sublist(items: list[Any], start: Any, length: Any = None) -> list[Any] | None:
    expect(items, list)
    begin = _index(items, start)
    if length is None:
        return items[begin:]
    # the end counts from the unclamped start (Scala: slice(i, i + length))
    index = _position(start)
    unclamped = index - 1 if index > 0 else len(items) + index
    return items[begin : max(unclamped + _position(length), 0)]


@register(LIST_BUILTINS, "append", params=("list", "items"), varargs=True)
def _append(items: list[Any], *extra: Any) -> list[Any]:
    return [*expect(items, list), *extra]


@register(LIST_BUILTINS, "concatenate", params=("lists",), varargs=True)
def _concatenate(*lists: Any) -> list[Any]:
    # FEEL-Scala: a value that is not a list joins as one item (`concatenate([1], 2)`)
    return [item for items in lists for item in (items if isinstance(items, list) else [items])]


@register(LIST_BUILTINS, "insert before", params=("list", "position", "newItem"))
def _insert_before(items: list[Any], position: Any, item: Any) -> list[Any] | None:
    begin = _index(expect(items, list), position)
    return [*items[:begin], item, *items[begin:]]


@register(LIST_BUILTINS, "remove", params=("list", "position"))
def _remove(items: list[Any], position: Any) -> list[Any] | None:
    # FEEL-Scala: take(listIndex(p)) ++ drop(listIndex(p + 1)); out of range removes nothing
    begin = _index(expect(items, list), position)
    after = _position(position) + 1
    end = len(items) if after == 0 else _index(items, after)
    return [*items[:begin], *items[end:]]


@register(LIST_BUILTINS, "reverse", params=("list",))
def _reverse(items: list[Any]) -> list[Any]:
    return list(reversed(expect(items, list)))


@register(LIST_BUILTINS, "index of", params=("list", "match"))
def _index_of(items: list[Any], match: Any) -> list[int]:
    return [i for i, item in enumerate(expect(items, list), 1) if equal(item, match) is True]


def _distinct(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    for item in items:
        if not any(equal(item, seen) is True for seen in result):
            result.append(item)
    return result


@register(LIST_BUILTINS, "union", params=("lists",), alternatives=(("list",),), varargs=True)
def _union(*lists: Any) -> list[Any]:
    return _distinct(_concatenate(*lists))


@register(LIST_BUILTINS, "distinct values", params=("list",))
def _distinct_values(items: list[Any]) -> list[Any]:
    return _distinct(expect(items, list))


@register(LIST_BUILTINS, "flatten", params=("list",))
def _flatten(items: list[Any]) -> list[Any]:
    result: list[Any] = []
    stack = [iter(expect(items, list))]
    while stack:
        item = next(stack[-1], _END)
        if item is _END:
            stack.pop()
        elif isinstance(item, list):
            stack.append(iter(item))
        else:
            result.append(item)
    return result


_END = object()


@register(LIST_BUILTINS, "sort", params=("list", "precedes"), needs_state=True)
def _sort(state: State, items: list[Any], precedes: Any = None) -> list[Any] | None:
    expect(items, list)
    state.tick(len(items))
    if precedes is None:
        kinds = {kind(item) for item in items}
        if len(kinds) > 1 or kinds - {"number", "string", "date", "time", "date time"}:
            return None
        return sorted(items, key=lambda v: to_decimal(v) if type(v) in _NUMBERS else v)
    expect(precedes, FeelFunction)
    return _merge_sort(items, precedes, state)


def _merge_sort(items: list[Any], precedes: FeelFunction, state: State) -> list[Any]:
    """Stable sort driven by a FEEL `precedes(a, b)` function (true if a comes first)."""
    if len(items) <= 1:
        return list(items)
    middle = len(items) // 2
    left = _merge_sort(items[:middle], precedes, state)
    right = _merge_sort(items[middle:], precedes, state)
    merged: list[Any] = []
    while left and right:
        state.tick()
        take_right = precedes.invoke([right[0], left[0]]) is True
        merged.append(right.pop(0) if take_right else left.pop(0))
    return merged + left + right


@register(LIST_BUILTINS, "is empty", params=("list",))
def _is_empty(items: list[Any]) -> bool:
    return not expect(items, list)


@register(LIST_BUILTINS, "duplicate values", params=("list",))
def _duplicate_values(items: list[Any]) -> list[Any]:
    # FEEL-Scala: the distinct values (first-occurrence order) that occur more than once
    expect(items, list)
    return [v for v in _distinct(items) if sum(equal(v, o) is True for o in items) > 1]


@register(LIST_BUILTINS, "partition", params=("list", "size"))
def _partition(items: list[Any], size: Any) -> list[list[Any]] | None:
    chunk = _position(size)
    if chunk <= 0:
        return None
    expect(items, list)
    return [items[i : i + chunk] for i in range(0, len(items), chunk)]
