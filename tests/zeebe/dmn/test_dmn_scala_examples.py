"""The decision table examples of dmn-scala's test suite (DecisionTableHitPolicyTest,
DecisionTableTest, AuditLogTest; camunda/dmn-scala, the engine Zeebe 8.7/8.8 evaluates DMN with),
re-stated as inline tables: each table with the variables and the output dmn-scala expects.

The tables are the DMN specification's classic examples (discount, holidays, routing rules,
applicant risk rating, loan compliance, special discount, insurance fee, student eligibility).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from dmn_tables import evaluate, table_xml

pytestmark = pytest.mark.unit

Rules = Sequence[tuple[Sequence[str], Sequence[str]]]

DISCOUNT: Rules = [
    (['"Business"', "< 10"], ["0.1"]),
    (['"Business"', ">= 9"], ["0.15"]),
    (['"Private"', ""], ["0.05"]),
]
HOLIDAYS: Rules = [
    (["", ""], ["22"]),
    (["< 18", ""], ["5"]),
    ([">= 60", ""], ["5"]),
    (["", ">= 30"], ["5"]),
    (["[18..60)", "[15..30)"], ["2"]),
    ([">= 60", ""], ["3"]),
    (["", ">= 30"], ["3"]),
]
HOLIDAYS_OUTPUT_ORDER: Rules = [
    (["", ""], ["22"]),
    ([">= 60", ""], ["3"]),
    (["", ">= 30"], ["3"]),
    (["< 18", ""], ["5"]),
    ([">= 60", ""], ["5"]),
    (["", ">= 30"], ["5"]),
    (["[18..60)", "[15..30)"], ["2"]),
    (["[45..60)", "< 30"], ["2"]),
]
RISK_RATING_PRIORITY: Rules = [
    ([">= 25", '"good"'], ['"Medium"']),
    (["> 60", '"bad"'], ['"High"']),
    (["", '"bad"'], ['"Medium"']),
    (["< 25", '"good"'], ['"Low"']),
]
RISK_RATING_UNIQUE: Rules = [
    (["> 60", '"good"'], ['"Medium"']),
    (["> 60", '"bad"'], ['"High"']),
    (["[25..60]", ""], ['"Medium"']),
    (["< 25", '"good"'], ['"Low"']),
    (["< 25", '"bad"'], ['"Medium"']),
]
LOAN_COMPLIANCE: Rules = [
    (['"A"', "< 10000", "< 50000"], ['"Compliant"']),
    (['not("A")', "", ""], ['"Not Compliant"']),
    (["", ">= 10000", ""], ['"Not Compliant"']),
    (["", "", ">= 50000"], ['"Not Compliant"']),
]
SPECIAL_DISCOUNT: Rules = [
    (['"Web"', '"US"', '"Wholesaler"'], ["10"]),
    (['"Phone"', "", ""], ["0"]),
    (["", '"Non-US"', ""], ["0"]),
    (["", "", '"Retailer"'], ["5"]),
]
INSURANCE_FEE: Rules = [
    ([""], ["200"]),
    (["> 2"], ["190"]),
    (["> 5"], ["170"]),
    (["> 10"], ["150"]),
    (["> 15"], ["100"]),
]
DISCOUNT_MAX: Rules = [
    (['"Business"', ""], ["0.1"]),
    (['"Business"', "> 10"], ["0.15"]),
    (['"Private"', ""], ["0.05"]),
    (['"Private"', "> 15"], ["0.06"]),
]
ELIGIBILITY: Rules = [
    (["> 3.5", ">= 4", '"Yes"'], ['"20% Scholarship"']),
    (["> 3.5", ">= 4", '"Yes"'], ['"30% Loan"']),
    (["> 3.5", ">= 4", '"No"'], ['"20% Work-On-Campus"']),
    (["<= 3.5", "", ""], ['"5% Work-On-Campus"']),
]
ROUTING: Rules = [
    (["", "", ""], ['"ACCEPT"', '"NONE"', '"Acceptable"']),
    (["< 18", "", ""], ['"DECLINE"', '"NONE"', '"Applicant too young"']),
    (["", '"HIGH"', ""], ['"REFER"', '"LEVEL 1"', '"High risk application"']),
    (["", "", "true"], ['"REFER"', '"LEVEL 2"', '"Applicant under dept review"']),
]
ROUTING_VALUES = {
    "routing": '"DECLINE","REFER","ACCEPT"',
    "reviewLevel": '"LEVEL 2","LEVEL 1", "NONE"',
}

AGE_SERVICE = ("age", "yearsOfService")
TABLES: dict[str, str] = {
    "discount": table_xml(DISCOUNT, inputs=("customer", "orderSize"), outputs=("discount",)),
    "holidays C+": table_xml(HOLIDAYS, inputs=AGE_SERVICE, hit_policy="COLLECT", aggregation="SUM"),
    "holidays C": table_xml(HOLIDAYS, inputs=AGE_SERVICE, hit_policy="COLLECT"),
    "holidays O": table_xml(
        HOLIDAYS_OUTPUT_ORDER,
        inputs=AGE_SERVICE,
        hit_policy="OUTPUT ORDER",
        output_values={"result": "22, 5, 3, 2"},
    ),
    "risk P": table_xml(
        RISK_RATING_PRIORITY,
        inputs=("applicantAge", "medicalHistory"),
        hit_policy="PRIORITY",
        output_values={"result": '"High", "Medium", "Low"'},
    ),
    "risk U": table_xml(RISK_RATING_UNIQUE, inputs=("applicantAge", "medicalHistory")),
    "compliance A": table_xml(
        LOAN_COMPLIANCE, inputs=("creditRating", "creditBalance", "loanBalance"), hit_policy="ANY"
    ),
    "special F": table_xml(
        SPECIAL_DISCOUNT,
        inputs=("typeOfOrder", "customerLocation", "typeOfCustomer"),
        hit_policy="FIRST",
    ),
    "fee C<": table_xml(INSURANCE_FEE, inputs=("years",), hit_policy="COLLECT", aggregation="MIN"),
    "discount C>": table_xml(
        DISCOUNT_MAX, inputs=("customer", "orderSize"), hit_policy="COLLECT", aggregation="MAX"
    ),
    "eligibility R": table_xml(
        ELIGIBILITY, inputs=("gpa", "activities", "membership"), hit_policy="RULE ORDER"
    ),
    "routing O": table_xml(
        ROUTING,
        inputs=("age", "riskCategory", "deptReview"),
        outputs=("routing", "reviewLevel", "reason"),
        hit_policy="OUTPUT ORDER",
        output_values=ROUTING_VALUES,
    ),
}


def _route(routing: str, level: str, reason: str) -> dict[str, str]:
    return {"routing": routing, "reviewLevel": level, "reason": reason}


EXAMPLES: list[tuple[str, dict[str, Any], Any]] = [
    ("discount", {"customer": "Business", "orderSize": 7}, 0.1),
    ("discount", {"customer": "Business", "orderSize": 15}, 0.15),
    ("discount", {"customer": "Private", "orderSize": 9}, 0.05),
    ("discount", {"customer": "Something else", "orderSize": 9}, None),
    ("holidays C+", {"age": 58, "yearsOfService": 31}, 30),
    ("holidays C+", {"age": 25, "yearsOfService": 2}, 22),
    ("holidays C+", {"age": 16, "yearsOfService": 1}, 27),
    ("holidays C+", {"age": 46, "yearsOfService": 19}, 24),
    ("holidays C", {"age": 58, "yearsOfService": 31}, [22, 5, 3]),
    ("holidays C", {"age": 25, "yearsOfService": 2}, [22]),
    ("holidays O", {"age": 58, "yearsOfService": 31}, [22, 5, 3]),
    ("holidays O", {"age": 25, "yearsOfService": 2}, [22]),
    ("holidays O", {"age": 16, "yearsOfService": 1}, [22, 5]),
    ("holidays O", {"age": 46, "yearsOfService": 19}, [22, 2, 2]),
    ("holidays O", {"age": 40, "yearsOfService": 19}, [22, 2]),
    ("risk P", {"applicantAge": 65, "medicalHistory": "bad"}, "High"),
    ("risk P", {"applicantAge": 55, "medicalHistory": "bad"}, "Medium"),
    ("risk P", {"applicantAge": 30, "medicalHistory": "good"}, "Medium"),
    ("risk P", {"applicantAge": 20, "medicalHistory": "bad"}, "Medium"),
    ("risk P", {"applicantAge": 20, "medicalHistory": "good"}, "Low"),
    ("risk U", {"applicantAge": 65, "medicalHistory": "good"}, "Medium"),
    ("risk U", {"applicantAge": 40, "medicalHistory": "bad"}, "Medium"),
    ("risk U", {"applicantAge": 65, "medicalHistory": "bad"}, "High"),
    ("risk U", {"applicantAge": 22, "medicalHistory": "good"}, "Low"),
    (
        "compliance A",
        {"creditRating": "B", "creditBalance": 10000, "loanBalance": 50000},
        "Not Compliant",
    ),
    (
        "compliance A",
        {"creditRating": "A", "creditBalance": 5000, "loanBalance": 10000},
        "Compliant",
    ),
    (
        "special F",
        {"typeOfOrder": "Web", "customerLocation": "Non-US", "typeOfCustomer": "Retailer"},
        0,
    ),
    (
        "special F",
        {"typeOfOrder": "Web", "customerLocation": "US", "typeOfCustomer": "Retailer"},
        5,
    ),
    (
        "special F",
        {"typeOfOrder": "Web", "customerLocation": "US", "typeOfCustomer": "Wholesaler"},
        10,
    ),
    ("fee C<", {"years": 1}, 200),
    ("fee C<", {"years": 4}, 190),
    ("fee C<", {"years": 16}, 100),
    ("discount C>", {"customer": "Business", "orderSize": 8}, 0.1),
    ("discount C>", {"customer": "Business", "orderSize": 12}, 0.15),
    ("discount C>", {"customer": "Private", "orderSize": 17}, 0.06),
    ("discount C>", {"customer": "Private", "orderSize": 13}, 0.05),
    (
        "eligibility R",
        {"gpa": 3.6, "activities": 4, "membership": "Yes"},
        ["20% Scholarship", "30% Loan"],
    ),
    ("eligibility R", {"gpa": 3.6, "activities": 4, "membership": "No"}, ["20% Work-On-Campus"]),
    ("eligibility R", {"gpa": 3.0, "activities": 4, "membership": "Yes"}, ["5% Work-On-Campus"]),
    (
        "routing O",
        {"age": 17, "riskCategory": "HIGH", "deptReview": True},
        [
            _route("DECLINE", "NONE", "Applicant too young"),
            _route("REFER", "LEVEL 2", "Applicant under dept review"),
            _route("REFER", "LEVEL 1", "High risk application"),
            _route("ACCEPT", "NONE", "Acceptable"),
        ],
    ),
    (
        "routing O",
        {"age": 25, "riskCategory": "MEDIUM", "deptReview": True},
        [
            _route("REFER", "LEVEL 2", "Applicant under dept review"),
            _route("ACCEPT", "NONE", "Acceptable"),
        ],
    ),
    (
        "routing O",
        {"age": 25, "riskCategory": "MEDIUM", "deptReview": False},
        [_route("ACCEPT", "NONE", "Acceptable")],
    ),
]


@pytest.mark.parametrize(("table", "variables", "expected"), EXAMPLES)
def test_dmn_scala_hit_policy_examples(
    table: str, variables: dict[str, Any], expected: Any
) -> None:
    """DecisionTableHitPolicyTest / DecisionTableTest: each table gives dmn-scala's output."""
    result = evaluate(TABLES[table], variables)
    assert (result.failure_message, result.output) == (None, expected)


