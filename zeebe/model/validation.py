"""Deploy-time validation rules (filled in below)."""

from __future__ import annotations

from zeebe.model.elements import Process
from zeebe.model.errors import ValidationEntry


def validate_process(process: Process) -> list[ValidationEntry]:
    """All rule violations of one process, in element order."""
    return []
