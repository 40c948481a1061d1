"""Function calls: built-ins, FEEL functions bound in scope, named arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zeebe.feel import ast
from zeebe.feel.library import BUILTINS, invoke_builtin
from zeebe.feel.runtime import Builtin, Evaluator, Scope, bind_named
from zeebe.feel.values import FeelFunction
from zeebe.feel.warnings import NO_FUNCTION_FOUND, no_function_found, no_function_found_named


def compile_call(node: ast.Call, compile_node: Callable[[ast.Node], Evaluator]) -> Evaluator:
    """A call: functions bound in scope shadow built-ins; a callee that is no name is
    evaluated. A missing function (or a FEEL function of another arity) gives null and
    FEEL-Scala's NO_FUNCTION_FOUND warning."""
    args = [compile_node(arg) for arg in node.args]
    named = [(key, compile_node(value)) for key, value in node.named or ()]
    resolve = _resolver(node.callee, compile_node)
    name = node.callee.name if isinstance(node.callee, ast.Name) else None
    count = len(args)

    def run(scope: Scope) -> Any:
        target = resolve(scope)
        if type(target) is not Builtin and (target is None or _wrong_arity(target, count, named)):
            if name is not None:
                _no_function(name, len(args), [key for key, _ in named], scope)
            return None
        if named:
            values = {key: value(scope) for key, value in named}
            return call_named(target, values, scope, name or "")
        return call(target, [arg(scope) for arg in args], scope)

    return run


def _wrong_arity(target: Any, count: int, named: list[Any]) -> bool:
    """FEEL-Scala finds a FEEL function by its parameter count: others do not match."""
    params = target.params if isinstance(target, FeelFunction) and not named else None
    return params is not None and len(params) != count


def _no_function(name: str, count: int, keys: list[str], scope: Scope) -> None:
    message = no_function_found_named(name, keys) if keys else no_function_found(name, count)
    scope.state.warn(NO_FUNCTION_FOUND, message)


def _resolver(
    callee: ast.Node, compile_node: Callable[[ast.Node], Evaluator]
) -> Callable[[Scope], FeelFunction | Any]:
    """Functions bound in scope shadow built-ins; other callee expressions are evaluated."""
    if not isinstance(callee, ast.Name):
        return compile_node(callee)
    name, builtin = callee.name, BUILTINS.get(callee.name)

    def resolve(scope: Scope) -> Any:
        bound = scope.lookup(name)
        if isinstance(bound, FeelFunction):
            return bound
        return builtin

    return resolve


def call(target: Any, args: list[Any], scope: Scope) -> Any:
    """Invoke a built-in or FEEL function value with positional arguments."""
    if isinstance(target, FeelFunction):
        return target.invoke(args)
    return invoke_builtin(target, args, scope.state)


def call_named(target: Any, named: dict[str, Any], scope: Scope, name: str = "") -> Any:
    """Invoke with named arguments, mapped onto the declared parameter names."""
    if isinstance(target, FeelFunction):
        args = bind_named(target.params or (), named)
    else:
        args = target.bind(named) if isinstance(target, Builtin) else None
    if args is None:
        name = target.name if isinstance(target, Builtin) else name
        scope.state.warn(NO_FUNCTION_FOUND, no_function_found_named(name, list(named)))
        return None
    return call(target, args, scope)
