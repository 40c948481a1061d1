"""Deploy-time validation: the rules Zeebe enforces before it accepts a process (spec 2.4, 3.3,
4.2, 6, 9).

Rules are small functions in registries: per element type (`RULES`), for every element
(`EVERY_ELEMENT`) and per process (`PROCESS_RULES`), collected from the `rules_*` modules. Each
returns `ValidationEntry` values naming the offending element and the rule it breaks. Duplicate
process ids across a deployment are the engine's check, not a model rule.
"""

from __future__ import annotations

from zeebe.model import (
    rules_compensation,
    rules_events,
    rules_flow,
    rules_jobs,
    rules_links,
    rules_listeners,
    rules_scopes,
    rules_static,
)
from zeebe.model.elements import Process
from zeebe.model.errors import ValidationEntry
from zeebe.model.rules_base import ElementRule, ProcessRule, RuleTable


def _merge(*tables: RuleTable) -> RuleTable:
    merged: RuleTable = {}
    for table in tables:
        for element_type, rules in table.items():
            merged.setdefault(element_type, []).extend(rules)
    return merged


RULES: RuleTable = _merge(rules_flow.RULES, rules_events.RULES, rules_listeners.RULES)
EVERY_ELEMENT: list[ElementRule] = [
    *rules_flow.EVERY_ELEMENT,
    *rules_events.EVERY_ELEMENT,
    *rules_compensation.EVERY_ELEMENT,
    *rules_links.EVERY_ELEMENT,
    *rules_jobs.EVERY_ELEMENT,
    *rules_static.EVERY_ELEMENT,
]
PROCESS_RULES: list[ProcessRule] = [
    *rules_flow.PROCESS_RULES,
    *rules_scopes.PROCESS_RULES,
    *rules_links.PROCESS_RULES,
    *rules_jobs.PROCESS_RULES,
]


def validate_process(process: Process) -> list[ValidationEntry]:
    """All rule violations of one process: element rules in element order, then process rules."""
    found: list[ValidationEntry] = []
    for element in process.elements.values():
        for rule in (*RULES.get(element.element_type, ()), *EVERY_ELEMENT):
            found.extend(rule(element, process))
    for process_rule in PROCESS_RULES:
        found.extend(process_rule(process))
    return found
