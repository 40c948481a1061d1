"""Boxed expressions as decision logic (DMN 1.3 context, list, relation, invocation, function
definition), evaluated as dmn-scala does (ContextTest, ListTest, RelationTest, InvocationTest,
FunctionDefinitionTest, BkmTest); Zeebe reports their decisionType as CONTEXT, LIST, RELATION or
INVOCATION (EvaluatedDmnScalaDecision)."""

from __future__ import annotations

from typing import Any

import pytest
from dmn_tables import definitions, parse

from zeebe.dmn import DmnParseError, evaluate_decision

pytestmark = pytest.mark.unit


def _lit(text: str) -> str:
    return f"<literalExpression><text>{text}</text></literalExpression>"


def _entry(name: str | None, body: str) -> str:
    variable = f'<variable name="{name}"/>' if name else ""
    return f"<contextEntry>{variable}{body}</contextEntry>"


def _decision(body: str, decision_id: str = "d", requires: str = "") -> str:
    needs = (
        f'<knowledgeRequirement><requiredKnowledge href="#{requires}"/></knowledgeRequirement>'
        if requires
        else ""
    )
    return f'<decision id="{decision_id}" name="Decision {decision_id}">{needs}{body}</decision>'


DISCOUNT_BKM = (
    '<businessKnowledgeModel id="bkm_discount" name="Discount table"><encapsulatedLogic>'
    '<formalParameter name="customer" typeRef="feel:string"/>'
    '<formalParameter name="orderSize" typeRef="feel:number"/>'
    + _lit('if customer = "Business" then (if orderSize &lt; 10 then 0.1 else 0.15) else 0.05')
    + "</encapsulatedLogic></businessKnowledgeModel>"
)


def _invocation(*bindings: tuple[str, str]) -> str:
    bound = "".join(
        f'<binding><parameter name="{name}"/>{_lit(text)}</binding>' for name, text in bindings
    )
    return f"<invocation>{_lit('Discount table')}{bound}</invocation>"


def _evaluate(body: str, variables: dict[str, Any]) -> Any:
    result = evaluate_decision(parse(definitions(body)), "d", variables)
    return result.failure_message if result.failed else result.output


def test_context_returns_its_entries() -> None:
    """ContextTest "return static values": a context without a final entry is a context."""
    body = _decision(
        "<context>"
        + _entry("Age", _lit("51"))
        + _entry("MaritalStatus", _lit('"M"'))
        + _entry("ExistingCustomer", _lit("false"))
        + "</context>"
    )
    assert _evaluate(body, {}) == {"Age": 51, "MaritalStatus": "M", "ExistingCustomer": False}


def test_context_entries_see_earlier_entries_and_nest() -> None:
    """ContextTest "return nested values": entries may be contexts and use earlier entries."""
    monthly = (
        "<context>"
        + _entry("Income", _lit("10000.00"))
        + _entry("Expenses", _lit("Income * 0.3"))
        + "</context>"
    )
    body = _decision(
        "<context>"
        + _entry("Status", _lit('"EMPLOYED"'))
        + _entry("Monthly", monthly)
        + "</context>"
    )
    assert _evaluate(body, {}) == {
        "Status": "EMPLOYED",
        "Monthly": {"Income": 10000, "Expenses": 3000},
    }


def test_context_with_final_entry_returns_only_its_value() -> None:
    """ContextTest "A context with final result should return only final value"."""
    body = _decision(
        "<context>"
        + _entry("Age", _lit("Applicant.Age"))
        + _entry("Category", _lit("Affordability.Category"))
        + _entry(None, _lit('if Category = "DECLINE" or Age &lt; 18 then "INELIGIBLE" else "OK"'))
        + "</context>"
    )
    applicant = {"Applicant": {"Age": 51}, "Affordability": {"Category": "DECLINE"}}
    assert _evaluate(body, applicant) == "INELIGIBLE"


