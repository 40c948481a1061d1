"""Deployed DMN decisions, decision requirements graphs (DRGs) and forms, versioned per id.

Written by the DECISION_REQUIREMENTS, DECISION and FORM CREATED / DELETED appliers
(`zeebe/engine/appliers_definitions.py`); read by the deployment processor (versioning by
checksum), by business rule tasks and EvaluateDecision (latest decision of an id).

Version numbers (Zeebe 8.8): a new process or form version is the highest version ever
deployed for its id + 1 (ProcessState / FormState getNext*Version over VersionManager), so a
deleted version number is never reused; a DRG or decision is the latest remaining version + 1
(DmnResourceTransformer reads the latest DRG and decision, it has no version manager).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from zeebe.dmn import DecisionRequirements


@dataclass(frozen=True, slots=True)
class DeployedDrg:
    """One version of a DMN resource (Zeebe's DECISION_REQUIREMENTS record)."""

    key: int
    drg_id: str
    name: str
    version: int
    resource_name: str
    checksum: str
    model: DecisionRequirements
    tenant_id: str
    # kept for the DECISION_REQUIREMENTS DELETED record, which carries them (Zeebe 8.7+)
    resource: bytes = b""
    deployment_key: int = -1


@dataclass(frozen=True, slots=True)
class DeployedDecision:
    """One version of a decision (Zeebe's DECISION record); `drg_key` names its DRG version."""

    key: int
    decision_id: str
    name: str
    version: int
    drg_key: int
    drg_id: str
    tenant_id: str
    deployment_key: int = -1
    version_tag: str = ""


@dataclass(frozen=True, slots=True)
class DeployedForm:
    """One version of a Camunda form (Zeebe's FORM record)."""

    key: int
    form_id: str
    version: int
    resource_name: str
    checksum: str
    tenant_id: str
    # kept for the FORM DELETED record, which carries them (Zeebe 8.7+)
    resource: bytes = b""
    version_tag: str = ""
    deployment_key: int = -1


T = TypeVar("T", DeployedDrg, DeployedDecision, DeployedForm)


@dataclass(slots=True)
class Versions(Generic[T]):
    """Definitions by key plus the latest version per id, and the highest version ever stored
    per id (kept when versions are deleted, as Zeebe's VersionInfo `highestVersion`)."""

    by_key: dict[int, T] = field(default_factory=dict)
    latest_key: dict[str, int] = field(default_factory=dict)
    by_id_version: dict[tuple[str, int], int] = field(default_factory=dict)
    highest: dict[str, int] = field(default_factory=dict)

    def put(self, definition_id: str, definition: T) -> None:
        """Store a version; a higher version becomes the latest of its id."""
        self.by_key[definition.key] = definition
        self.by_id_version[(definition_id, definition.version)] = definition.key
        self.highest[definition_id] = max(self.highest.get(definition_id, 0), definition.version)
        latest = self.latest(definition_id)
        if latest is None or latest.version < definition.version:
            self.latest_key[definition_id] = definition.key

    def remove(self, definition_id: str, key: int) -> None:
        """Forget a version; the highest remaining version of its id becomes the latest."""
        removed = self.by_key.pop(key)
        self.by_id_version.pop((definition_id, removed.version), None)
        remaining = [
            (version, k) for (i, version), k in self.by_id_version.items() if i == definition_id
        ]
        if remaining:
            self.latest_key[definition_id] = max(remaining)[1]
        else:
            self.latest_key.pop(definition_id, None)

    def latest(self, definition_id: str) -> T | None:
        """The latest version of an id, or None."""
        key = self.latest_key.get(definition_id)
        return None if key is None else self.by_key[key]

    def next_version(self, definition_id: str) -> int:
        """The version a new definition of the id gets: the highest ever stored + 1, so a
        deleted version number is never reused (Zeebe's VersionManager; used for forms)."""
        return self.highest.get(definition_id, 0) + 1

    def snapshot(self) -> list[tuple[int, int]]:
        """(key, version) pairs in key order."""
        return sorted((k, d.version) for k, d in self.by_key.items())


@dataclass(slots=True)
class DefinitionStore:
    """DRGs, decisions and forms of one partition."""

    drgs: Versions[DeployedDrg] = field(default_factory=Versions)
    decisions: Versions[DeployedDecision] = field(default_factory=Versions)
    forms: Versions[DeployedForm] = field(default_factory=Versions)
    # highest process version ever deployed per BPMN process id (the processes themselves live
    # in EngineState.processes); Zeebe's ProcessState.getNextProcessVersion is this + 1
    process_highest: dict[str, int] = field(default_factory=dict)
    # checksum of the last created version per BPMN process id, dropped when the latest version
    # is deleted (Zeebe's digest column family): a duplicate must match it
    process_digest: dict[str, str] = field(default_factory=dict)

    def note_process_version(self, bpmn_process_id: str, version: int, checksum: str) -> None:
        """Remember a deployed process version and its digest (applier of PROCESS CREATED)."""
        highest = self.process_highest.get(bpmn_process_id, 0)
        self.process_highest[bpmn_process_id] = max(highest, version)
        self.process_digest[bpmn_process_id] = checksum

    def note_process_deleted(self, bpmn_process_id: str, version: int, latest: int) -> None:
        """Deleting the latest version drops the digest (DbProcessState.deleteProcess does not
        restore the previous version's), so the next deployment of that id is never a
        duplicate; the highest version stays."""
        if version == latest:
            self.process_digest.pop(bpmn_process_id, None)

    def next_process_version(self, bpmn_process_id: str) -> int:
        """The version a new process version gets: never one of a deleted version."""
        return self.process_highest.get(bpmn_process_id, 0) + 1

    def delete(self, key: int) -> bool:
        """Delete a DRG (with its decisions) or a form by key; False if the key is neither."""
        drg = self.drgs.by_key.get(key)
        if drg is not None:
            self.drgs.remove(drg.drg_id, key)
            for decision in [d for d in self.decisions.by_key.values() if d.drg_key == key]:
                self.decisions.remove(decision.decision_id, decision.key)
            return True
        form = self.forms.by_key.get(key)
        if form is not None:
            self.forms.remove(form.form_id, key)
            return True
        return False

    def snapshot(self) -> dict[str, Any]:
        """Primary data for `zeebe.state.snapshot`."""
        return {
            "drgs": self.drgs.snapshot(),
            "decisions": self.decisions.snapshot(),
            "forms": self.forms.snapshot(),
            "highest_versions": {
                "processes": sorted(self.process_highest.items()),
                "process_digests": sorted(self.process_digest.items()),
                "forms": sorted(self.forms.highest.items()),
            },
        }
