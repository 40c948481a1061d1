"""Parsing DMN resources (zeebe-spec 1.2 row 9: DeployResource accepts DMN and rejects resources
that are broken XML or invalid; docs.camunda.io "Decision requirements graph", "Decision table")."""

from __future__ import annotations

import re

import pytest
from dmn_tables import definitions, fixture, parse, table_xml

from zeebe.dmn import DecisionTable, DmnParseError, LiteralExpression

pytestmark = pytest.mark.unit


def test_camunda_modeler_dmn13_file_gives_the_drg_and_its_decisions() -> None:
    """A DMN 1.3 file as Camunda Modeler writes it (with DMNDI) gives the DRG (definitions id,
    name, namespace) and its decisions in document order."""
    drg = fixture("checkout_discount.dmn")
    assert (drg.id, drg.name, drg.namespace) == (
        "checkout_discounts",
        "Checkout discounts",
        "http://camunda.org/schema/1.0/dmn",
    )
    assert [(d.id, d.name) for d in drg.decisions] == [
        ("customer_tier", "Customer tier"),
        ("discount", "Discount"),
        ("discount_message", "Discount message"),
    ]
    assert drg.resource_name == "checkout_discount.dmn"


def test_required_decisions_come_from_information_requirements() -> None:
    """`informationRequirement/requiredDecision href="#id"` names a required decision."""
    drg = fixture("checkout_discount.dmn")
    assert [d.required_decisions for d in drg.decisions] == [(), ("customer_tier",), ("discount",)]


def test_decision_logic_kinds_and_table_parts() -> None:
    """A decision holds a decision table or a literal expression; tables keep their hit policy
    (UNIQUE by default), inputs with labels and outputs with names."""
    tier, discount, message = fixture("checkout_discount.dmn").decisions
    assert isinstance(tier.logic, DecisionTable) and tier.logic.hit_policy == "FIRST"
    assert isinstance(discount.logic, DecisionTable) and discount.logic.hit_policy == "UNIQUE"
    assert [(i.id, i.label) for i in discount.logic.inputs] == [
        ("Input_tier", "Customer tier"),
        ("Input_total", "Order total"),
    ]
    assert [o.name for o in discount.logic.outputs] == ["rate", "code"]
    assert [r.id for r in discount.logic.rules][:2] == ["Rule_gold_big", "Rule_gold_small"]
    assert isinstance(message.logic, LiteralExpression)
    assert (message.variable_name, message.result_type) == ("message", "string")


@pytest.mark.parametrize(
    ("name", "drg_id"), [("dish_dmn11.dmn", "dinner"), ("dish_dmn12.dmn", "dinner12")]
)
def test_dmn_11_and_12_namespaces_are_accepted(name: str, drg_id: str) -> None:
    """Older DMN namespaces (1.1: .../20151101/dmn.xsd, 1.2: .../20180521/MODEL/) parse too."""
    drg = fixture(name)
    assert drg.id == drg_id
    assert [d.id for d in drg.decisions] == ["dish"]


def test_broken_xml_names_resource_line_and_column() -> None:
    """Broken XML is rejected with the resource name and the parser's line and column."""
    with pytest.raises(DmnParseError) as raised:
        parse('<definitions id="x">\n<decision></definitions>', "broken.dmn")
    message = str(raised.value)
    assert message.startswith("'broken.dmn': Failed to parse DMN XML: mismatched tag")
    assert "line 2, column" in message


def test_non_dmn_root_is_rejected() -> None:
    """A document that is not `definitions` in a DMN namespace is not a DMN resource."""
    bpmn = '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="p"/>'
    with pytest.raises(DmnParseError, match="root element must be 'definitions'"):
        parse(bpmn, "process.dmn")


