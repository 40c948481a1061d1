"""Root conftest: real-server fixtures from the stack manager and the tier-marker guard."""

from __future__ import annotations

pytest_plugins = ["stack.pytest_plugin", "stack.tier_guard", "pytester"]