def test_a_lone_boolean_entry_tests_the_input_for_equality() -> None:
    """The routing example's `true` entry matches only a true `deptReview` (FEEL-Scala parses a
    lone boolean unary test as "input equal to"), so `false` leaves just the catch-all rule."""
    rules = [(["true"], ['"yes"']), (["false"], ['"no"'])]
    xml = table_xml(rules, inputs=("flag",))
    outputs = [evaluate(xml, {"flag": flag}).output for flag in (True, False, None, "x")]
    assert outputs == ["yes", "no", None, None]


def test_unique_violation_message_and_audit() -> None:
    """AuditLogTest: a violated UNIQUE policy fails with the matched outputs as dmn-scala
    prints them (FEEL-Scala 1.17+ value text) and still reports inputs and matched rules."""
    result = evaluate(TABLES["discount"], {"customer": "Business", "orderSize": 9})
    assert result.failure_message == (
        "multiple values aren't allowed for UNIQUE hit policy. "
        "found: 'List(Map(discount -> 0.1), Map(discount -> 0.15))'"
    )
    (decision,) = result.evaluated_decisions
    assert [i.input_value for i in decision.evaluated_inputs] == ["Business", 9]
    outputs = [[o.output_value for o in r.evaluated_outputs] for r in decision.matched_rules]
    assert outputs == [[0.1], [0.15]]


