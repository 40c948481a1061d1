"""Pytest plugin: every test must declare exactly the tier it belongs to.

A test without one of the tier markers would silently run in no tier's selection (`-m unit`), so
collection fails instead, listing the offenders.
"""

from __future__ import annotations

import pytest

TIERS = ("unit", "integration", "e2e", "browser", "chaos")


def untiered(items: list[pytest.Item]) -> list[str]:
    """Node ids of collected tests that carry none of the tier markers."""
    return [
        item.nodeid
        for item in items
        if not any(item.get_closest_marker(tier) is not None for tier in TIERS)
    ]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Fail the run before any test executes if a test has no tier marker."""
    missing = untiered(items)
    if missing:
        listing = "\n  ".join(missing)
        raise pytest.UsageError(
            f"{len(missing)} test(s) have no tier marker; add `pytestmark = pytest.mark.<tier>` "
            f"with a tier from {', '.join(TIERS)}:\n  {listing}"
        )
