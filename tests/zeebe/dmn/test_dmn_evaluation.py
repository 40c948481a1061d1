"""Evaluating decisions (zeebe-spec 1.2 row 7 and Appendix A EvaluateDecisionResponse /
EvaluatedDecision; docs.camunda.io "Decision requirements graph": required decisions are
evaluated first and their results are visible to the decisions that require them)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from dmn_tables import definitions, evaluate, fixture, parse, table_xml

from zeebe.dmn import evaluate_decision

pytestmark = pytest.mark.unit

GOLD_CUSTOMER = {"customer": {"orderCount": 12}, "order": {"total": 150}}


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        (GOLD_CUSTOMER, {"rate": 0.15, "code": "GOLD15"}),
        ({"customer": {"orderCount": 12}, "order": {"total": 80}}, {"rate": 0.1, "code": "GOLD10"}),
        ({"customer": {"orderCount": 3}, "order": {"total": 5}}, {"rate": 0.05, "code": "SILVER5"}),
        ({"customer": {"orderCount": 0}}, {"rate": 0, "code": None}),
    ],
)
def test_required_decision_result_feeds_the_requiring_decision(
    variables: dict[str, Any], expected: dict[str, Any]
) -> None:
    """`discount` reads the output of its required decision `customer_tier` by decision id."""
    result = evaluate_decision(fixture("checkout_discount.dmn"), "discount", variables)
    assert (result.failure_message, result.output) == (None, expected)


def test_evaluated_decisions_list_required_decisions_first() -> None:
    """evaluatedDecisions are in evaluation order: required decisions before the decision."""
    result = evaluate_decision(fixture("checkout_discount.dmn"), "discount_message", GOLD_CUSTOMER)
    assert result.output == "Code GOLD15 saves 15%"
    assert [(e.decision_id, e.decision_type, e.output) for e in result.evaluated_decisions] == [
        ("customer_tier", "DECISION_TABLE", "gold"),
        ("discount", "DECISION_TABLE", {"rate": 0.15, "code": "GOLD15"}),
        ("discount_message", "LITERAL_EXPRESSION", "Code GOLD15 saves 15%"),
    ]


def test_evaluated_decision_record_shape() -> None:
    """Each evaluated decision carries evaluatedInputs {inputId, inputName (the label),
    inputValue} and matchedRules {ruleId, ruleIndex (1-based), evaluatedOutputs {outputId,
    outputName, outputValue}}, as Zeebe's EvaluatedDecision message."""
    result = evaluate_decision(fixture("checkout_discount.dmn"), "discount", GOLD_CUSTOMER)
    assert result.evaluated_decisions[1].to_record() == {
        "decisionId": "discount",
        "decisionName": "Discount",
        "decisionType": "DECISION_TABLE",
        "decisionOutput": {"rate": 0.15, "code": "GOLD15"},
        "evaluatedInputs": [
            {"inputId": "Input_tier", "inputName": "Customer tier", "inputValue": "gold"},
            {"inputId": "Input_total", "inputName": "Order total", "inputValue": 150},
        ],
        "matchedRules": [
            {
                "ruleId": "Rule_gold_big",
                "ruleIndex": 1,
                "evaluatedOutputs": [
                    {"outputId": "Output_rate", "outputName": "rate", "outputValue": 0.15},
                    {"outputId": "Output_code", "outputName": "code", "outputValue": "GOLD15"},
                ],
            }
        ],
    }


def test_literal_expression_decision_result_is_visible_by_variable_name() -> None:
    """A literal expression's `variable name` is the name dependent decisions read it by."""
    body = (
        '<decision id="base"><variable name="baseRate" typeRef="number"/>'
        "<literalExpression><text>0.2</text></literalExpression></decision>"
        '<decision id="rate"><informationRequirement><requiredDecision href="#base"/>'
        "</informationRequirement><literalExpression><text>baseRate * 2</text>"
        "</literalExpression></decision>"
    )
    assert evaluate(definitions(body), {}, "rate").output == 0.4


def test_required_decision_output_shadows_a_variable_of_the_same_name() -> None:
    """Required decision results are added over the variables (dmn-scala: variables ++ results)."""
    drg = fixture("checkout_discount.dmn")
    variables = {**GOLD_CUSTOMER, "customer_tier": "bronze"}
    assert evaluate_decision(drg, "discount", variables).output["code"] == "GOLD15"


def test_no_such_decision_is_a_failed_result() -> None:
    """Evaluating an unknown decision id fails without raising."""
    result = evaluate_decision(fixture("checkout_discount.dmn"), "nope", {})
    assert (result.output, result.failed_decision_id, result.failure_message) == (
        None,
        "nope",
        "no decision found for id 'nope'",
    )
    assert result.evaluated_decisions == ()
    assert result.zeebe_failure_message("nope") == (
        "Expected to evaluate decision 'nope', but no decision found for id 'nope'"
    )


