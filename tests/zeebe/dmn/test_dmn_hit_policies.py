"""Hit policies (docs.camunda.io 8.7, "DMN hit policy"; dmn-scala DecisionTableEvaluator):
"A hit policy specifies how many rules of a decision table can be satisfied and which of the
satisfied rules are included in the decision result." Unique, Any and First return at most one
rule's output; Rule order and Collect return several."""

from __future__ import annotations

from typing import Any

import pytest
from dmn_tables import evaluate, parse, table_xml

from zeebe.dmn import DmnParseError

pytestmark = pytest.mark.unit

# Rules of a one-input table over `x`; rules 1 and 2 overlap for x = 5.
OVERLAPPING = [
    (["[1..5]"], ['"low"']),
    (["[5..10]"], ['"mid"']),
    (["> 10"], ['"high"']),
]


@pytest.mark.parametrize(
    ("hit_policy", "x", "expected"),
    [
        ("UNIQUE", 3, "low"),
        ("UNIQUE", 20, "high"),
        ("UNIQUE", 0, None),
        ("FIRST", 5, "low"),
        ("FIRST", 7, "mid"),
        ("FIRST", 0, None),
        ("ANY", 3, "low"),
        ("RULE ORDER", 5, ["low", "mid"]),
        ("RULE ORDER", 20, ["high"]),
        ("RULE ORDER", 0, None),
        ("COLLECT", 5, ["low", "mid"]),
        ("COLLECT", 0, None),
    ],
)
def test_hit_policy_output(hit_policy: str, x: int, expected: Any) -> None:
    """Single-hit policies give one value, multi-hit policies a list; no match gives null
    (dmn-scala returns null, not an empty list, when no rule matches and no default is set)."""
    result = evaluate(table_xml(OVERLAPPING, hit_policy=hit_policy), {"x": x})
    assert (result.failure_message, result.output) == (None, expected)


def test_unique_with_two_matches_fails_with_dmn_scala_message() -> None:
    """UNIQUE: "If more than one rule is satisfied, the Unique hit policy is violated."""
    result = evaluate(table_xml(OVERLAPPING), {"x": 5})
    assert result.output is None
    assert result.failed_decision_id == "d"
    assert result.failure_message == (
        "multiple values aren't allowed for UNIQUE hit policy. "
        'found: \'List(Map(result -> "low"), Map(result -> "mid"))\''
    )


def test_any_with_equal_outputs_gives_the_output() -> None:
    """ANY: several rules may match "if they all have the same output"."""
    rules = [(["> 0"], ['"yes"']), (["> 1"], ['"yes"'])]
    assert evaluate(table_xml(rules, hit_policy="ANY"), {"x": 5}).output == "yes"


def test_any_with_different_outputs_fails() -> None:
    """ANY: matched rules with different outputs violate the policy."""
    result = evaluate(table_xml(OVERLAPPING, hit_policy="ANY"), {"x": 5})
    assert result.failure_message == (
        "different values aren't allowed for ANY hit policy. "
        'found: \'List(Map(result -> "low"), Map(result -> "mid"))\''
    )


PRIORITISED = [
    (["> 0"], ['"medium"']),
    (["> 5"], ['"high"']),
    (["> 8"], ['"low"']),
    (["> 9"], ['"unlisted"']),
]


@pytest.mark.parametrize(
    ("hit_policy", "x", "expected"),
    [
        ("PRIORITY", 1, "medium"),
        ("PRIORITY", 6, "high"),
        ("PRIORITY", 9, "high"),
        ("OUTPUT ORDER", 9, ["high", "medium", "low"]),
        ("OUTPUT ORDER", 10, ["high", "medium", "low", "unlisted"]),
    ],
)
def test_priority_follows_output_values_order(hit_policy: str, x: int, expected: Any) -> None:
    """PRIORITY / OUTPUT ORDER rank matched outputs by their position in the output's
    `outputValues` list; values not listed come last, in rule order."""
    xml = table_xml(
        PRIORITISED,
        hit_policy=hit_policy,
        output_values={"result": '"high","medium","low"'},
    )
    assert evaluate(xml, {"x": x}).output == expected


AMOUNTS = [(["> 0"], ["10"]), (["> 1"], ["2.5"]), (["> 2"], ["30"])]