def test_entity_declarations_are_refused() -> None:
    """DTDs with entities are refused (defusedxml), not expanded."""
    xml = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]><d>&e;</d>'
    with pytest.raises(DmnParseError, match="forbidden XML construct"):
        parse(xml, "evil.dmn")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "'test.dmn': it contains no decision"),
        (
            '<decision name="x"><literalExpression><text>1</text></literalExpression></decision>',
            "'test.dmn': a decision has no id",
        ),
        (
            '<decision id="d"/>',
            "'test.dmn': decision 'd': it has neither a decision table nor a literal expression",
        ),
    ],
)
def test_missing_parts_are_named(body: str, message: str) -> None:
    """Missing ids or logic are rejected, naming the resource and what is missing."""
    with pytest.raises(DmnParseError) as raised:
        parse(definitions(body))
    assert str(raised.value) == message


def test_definitions_without_id_is_rejected() -> None:
    """The DRG id (decisionRequirementsId) is required."""
    xml = definitions("").replace('id="drg" ', "")
    with pytest.raises(DmnParseError, match="'definitions' element has no id"):
        parse(xml)


def test_unparsable_input_entry_names_decision_rule_and_entry() -> None:
    """Unparsable FEEL is a deployment error naming the decision, the rule and the entry."""
    with pytest.raises(DmnParseError) as raised:
        parse(table_xml([(['"a", > '], ['"a"'])]))
    assert str(raised.value).startswith(
        "'test.dmn': decision 'd': input entry '\"a\", >' of rule 'r1': "
        "FEEL unary-tests: failed to parse expression '\"a\", >': test '>' is not valid FEEL"
    )


def test_unparsable_output_entry_and_input_expression_are_named() -> None:
    """Output entries and input expressions are compiled at parse time too."""
    with pytest.raises(DmnParseError, match=re.escape("output entry '1 +' of rule 'r1'")):
        parse(table_xml([(["-"], ["1 +"])]))
    with pytest.raises(
        DmnParseError, match="decision 'd': input 'in1': FEEL expression: failed to parse"
    ):
        parse(table_xml([(["-"], ["1"])], inputs=("a b c ++",)))


def test_unparsable_literal_expression_is_named() -> None:
    """A literal expression decision with broken FEEL is rejected."""
    body = (
        '<decision id="lit"><literalExpression><text>if then</text></literalExpression></decision>'
    )
    with pytest.raises(
        DmnParseError, match="decision 'lit': literal expression: FEEL expression: failed to parse"
    ):
        parse(definitions(body))


_EMPTY_INPUT = (
    '<decision id="d"><decisionTable><input id="in1">'
    '<inputExpression id="ie1" typeRef="string">{text}</inputExpression></input>'
    '<output id="o1" name="result" /></decisionTable></decision>'
)
_EMPTY_LITERAL = (
    '<decision id="d"><literalExpression id="le1">{text}</literalExpression></decision>'
)
_NO_TEXT = "'test.dmn': decision 'd': The expression '{id}' must not be empty."
_EMPTY_TEXT = "'test.dmn': decision 'd': {what}: FEEL expression: failed to parse expression ''"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_EMPTY_INPUT.format(text=""), _NO_TEXT.format(id="ie1")),
        (_EMPTY_INPUT.format(text="<text></text>"), _EMPTY_TEXT.format(what="input 'in1'")),
        (_EMPTY_INPUT.format(text="<text>  </text>"), _EMPTY_TEXT.format(what="input 'in1'")),
        (_EMPTY_LITERAL.format(text=""), _NO_TEXT.format(id="le1")),
        (_EMPTY_LITERAL.format(text="<text/>"), _EMPTY_TEXT.format(what="literal expression")),
    ],
)
def test_expression_without_text_and_with_empty_text(body: str, message: str) -> None:
    """dmn-scala's DmnParser.parseFeelExpression: an expression without a `<text>` child fails
    validateNotEmpty ("The expression '<id>' must not be empty."); an empty `<text>` (as the
    Camunda Modeler writes for a new table's input) is parsed as FEEL and fails to parse."""
    with pytest.raises(DmnParseError) as raised:
        parse(definitions(body))
    assert str(raised.value).startswith(message)


def test_rule_with_wrong_number_of_entries_is_rejected() -> None:
    """Each rule has one input entry per input and one output entry per output."""
    with pytest.raises(DmnParseError, match="rule 'r1' has 2 input and 1 output entries"):
        parse(table_xml([(["-", "-"], ["1"])]))


