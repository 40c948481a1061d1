"""Data types (docs.camunda.io DMN "Data types": number, string, boolean, time, date, dateTime,
dayTimeDuration, yearMonthDuration, Any) as dmn-scala's TypeChecker applies them: only a
decision's `variable typeRef` (and knowledge model parameters) are checked, null conforms to
every type, `feel:` prefixes are accepted and unknown names (Any, Camunda 7's integer/double)
accept any value. Input and output `typeRef`s convert and check nothing."""

from __future__ import annotations

import pytest
from dmn_tables import definitions, evaluate, table_xml

pytestmark = pytest.mark.unit

CASES: list[tuple[str, str, str | None]] = [
    ("number", "1.5", None),
    ("feel:number", "2", None),
    ("number", '"1.5"', "expected 'number' but found '\"1.5\"'"),
    ("string", '"gold"', None),
    ("string", "7", "expected 'string' but found '7'"),
    ("boolean", "true", None),
    ("boolean", '"true"', "expected 'boolean' but found '\"true\"'"),
    ("time", 'time("10:15:00")', None),
    ("time", 'time("10:15:00+01:00")', None),
    ("date", 'date("2024-02-01")', None),
    (
        "date",
        'date and time("2024-02-01T10:00:00")',
        "expected 'date' but found '2024-02-01T10:00:00'",
    ),
    ("dateTime", 'date and time("2024-02-01T10:00:00")', None),
    ("dateTime", 'date and time("2024-02-01T10:00:00@Europe/Berlin")', None),
    ("dayTimeDuration", 'duration("P1DT2H")', None),
    ("dayTimeDuration", 'duration("P1M")', "expected 'dayTimeDuration' but found 'P1M'"),
    ("yearMonthDuration", 'duration("P1Y2M")', None),
    ("number", "null", None),
    ("Any", '"anything"', None),
    ("integer", '"not checked"', None),
    ("", "[1, 2]", None),
]


@pytest.mark.parametrize(("type_ref", "expression", "failure"), CASES)
def test_decision_result_is_checked_against_its_type(
    type_ref: str, expression: str, failure: str | None
) -> None:
    """dmn-scala DecisionEvaluator: the result must conform to the variable's typeRef."""
    text = expression.replace("&", "&amp;").replace('"', "&quot;")
    body = (
        f'<decision id="d"><variable name="d" typeRef="{type_ref}"/>'
        f"<literalExpression><text>{text}</text></literalExpression></decision>"
    )
    assert evaluate(definitions(body), {}).failure_message == failure


def test_input_and_output_type_refs_neither_convert_nor_check() -> None:
    """The table helper declares every input `typeRef="string"`: a number input is still
    compared as a number, and the output value is returned as the rule computes it."""
    xml = table_xml([(["> 10"], ["x * 2"])])
    assert evaluate(xml, {"x": 11}).output == 22
    number_output = table_xml([(["-"], ['"text"'])]).replace(
        'name="result"', 'name="result" typeRef="number"'
    )
    assert evaluate(number_output, {"x": 1}).output == "text"


def test_input_values_do_not_restrict_the_input() -> None:
    """An input's `inputValues` (allowed values) are not checked by dmn-scala (ParsedInput has
    no such field): a value outside them is tested against the rules like any other."""
    xml = table_xml([(['"c"'], ['"seen"'])]).replace(
        "</inputExpression>", '</inputExpression><inputValues><text>"a","b"</text></inputValues>'
    )
    assert evaluate(xml, {"x": "c"}).output == "seen"