@pytest.mark.parametrize(
    ("aggregation", "x", "expected"),
    [
        ("SUM", 3, 42.5),
        ("SUM", 1, 10),
        ("MIN", 3, 2.5),
        ("MAX", 3, 30),
        ("COUNT", 3, 3),
        ("COUNT", 2, 2),
        ("COUNT", 0, None),
    ],
)
def test_collect_aggregators(aggregation: str, x: int, expected: Any) -> None:
    """COLLECT with an aggregator (C+, C<, C>, C#) gives one number over the matched outputs;
    no matched rule gives null, as in dmn-scala."""
    xml = table_xml(AMOUNTS, hit_policy="COLLECT", aggregation=aggregation)
    assert evaluate(xml, {"x": x}).output == expected


def test_collect_sum_of_non_numbers_fails() -> None:
    """Aggregation needs numbers: dmn-scala fails with "expected number but found ..."."""
    xml = table_xml(OVERLAPPING, hit_policy="COLLECT", aggregation="SUM")
    result = evaluate(xml, {"x": 5})
    assert result.failure_message == "expected number but found '\"low\"'"


def test_multiple_outputs_give_a_context_per_rule() -> None:
    """Several output columns give a context keyed by output name (a list of them for
    multi-hit policies)."""
    rules = [(["> 0"], ['"a"', "1"]), (["> 1"], ['"b"', "2"])]
    unique = table_xml(rules[:1], outputs=("code", "rank"))
    collect = table_xml(rules, outputs=("code", "rank"), hit_policy="RULE ORDER")
    assert evaluate(unique, {"x": 5}).output == {"code": "a", "rank": 1}
    assert evaluate(collect, {"x": 5}).output == [
        {"code": "a", "rank": 1},
        {"code": "b", "rank": 2},
    ]


def test_first_audits_only_the_first_matched_rule() -> None:
    """FIRST stops at the first matching rule: only that rule is reported as matched."""
    result = evaluate(table_xml(OVERLAPPING, hit_policy="FIRST"), {"x": 5})
    (decision,) = result.evaluated_decisions
    assert [rule.rule_index for rule in decision.matched_rules] == [1]


def test_default_output_entry_applies_when_no_rule_matches() -> None:
    """An output's `defaultOutputEntry` is the output when no rule matches."""
    xml = table_xml(OVERLAPPING, defaults={"result": '"none"'})
    assert evaluate(xml, {"x": 0}).output == "none"
    assert evaluate(xml, {"x": 3}).output == "low"


def test_empty_output_entry_is_rejected_at_deployment() -> None:
    """dmn-scala parses every output entry as a FEEL expression and an empty text does not
    parse ("FEEL expression: failed to parse expression ''"), so Zeebe rejects the resource
    (camunda/camunda#10298); docs.camunda.io's rule page documents empty input entries only."""
    rules = [(["> 0"], ['"a"', ""])]
    xml = table_xml(rules, outputs=("code", "note"))
    with pytest.raises(DmnParseError, match="output entry '' of rule 'r1': FEEL expression: "):
        parse(xml)


def test_sum_mixes_json_floats_and_feel_decimals_exactly() -> None:
    """Outputs read from JSON variables (floats) add exactly to FEEL decimals: 0.1 + 0.2 = 0.3."""
    rules = [(["> 0"], ["fee"]), (["> 0"], ["0.2"])]
    xml = table_xml(rules, hit_policy="COLLECT", aggregation="SUM")
    assert evaluate(xml, {"x": 1, "fee": 0.1}).output == 0.3


def test_priority_ranks_numeric_outputs_by_their_text() -> None:
    """Numbers are ranked by their text in `outputValues` too (`3,1,2`: 3 first)."""
    rules = [(["> 0"], ["1"]), (["> 0"], ["2"]), (["> 0"], ["3"])]
    xml = table_xml(rules, hit_policy="OUTPUT ORDER", output_values={"result": "3,1,2"})
    assert evaluate(xml, {"x": 1}).output == [3, 1, 2]


def test_priority_ranks_by_concatenated_position_text_as_dmn_scala() -> None:
    """dmn-scala's sortByPriority ranks a row by the text of its values' positions in
    `outputValues` (`_` for unlisted), concatenated and compared as text: with eleven listed
    values, position 10 ("10") sorts before position 2 ("2")."""
    listed = ",".join(f'"v{i}"' for i in range(11))
    rules = [(["> 0"], ['"v2"']), (["> 0"], ['"v10"']), (["> 0"], ['"other"'])]
    xml = table_xml(rules, hit_policy="OUTPUT ORDER", output_values={"result": listed})
    assert evaluate(xml, {"x": 1}).output == ["v10", "v2", "other"]
