"""Boolean/null built-ins (`not`, `is defined`, `get or else`, `assert`) and context built-ins."""

from __future__ import annotations

from typing import Any

from zeebe.feel.errors import FeelAssertionError
from zeebe.feel.runtime import Builtin, expect, register
from zeebe.feel.values import to_string

CONTEXT_BUILTINS: dict[str, Builtin] = {}

register(CONTEXT_BUILTINS, "not", params=("negand",))(
    lambda value: (not value) if type(value) is bool else None
)
register(CONTEXT_BUILTINS, "is defined", params=("value",))(lambda value: value is not None)
register(CONTEXT_BUILTINS, "get or else", params=("value", "default"))(
    lambda value, default: default if value is None else value
)


@register(CONTEXT_BUILTINS, "fromAi", params=("value", "description", "type", "schema", "options"))
def _from_ai(
    value: Any, description: Any = None, type: Any = None, schema: Any = None, options: Any = None
) -> Any:
    """Camunda's `fromAi` (8.8, ad-hoc subprocess tools): marks a value an AI agent provides;
    at run time it is just `value`. The other arguments only describe the parameter (the
    engine reads them from the model for `adHocSubProcessElements`)."""
    return value


@register(CONTEXT_BUILTINS, "assert", params=("value", "condition", "cause"))
def _assert(value: Any, condition: Any, cause: Any = None) -> Any:
    """Fail the evaluation on purpose (Zeebe raises an incident) unless condition is true."""
    if condition is not True:
        reason = to_string(cause) if cause is not None else "The condition is not fulfilled"
        raise FeelAssertionError(reason)
    return value


def _keys(keys: Any) -> list[str]:
    if isinstance(keys, str):
        return [keys]
    return [expect(key, str) for key in expect(keys, list)]


@register(
    CONTEXT_BUILTINS,
    "get value",
    params=("context", "key"),
    alternatives=(("context", "keys"), ("m", "key")),
)
def _get_value(context: Any, key: Any) -> Any:
    value, keys = expect(context, dict), _keys(key)
    if not keys:
        return None
    for part in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


@register(CONTEXT_BUILTINS, "get entries", params=("context",), alternatives=(("m",),))
def _get_entries(context: Any) -> list[dict[str, Any]]:
    return [{"key": key, "value": value} for key, value in expect(context, dict).items()]


def _put(context: dict[str, Any], keys: list[str], value: Any) -> dict[str, Any]:
    head, rest = keys[0], keys[1:]
    if rest:
        inner = context.get(head)
        value = _put(inner if isinstance(inner, dict) else {}, rest, value)
    return {**context, head: value}


@register(
    CONTEXT_BUILTINS,
    "context put",
    params=("context", "key", "value"),
    alternatives=(("context", "keys", "value"),),
)
def _context_put(context: Any, key: Any, value: Any) -> dict[str, Any] | None:
    keys = _keys(key)
    return _put(expect(context, dict), keys, value) if keys else None


@register(CONTEXT_BUILTINS, "put", params=("context", "key", "value"))
def _put_deprecated(context: Any, key: Any, value: Any) -> dict[str, Any]:
    """FEEL-Scala keeps `put` as the deprecated name of `context put` with one string key."""
    return _put(expect(context, dict), [expect(key, str)], value)


# `put all` is the deprecated name FEEL-Scala still registers for `context merge`
@register(CONTEXT_BUILTINS, "context merge", "put all", params=("contexts",))
def _context_merge(*contexts: Any) -> dict[str, Any]:
    items = contexts[0] if len(contexts) == 1 and isinstance(contexts[0], list) else contexts
    merged: dict[str, Any] = {}
    for context in items:
        merged.update(expect(context, dict))
    return merged


@register(CONTEXT_BUILTINS, "context", params=("entries",))
def _context(entries: Any) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for entry in expect(entries, list):
        expect(entry, dict)
        result[expect(entry["key"], str)] = entry["value"]  # no `value` entry -> null
    return result