def test_list_and_relation() -> None:
    """ListTest / RelationTest: a list gives its items' values; a relation a list of contexts
    keyed by column name."""
    boxed_list = f"<list>{_lit('2500')}{_lit('1000 * 3')}</list>"
    relation = (
        '<relation><column name="event"/><column name="weight"/>'
        f"<row>{_lit('&quot;home mortgage&quot;')}{_lit('100')}</row>"
        f"<row>{_lit('&quot;foreclosure warning&quot;')}{_lit('150')}</row></relation>"
    )
    body = _decision(
        "<context>" + _entry("Outgoings", boxed_list) + _entry("History", relation) + "</context>"
    )
    assert _evaluate(body, {}) == {
        "Outgoings": [2500, 3000],
        "History": [
            {"event": "home mortgage", "weight": 100},
            {"event": "foreclosure warning", "weight": 150},
        ],
    }


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"Customer": "Business", "OrderSize": 7}, 0.1),
        ({"Customer": "Business", "OrderSize": 12}, 0.15),
        ({"OrderSize": 7}, "no parameter found with name 'customer'"),
        ({"Customer": "Business", "OrderSize": "foo"}, "expected 'number' but found '\"foo\"'"),
    ],
)
def test_invocation_calls_the_knowledge_model_with_bindings(
    variables: dict[str, Any], expected: Any
) -> None:
    """InvocationTest: bindings name the parameters; an unbound parameter and an argument of the
    wrong type fail with dmn-scala's messages."""
    bindings = [("customer", "Customer"), ("orderSize", "OrderSize")]
    if "Customer" not in variables:
        bindings = bindings[1:]
    body = DISCOUNT_BKM + _decision(_invocation(*bindings), requires="bkm_discount")
    assert _evaluate(body, variables) == expected


def test_invocation_audit_lists_the_knowledge_model_then_the_decision() -> None:
    """AuditLogTest "contains the result of a BKM invocation": the knowledge model's entry,
    then the decision's, whose type is INVOCATION."""
    body = DISCOUNT_BKM + _decision(
        _invocation(("customer", "c"), ("orderSize", "n")), requires="bkm_discount"
    )
    result = evaluate_decision(parse(definitions(body)), "d", {"c": "Business", "n": 7})
    entries = [(e.decision_id, e.decision_type, e.output) for e in result.evaluated_decisions]
    assert entries == [
        ("bkm_discount", "LITERAL_EXPRESSION", 0.1),
        ("d", "INVOCATION", 0.1),
    ]


def test_invocation_without_knowledge_requirement_is_rejected() -> None:
    """InvocationTest "fail if knowledge requirement is missing"."""
    body = DISCOUNT_BKM + _decision(_invocation(("customer", "c")))
    with pytest.raises(DmnParseError, match="no BKM found with name 'Discount table'"):
        parse(definitions(body))


def test_function_definition_in_a_context() -> None:
    """FunctionDefinitionTest "A FEEL user function should be invoked inside a context"."""
    function = (
        '<functionDefinition><formalParameter name="a" typeRef="number"/>'
        f'<formalParameter name="b" typeRef="number"/>{_lit("a + b")}</functionDefinition>'
    )
    body = _decision(
        "<context>" + _entry("sum", function) + _entry(None, _lit("sum(2, 3)")) + "</context>"
    )
    assert _evaluate(body, {}) == 5


def test_knowledge_model_with_a_context() -> None:
    """BkmTest "A BKM with a Context should be invoked as function"."""
    bkm = (
        '<businessKnowledgeModel id="calc" name="calc"><encapsulatedLogic>'
        '<formalParameter name="x"/><formalParameter name="y"/><context>'
        + _entry("Sum", _lit("x + y"))
        + _entry("Multiply", _lit("x * y"))
        + "</context></encapsulatedLogic></businessKnowledgeModel>"
    )
    body = bkm + _decision(_lit("calc(x, y)"), requires="calc")
    assert _evaluate(body, {"x": 2, "y": 3}) == {"Sum": 5, "Multiply": 6}


def test_context_decision_type_and_failure() -> None:
    """A failing entry fails the decision with its message; the decision type is CONTEXT."""
    body = _decision(
        "<context>"
        + _entry("a", _lit("assert(x, x != null)"))
        + _entry("b", _lit("1"))
        + "</context>"
    )
    result = evaluate_decision(parse(definitions(body)), "d", {})
    assert result.failed_decision_id == "d"
    assert result.failure_message is not None and "assert(x, x != null)" in result.failure_message
    assert [e.decision_type for e in result.evaluated_decisions] == ["CONTEXT"]
