"""Expressions that must give a list of strings, checked against Zeebe's
ExpressionProcessor.evaluateArrayOfStringsExpression (candidate users and groups of user tasks,
AdHocSubProcessTest's activeElementsCollection)."""

from __future__ import annotations

import pytest
from test_engine_user_task_headers import job_based

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("attribute", ["candidateGroups", "candidateUsers"])
@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("= 5", "to be 'ARRAY', but was 'NUMBER'."),
        ('= {"a": 1}', "to be 'ARRAY', but was 'OBJECT'."),
        (
            "= [1]",
            "to be 'ARRAY' containing 'STRING' items, but was 'ARRAY' containing at least one "
            "non-'STRING' item.",
        ),
    ],
)
def test_candidates_that_are_no_list_of_strings(
    attribute: str, expression: str, reason: str
) -> None:
    """Each violation has its own EXTRACT_VALUE_ERROR text, naming Zeebe's result type."""
    xml_expression = expression.replace('"', "&quot;")
    driver = job_based(f'<zeebe:assignmentDefinition {attribute}="{xml_expression}"/>')
    (incident,) = driver.incidents()
    assert incident["errorType"] == "EXTRACT_VALUE_ERROR"
    source = expression.removeprefix("= ")
    assert incident["errorMessage"] == f"Expected result of the expression '{source}' {reason}"
