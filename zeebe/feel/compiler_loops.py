"""Compilers for the iterating forms: filters `xs[c]`, `for`, `some` and `every`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from zeebe.feel import ast
from zeebe.feel.errors import FeelEvaluationError
from zeebe.feel.runtime import MAX_LIST_SIZE, Evaluator, Scope, State
from zeebe.feel.suppressed import not_a_list, not_a_number, not_boolean
from zeebe.feel.values import Range, is_number, number

CompileNode = Callable[[ast.Node], Evaluator]


def _index(items: list[Any], position: Any) -> Any:
    """1-based index, negative from the end, out of range -> null."""
    index = number(position)
    if index is None or index != int(index):
        return None
    index = int(index)
    if index > 0 and index <= len(items):
        return items[index - 1]
    if index < 0 and -index <= len(items):
        return items[index]
    return None


_COMPARISONS = frozenset({"=", "!=", "<", "<=", ">", ">="})


def _probe(condition: Evaluator, scope: Scope) -> Any:
    """Evaluate the condition without `item`, dropping the warnings that evaluation gives."""
    state = scope.state
    kept, state.warnings = state.warnings, None
    try:
        return condition(scope.child({}))
    finally:
        state.warnings = kept


def compile_filter(node: ast.Filter, compile_node: CompileNode) -> Evaluator:
    """`base[c]`: a number indexes; otherwise keep items for which c is true.

    In the condition, `item` is the current item and a context item's entries are visible
    (shadowing `item`, as FEEL-Scala merges the entries last). Only lists filter: anything
    else gives null.
    """
    base, condition = compile_node(node.base), compile_node(node.condition)
    literal_index = isinstance(node.condition, ast.Literal) and is_number(node.condition.value)
    # FEEL-Scala tries the condition without `item` (is it an index?), except for comparisons
    # (never a number) and calls, so only other conditions report that probe's warnings.
    test = node.condition
    compares = isinstance(test, ast.Binary) and test.op in _COMPARISONS
    quiet = isinstance(test, ast.Call)

    def run(scope: Scope) -> Any:
        items = base(scope)
        if not isinstance(items, list):
            not_a_list(items, scope.state)
            return None
        if literal_index:
            return _index(items, condition(scope))
        if not compares:
            probe = _probe(condition, scope) if quiet else condition(scope.child({}))
            if is_number(probe):
                return _index(items, probe)
        scope.state.tick(len(items))
        kept = []
        for item in items:
            bindings = {"item": item, **item} if isinstance(item, dict) else {"item": item}
            if condition(scope.child(bindings)) is True:
                kept.append(item)
        return kept

    return run


def _iteration(start: Any, end: Any, ranged: bool) -> list[Any] | range | None:
    """The values one iterator walks: a list, or an integer range `a..b` (either direction)."""
    if isinstance(start, Range) and not ranged:
        start, end, ranged = start.start, start.end, True
    if not ranged:
        return start if isinstance(start, list) else None
    low, high = number(start), number(end)
    if type(low) is not int or type(high) is not int:
        return None
    if abs(high - low) >= MAX_LIST_SIZE:
        raise FeelEvaluationError(f"range {low}..{high} exceeds {MAX_LIST_SIZE} items")
    return range(low, high + 1) if high >= low else range(low, high - 1, -1)


def _combinations(
    iterators: list[tuple[str, Evaluator, Evaluator | None]], scope: Scope, *, fresh: bool
) -> Iterator[Scope]:
    """A scope per combination of iterator values (cross product).

    Later iterators may refer to earlier ones. One scope is reused unless `fresh` (the body
    defines functions, which would capture it). Raises _NotIterableError for a non-list.
    """
    bindings: dict[str, Any] = {}
    inner = scope.child(bindings)
    tick = scope.state.tick

    def walk(depth: int) -> Iterator[Scope]:
        if depth == len(iterators):
            yield scope.child(dict(bindings)) if fresh else inner
            return
        name, start, end = iterators[depth]
        first, last = start(inner), end(inner) if end else None
        values = _iteration(first, last, end is not None)
        if values is None:
            _not_iterable(first, last, end is not None, scope.state)
            raise _NotIterableError
        for value in values:
            tick()
            bindings[name] = value
            yield from walk(depth + 1)

    return walk(0)


def _not_iterable(first: Any, last: Any, ranged: bool, state: State) -> None:
    """FEEL-Scala's warning: a list iterator needs a list, a range `a..b` numbers."""
    if not ranged and isinstance(first, Range):
        first, last, ranged = first.start, first.end, True
    if not ranged:
        not_a_list(first, state)
        return
    for bound in (first, last):
        if not is_number(bound):
            not_a_number(bound, state)
            return


class _NotIterableError(Exception):
    """Internal signal: an iterator's collection is not a list or integer range (-> null)."""


def _compile_iterators(
    iterators: tuple[ast.Iterator, ...], compile_node: CompileNode
) -> list[tuple[str, Evaluator, Evaluator | None]]:
    return [
        (it.name, compile_node(it.start), compile_node(it.end) if it.end else None)
        for it in iterators
    ]


def _uses_partial(node: ast.Node) -> bool:
    return any(isinstance(n, ast.Name) and n.name == "partial" for n in ast.walk(node))


def _defines_functions(node: ast.Node) -> bool:
    return any(isinstance(n, ast.FunctionDef) for n in ast.walk(node))


def compile_for(node: ast.For, compile_node: CompileNode) -> Evaluator:
    """`for ... return body`: one result per combination; `partial` = results so far."""
    iterators, body = _compile_iterators(node.iterators, compile_node), compile_node(node.body)
    wants_partial, fresh = _uses_partial(node.body), _defines_functions(node.body)

    def run(scope: Scope) -> Any:
        results: list[Any] = []
        try:
            for inner in _combinations(iterators, scope, fresh=fresh):
                target = inner
                if wants_partial:
                    scope.state.tick(len(results))  # the copy below costs O(n)
                    target = inner.child({"partial": list(results)})
                results.append(body(target))
                if len(results) > MAX_LIST_SIZE:
                    raise FeelEvaluationError(f"list exceeds {MAX_LIST_SIZE} items")
        except _NotIterableError:
            return None
        return results

    return run


def compile_quantified(node: ast.Quantified, compile_node: CompileNode) -> Evaluator:
    """`some` is true if any combination satisfies; `every` if all do."""
    iterators = _compile_iterators(node.iterators, compile_node)
    condition, wanted = compile_node(node.condition), node.kind == "some"
    fresh = _defines_functions(node.condition)

    def run(scope: Scope) -> Any:
        # FEEL-Scala folds three-valued: `wanted` ends it; after a non-boolean (null and an
        # INVALID_TYPE warning) only `wanted` can still change the result.
        result: bool | None = not wanted
        try:
            for inner in _combinations(iterators, scope, fresh=fresh):
                met = condition(inner)
                if met is wanted:
                    return wanted
                if result is not None and type(met) is not bool:
                    not_boolean(met, scope.state)
                    result = None
        except _NotIterableError:
            return None
        return result

    return run
