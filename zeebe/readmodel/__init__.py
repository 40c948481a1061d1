"""The engine's read model: committed records projected into queryable tables (like Operate)."""

from __future__ import annotations

from zeebe.readmodel.filters import SearchError
from zeebe.readmodel.store import DEFAULT_MAX_FINISHED_INSTANCES, ReadModel

__all__ = ["DEFAULT_MAX_FINISHED_INSTANCES", "ReadModel", "SearchError"]
