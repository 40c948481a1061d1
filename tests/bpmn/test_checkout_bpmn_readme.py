"""bpmn/README.md documents exactly the contract (habit 15: listed in contract.py and README)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workers.contract import COMPENSATED, SERVICE_UNAVAILABLE, TASKS, TASKS_BY_TYPE, StepKind

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parents[2] / "bpmn" / "README.md"


def _job_type_rows() -> dict[str, list[str]]:
    """job type -> table cells, from the "Job types" table."""
    section = README.read_text().split("## Job types", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        match = re.match(r"\| `([a-z]+\.[a-z]+)`", line)
        if match:
            rows[match.group(1)] = [cell.strip() for cell in line.strip("|").split("|")]
    return rows


def test_readme_lists_every_job_type_once() -> None:
    """The README table and workers/contract.py name the same job types."""
    assert set(_job_type_rows()) == {spec.type for spec in TASKS}


def test_readme_error_codes_match_the_contract() -> None:
    """Each row's BPMN errors are the contract's, minus the two every forward step may throw."""
    for task_type, cells in _job_type_rows().items():
        documented = set(re.findall(r"`([A-Z_]+)`", cells[-1]))
        spec = TASKS_BY_TYPE[task_type]
        assert documented == set(spec.error_codes) - {COMPENSATED, SERVICE_UNAVAILABLE}, task_type


def test_readme_names_what_each_handler_undoes() -> None:
    """The kind column says which forward step a compensation handler undoes."""
    for task_type, cells in _job_type_rows().items():
        spec = TASKS_BY_TYPE[task_type]
        if spec.kind is StepKind.COMPENSATION:
            assert cells[1].startswith(f"undoes `{spec.compensates}`"), task_type
