"""Root conftest: real-server fixtures from the stack manager, the tier-marker guard and the
Zeebe test harness (`--zeebe=embedded|host:port`)."""

from __future__ import annotations

pytest_plugins = [
    "stack.pytest_plugin",
    "stack.tier_guard",
    "pytester",
    # zeebe_engine / zeebe_client / embedded_zeebe fixtures and the --zeebe option
    "zeebe.testing.plugin",
    # with CHECKOUT_BPMNLINT_GATE=1: every BPMN model the tests deploy must pass bpmnlint
    "zeebe.testing.lint_gate",
]
