"""Variables per scope, with the scope chain needed for visibility and propagation."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

ParentOf = Callable[[int], int]
"""Returns the parent scope key of a scope, or -1 at the root."""


class VariableStore:
    """`scope key -> name -> (variable key, value)`; values are plain JSON-compatible Python."""

    def __init__(self) -> None:
        self.scopes: dict[int, dict[str, tuple[int, Any]]] = {}

    def put(self, scope_key: int, name: str, key: int, value: Any) -> None:
        """Create or update a variable (appliers of VARIABLE CREATED/UPDATED)."""
        self.scopes.setdefault(scope_key, {})[name] = (key, value)

    def local(self, scope_key: int) -> dict[str, tuple[int, Any]]:
        """The variables defined directly in a scope (read-only view)."""
        return self.scopes.get(scope_key, {})

    def find(self, scope_key: int, name: str) -> tuple[int, Any] | None:
        """The (key, value) of a variable defined directly in a scope."""
        return self.scopes.get(scope_key, {}).get(name)

    def drop_scope(self, scope_key: int) -> None:
        """Remove all variables of a finished scope."""
        self.scopes.pop(scope_key, None)

    def snapshot(self) -> dict[int, dict[str, tuple[int, Any]]]:
        """Deterministic copy for state comparison."""
        return {k: dict(sorted(v.items())) for k, v in sorted(self.scopes.items()) if v}


class VisibleVariables(Mapping[str, Any]):
    """Lazy mapping over the scope chain: inner scopes shadow outer ones (spec 5.2)."""

    def __init__(self, store: VariableStore, scope_key: int, parent_of: ParentOf) -> None:
        self._store = store
        self._scope_key = scope_key
        self._parent_of = parent_of

    def _chain(self) -> Iterator[int]:
        key = self._scope_key
        while key >= 0:
            yield key
            key = self._parent_of(key)

    def __getitem__(self, name: str) -> Any:
        for scope in self._chain():
            found = self._store.find(scope, name)
            if found is not None:
                return found[1]
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(
            self._store.find(s, name) is not None for s in self._chain()
        )

    def __iter__(self) -> Iterator[str]:
        return iter(self.to_dict())

    def __len__(self) -> int:
        return len(self.to_dict())

    def to_dict(self) -> dict[str, Any]:
        """All visible variables as a plain dict."""
        result: dict[str, Any] = {}
        for scope in self._chain():
            for name, (_, value) in self._store.local(scope).items():
                result.setdefault(name, value)
        return result