def test_unknown_hit_policy_and_misplaced_aggregation_are_rejected() -> None:
    """Hit policies are the DMN ones; an aggregator needs COLLECT and a single output."""
    with pytest.raises(DmnParseError, match="unsupported hit policy 'SOME'"):
        parse(table_xml([(["-"], ["1"])], hit_policy="SOME"))
    with pytest.raises(DmnParseError, match="aggregation 'SUM' needs the COLLECT hit policy"):
        parse(table_xml([(["-"], ["1"])], aggregation="SUM"))
    compound = table_xml(
        [(["-"], ["1", "2"])], outputs=("a", "b"), hit_policy="COLLECT", aggregation="SUM"
    )
    with pytest.raises(DmnParseError, match="aggregator is not defined for compound output"):
        parse(compound)


def test_unnamed_output_of_a_compound_table_is_rejected() -> None:
    """With several outputs each needs a name (dmn-scala: "no output name defined for ...")."""
    xml = table_xml([(["-"], ["1", "2"])], outputs=("a", "b")).replace('name="b"', 'name=""')
    with pytest.raises(DmnParseError, match="no output name defined for `B`"):
        parse(xml)


def test_duplicate_and_unknown_and_cyclic_requirements_are_rejected() -> None:
    """Decision ids are unique, required decisions exist, and requirements have no cycle."""
    lit = "<literalExpression><text>1</text></literalExpression>"
    req = '<informationRequirement><requiredDecision href="#{0}"/></informationRequirement>'
    duplicate = f'<decision id="a">{lit}</decision><decision id="a">{lit}</decision>'
    unknown = f'<decision id="a">{req.format("zzz")}{lit}</decision>'
    cyclic = (
        f'<decision id="a">{req.format("b")}{lit}</decision>'
        f'<decision id="b">{req.format("a")}{lit}</decision>'
    )
    with pytest.raises(DmnParseError, match="duplicate decision id 'a'"):
        parse(definitions(duplicate))
    with pytest.raises(DmnParseError, match="decision 'a' requires the unknown decision 'zzz'"):
        parse(definitions(unknown))
    with pytest.raises(
        DmnParseError, match=r"Invalid DMN model: Cyclic dependencies between decisions detected\.$"
    ):
        parse(definitions(cyclic))


def test_expression_languages_other_than_feel_are_rejected() -> None:
    """Only FEEL is evaluated; a JUEL input entry (Camunda 7 style) is a deployment error."""
    xml = table_xml([(["-"], ["1"])]).replace(
        "<inputEntry>", '<inputEntry expressionLanguage="juel">'
    )
    with pytest.raises(DmnParseError, match="Expression language 'juel' is not supported"):
        parse(xml)
    feel = table_xml([(["-"], ["1"])]).replace(
        "<inputEntry>",
        '<inputEntry expressionLanguage="https://www.omg.org/spec/DMN/20191111/FEEL/">',
    )
    assert parse(feel).decisions[0].id == "d"


def test_parse_error_is_a_value_error() -> None:
    """DmnParseError is a ValueError, so deployment code can treat it as invalid content."""
    assert issubclass(DmnParseError, ValueError)


def test_zeebe_version_tag_of_a_decision_is_read() -> None:
    """Zeebe 8.6+ DmnResourceTransformer: `extensionElements/zeebe:versionTag value` of a
    decision is its version tag; a decision without one has ""."""
    tag = (
        '<extensionElements><zeebe:versionTag xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" '
        'value="release-7"/></extensionElements>'
    )
    logic = "<literalExpression><text>1</text></literalExpression>"
    tagged = f'<decision id="a" name="A">{tag}{logic}</decision>'
    plain = (
        '<decision id="b" name="B"><literalExpression><text>2</text></literalExpression></decision>'
    )
    drg = parse(definitions(tagged + plain))
    assert [d.version_tag for d in drg.decisions] == ["release-7", ""]