def test_failure_in_a_required_decision_names_that_decision() -> None:
    """When a required decision fails, failedDecisionId is the required decision and the
    decisions evaluated so far (including the failed one) are reported."""
    body = (
        '<decision id="check"><literalExpression><text>assert(amount, amount != null)'
        "</text></literalExpression></decision>"
        '<decision id="top"><informationRequirement><requiredDecision href="#check"/>'
        "</informationRequirement><literalExpression><text>check</text>"
        "</literalExpression></decision>"
    )
    result = evaluate(definitions(body), {}, "top")
    assert result.failed and result.output is None
    assert result.failed_decision_id == "check"
    # FEEL-Scala's FeelEngine names a failed assert so; dmn-scala passes the message on
    assert result.failure_message == (
        "Assertion failure on evaluate the expression 'assert(amount, amount != null)': "
        "The condition is not fulfilled"
    )
    assert result.zeebe_failure_message("top") == (
        "Expected to evaluate decision 'top', but " + result.failure_message
    )
    assert [(e.decision_id, e.output) for e in result.evaluated_decisions] == [("check", None)]


def test_unique_conflict_reports_the_matched_rules() -> None:
    """A violated hit policy still reports the inputs and the rules that matched."""
    xml = table_xml([(["> 1"], ['"a"']), (["> 2"], ['"b"'])])
    result = evaluate(xml, {"x": 5})
    (decision,) = result.evaluated_decisions
    assert result.failed_decision_id == "d"
    assert [i.input_value for i in decision.evaluated_inputs] == [5]
    assert [r.rule_id for r in decision.matched_rules] == ["r1", "r2"]


def test_result_of_the_wrong_type_fails() -> None:
    """A decision's `variable typeRef` is checked (dmn-scala TypeChecker)."""
    body = (
        '<decision id="d"><variable name="d" typeRef="number"/>'
        '<literalExpression><text>"ten"</text></literalExpression></decision>'
    )
    result = evaluate(definitions(body), {})
    assert result.failure_message == "expected 'number' but found '\"ten\"'"


def test_missing_variables_are_null_not_failures() -> None:
    """FEEL gives null for a missing variable; null matches no comparison, so no rule matches."""
    result = evaluate(table_xml([(["> 10"], ['"big"'])]), {})
    assert (result.failure_message, result.output) == (None, None)
    assert result.evaluated_decisions[0].evaluated_inputs[0].input_value is None


def test_outputs_are_json_compatible() -> None:
    """Outputs come back as JSON values: decimals as floats, whole numbers as ints, dates as
    ISO text (zeebe.feel.to_json_value)."""
    body = (
        '<decision id="d"><literalExpression><text>'
        '{rate: 0.1 + 0.2, count: 4 / 2, due: date("2024-02-01") + duration("P1M")}'
        "</text></literalExpression></decision>"
    )
    output = evaluate(definitions(body), {}).output
    assert output == {"rate": 0.3, "count": 2, "due": "2024-03-01"}
    assert type(output["count"]) is int


def test_now_is_the_engine_clock() -> None:
    """`now` is what FEEL's today()/now() return, so evaluation is deterministic under replay."""
    body = '<decision id="d"><literalExpression><text>today()</text></literalExpression></decision>'
    drg = parse(definitions(body))
    clock = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    assert evaluate_decision(drg, "d", {}, now=clock).output == "2030-01-02"


def test_camunda_input_variable_is_not_bound() -> None:
    """Camunda 7's `camunda:inputVariable` is not read by dmn-scala (ParsedInput has id, label
    and expression only): the entry `season = "Summer"` sees no `season` variable (null, so
    false) and does not match; entries testing the input value directly still do."""
    drg = fixture("dish_dmn11.dmn")
    assert evaluate_decision(drg, "dish", {"weather": {"season": "Summer"}}).output is None
    assert evaluate_decision(drg, "dish", {"weather": {"season": "Winter"}}).output == "Roastbeef"
    summer = {"weather": {"season": "Summer"}, "season": "Summer"}
    assert evaluate_decision(drg, "dish", summer).output == "Salad"


def test_variables_are_only_looked_up() -> None:
    """The caller's variables are read through lookups only (never copied or iterated), so a
    large variable document costs nothing beyond what the decision reads."""

    class LookupOnly(dict[str, Any]):
        def __iter__(self) -> Any:
            raise AssertionError("variables were iterated")

        def keys(self) -> Any:
            raise AssertionError("variables were iterated")

    result = evaluate_decision(
        fixture("checkout_discount.dmn"), "discount", LookupOnly(GOLD_CUSTOMER)
    )
    assert result.output == {"rate": 0.15, "code": "GOLD15"}
