"""A migration command resolved against state (`Plan`) and why it is rejected (`Failure`):
shared by the preconditions (`migration_checks`) and the compensation subscriptions
(`migration_compensation`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeebe.records import RejectionType
from zeebe.state import ElementInstance, ProcessDefinition

INVALID_STATE = RejectionType.INVALID_STATE


@dataclass(frozen=True, slots=True)
class Failure:
    """Why a migration is rejected."""

    rejection_type: RejectionType
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A migration command resolved against state: the instance and both definitions."""

    process_instance_key: int
    source: ProcessDefinition
    target: ProcessDefinition
    mapping: tuple[tuple[str, str], ...]

    def targets(self) -> dict[str, str]:
        """Source element id -> target element id; the process is mapped implicitly (last, so
        it wins over an explicit instruction, as in Zeebe)."""
        mapped = dict(self.mapping)
        mapped[self.source.bpmn_process_id] = self.target.bpmn_process_id
        return mapped

    def target_id_of(self, instance: ElementInstance) -> str:
        """The target element id of a validated element instance."""
        return self.targets()[instance.element_id]

    def failure(self, template: str, *args: Any) -> Failure:
        """An INVALID_STATE failure with a text that starts with the instance key."""
        return Failure(INVALID_STATE, template.format(self.process_instance_key, *args))