def test_no_match_audit_has_inputs_and_no_rules() -> None:
    """AuditLogTest: when no rule matches, the inputs are reported, no rule, and a null result."""
    result = evaluate(TABLES["discount"], {"customer": "Other", "orderSize": 7})
    (decision,) = result.evaluated_decisions
    assert [i.input_value for i in decision.evaluated_inputs] == ["Other", 7]
    assert (decision.matched_rules, decision.output, result.output) == ((), None, None)


def test_only_defaulted_outputs_form_the_default_result() -> None:
    """dmn-scala's default output is built from the outputs that have a default: one such output
    gives its value even when the table has several outputs."""
    rules = [(['"Business"'], ["0.1", '"Air"'])]
    xml = table_xml(
        rules, inputs=("customer",), outputs=("discount", "shipping"), defaults={"discount": "0.05"}
    )
    assert evaluate(xml, {"customer": "Other"}).output == 0.05
    both = table_xml(
        rules,
        inputs=("customer",),
        outputs=("discount", "shipping"),
        defaults={"discount": "0.05", "shipping": '"Ground"'},
    )
    assert evaluate(both, {"customer": "Other"}).output == {"discount": 0.05, "shipping": "Ground"}


def test_failing_input_expression_reports_no_inputs() -> None:
    """DecisionTableEvaluator: the audit's inputs are set only once every input expression
    evaluated, so a failing second input leaves evaluatedInputs empty."""
    xml = table_xml([(["-", "-"], ['"x"'])], inputs=("a", "assert(b, b != null)"))
    result = evaluate(xml, {"a": 1})
    (decision,) = result.evaluated_decisions
    assert result.failure_message == (
        "Assertion failure on evaluate the expression 'assert(b, b != null)': "
        "The condition is not fulfilled"
    )
    assert (decision.evaluated_inputs, decision.matched_rules) == ((), ())


def test_failing_output_entry_reports_no_matched_rules() -> None:
    """DecisionTableEvaluator: matched rules are set only once all their output entries
    evaluated; the inputs are still reported."""
    rules = [(["-"], ['"ok"']), (["-"], ["assert(y, y != null)"])]
    result = evaluate(table_xml(rules, hit_policy="RULE ORDER"), {"x": 5})
    (decision,) = result.evaluated_decisions
    assert result.failed_decision_id == "d"
    assert [i.input_value for i in decision.evaluated_inputs] == [5]
    assert decision.matched_rules == ()
