"""Business knowledge models (DMN 1.3 `businessKnowledgeModel`, evaluated by dmn-scala, the
engine Zeebe 8.7 uses for DMN): a decision that requires one through a `knowledgeRequirement`
calls it as a function by the knowledge model's name; its encapsulated logic (a literal
expression or a decision table) sees the parameters, the caller's input variables and its own
required knowledge models."""

from __future__ import annotations

import pytest
from dmn_tables import definitions

from zeebe.dmn import DmnParseError, evaluate_decision, parse_dmn

pytestmark = pytest.mark.unit


def _bkm(model_id: str, name: str, params: str, logic: str, requires: str = "") -> str:
    parameters = "".join(
        f'<formalParameter name="{p}" typeRef="number" />' for p in params.split(",") if p
    )
    needs = (
        f'<knowledgeRequirement><requiredKnowledge href="#{requires}" /></knowledgeRequirement>'
        if requires
        else ""
    )
    return (
        f'<businessKnowledgeModel id="{model_id}" name="{name}">{needs}'
        f"<encapsulatedLogic>{parameters}{logic}</encapsulatedLogic></businessKnowledgeModel>"
    )


def _literal(text: str) -> str:
    return f"<literalExpression><text>{text}</text></literalExpression>"


def _decision(expression: str, requires: str) -> str:
    return (
        '<decision id="price" name="Price"><knowledgeRequirement>'
        f'<requiredKnowledge href="#{requires}" /></knowledgeRequirement>'
        f"{_literal(expression)}</decision>"
    )


def test_decision_calls_a_literal_expression_knowledge_model() -> None:
    """The knowledge model is a function named by its `name`, with its formal parameters."""
    xml = definitions(
        _bkm("discount", "applyDiscount", "amount,rate", _literal("amount * (1 - rate)"))
        + _decision("applyDiscount(total, 0.1)", "discount")
    )
    result = evaluate_decision(parse_dmn(xml.encode(), "price.dmn"), "price", {"total": 200})
    assert result.failure_message is None
    assert result.output == 180


def test_knowledge_model_body_sees_input_variables_and_its_own_required_models() -> None:
    """dmn-scala evaluates the body with the caller's variables, the arguments and the
    functions of the knowledge models it requires itself."""
    xml = definitions(
        _bkm("base", "withTax", "net", _literal("net * (1 + taxRate)"))
        + _bkm("gross", "grossPrice", "net", _literal("withTax(net) + fee"), requires="base")
        + _decision("grossPrice(total)", "gross")
    )
    variables = {"total": 100, "taxRate": 0.5, "fee": 2}
    result = evaluate_decision(parse_dmn(xml.encode(), "price.dmn"), "price", variables)
    assert result.output == 152


def test_decision_table_knowledge_model() -> None:
    """A knowledge model's logic may be a decision table over its parameters."""
    table = (
        '<decisionTable id="bands"><input id="i"><inputExpression typeRef="number"><text>score'
        '</text></inputExpression></input><output id="o" name="band" typeRef="string" />'
        '<rule id="r1"><inputEntry><text>&gt;= 50</text></inputEntry><outputEntry><text>"high"'
        "</text></outputEntry></rule>"
        '<rule id="r2"><inputEntry><text>&lt; 50</text></inputEntry><outputEntry><text>"low"'
        "</text></outputEntry></rule></decisionTable>"
    )
    xml = definitions(_bkm("banding", "band", "score", table) + _decision("band(s)", "banding"))
    drg = parse_dmn(xml.encode(), "band.dmn")
    assert evaluate_decision(drg, "price", {"s": 70}).output == "high"
    assert evaluate_decision(drg, "price", {"s": 10}).output == "low"


def test_argument_of_the_wrong_type_makes_the_feel_call_null() -> None:
    """dmn-scala type-checks arguments against the parameter's typeRef and the function returns
    an error; FEEL-Scala 1.17+ (FeelInterpreter, FunctionInvocation) turns a function's error into
    null and a FUNCTION_INVOCATION_FAILURE warning, so the decision gives null, not a failure.
    (A boxed `invocation` fails instead: test_dmn_boxed.)"""
    xml = definitions(
        _bkm("double", "twice", "n", _literal("n * 2"))
        + _decision('[twice("x"), twice(2)]', "double")
    )
    result = evaluate_decision(parse_dmn(xml.encode(), "twice.dmn"), "price", {})
    assert (result.failure_message, result.output) == (None, [None, 4])


def test_unknown_required_knowledge_model_is_rejected_at_deployment() -> None:
    """A `requiredKnowledge` reference must resolve inside the resource."""
    xml = definitions(_decision("missing(1)", "nowhere"))
    with pytest.raises(DmnParseError, match="unknown business knowledge model 'nowhere'"):
        parse_dmn(xml.encode(), "broken.dmn")


def test_each_knowledge_model_call_is_an_evaluated_decision() -> None:
    """dmn-scala's audit log gets an entry (the knowledge model's id and name) per call of a
    knowledge model, before the calling decision's entry (AuditLogTest "contains the result of a
    BKM invocation"); Zeebe lists every audit entry among the evaluatedDecisions."""
    table = (
        '<decisionTable id="bands"><input id="i" label="Score"><inputExpression typeRef="number">'
        '<text>score</text></inputExpression></input><output id="o" name="band" />'
        '<rule id="r1"><inputEntry><text>&gt;= 50</text></inputEntry><outputEntry><text>"high"'
        "</text></outputEntry></rule></decisionTable>"
    )
    xml = definitions(
        _bkm("banding", "band", "score", table) + _decision("[band(a), band(b)]", "banding")
    )
    result = evaluate_decision(parse_dmn(xml.encode(), "band.dmn"), "price", {"a": 70, "b": 1})
    assert result.output == ["high", None]
    entries = [
        (e.decision_id, e.decision_name, e.decision_type, e.output)
        for e in result.evaluated_decisions
    ]
    assert entries == [
        ("banding", "band", "DECISION_TABLE", "high"),
        ("banding", "band", "DECISION_TABLE", None),
        ("price", "Price", "LITERAL_EXPRESSION", ["high", None]),
    ]
    first = result.evaluated_decisions[0]
    assert [(i.input_name, i.input_value) for i in first.evaluated_inputs] == [("Score", 70)]
    assert [r.rule_id for r in first.matched_rules] == ["r1"]


def test_knowledge_models_requiring_each_other_are_rejected_at_deployment() -> None:
    """dmn-scala's parser: "Invalid DMN model: Cyclic dependencies between BKMs detected."."""
    xml = definitions(
        _bkm("a", "fa", "n", _literal("fb(n)"), requires="b")
        + _bkm("b", "fb", "n", _literal("fa(n)"), requires="a")
        + _decision("fa(1)", "a")
    )
    with pytest.raises(DmnParseError) as raised:
        parse_dmn(xml.encode(), "loop.dmn")
    assert str(raised.value) == (
        "'loop.dmn': Invalid DMN model: Cyclic dependencies between BKMs detected."
    )
