"""The examples of docs.camunda.io "Hit policy" (components/modeler/dmn/decision-table-hit-policy),
re-built as tables from the page's text (its tables are images): each with the input the page
names and the result it states."""

from __future__ import annotations

from typing import Any

import pytest
from dmn_tables import evaluate, table_xml

pytestmark = pytest.mark.unit

SEASON_DISH = [
    (['"Spring"'], ['"Steak"']),
    (['"Summer"'], ['"Light salad"']),
    (['"Autumn"'], ['"Stew"']),
    (['"Winter"'], ['"Roast beef"']),
]
OVERLAPPING = [
    (['"Summer"', "> 20"], ['"Light salad"']),
    (['"Summer"', "< 22"], ['"Cold soup"']),
]
LEAVE = [
    (["0", "-"], ['"refused"']),
    (["-", "true"], ['"refused"']),
    (["> 0", "false"], ['"applied"']),
]
ADVERTISEMENT = [
    ([">= 18"], ['"Cars"']),
    ([">= 12"], ['"Videogames"']),
    (["-"], ['"Toys"']),
]
SALARY_BONUS = [([">= 0"], ["100"]), ([">= 1"], ["200"]), ([">= 3"], ["300"]), ([">= 5"], ["400"])]
INSURANCE = [([">= 0"], ["100"]), ([">= 1"], ["99.12"]), ([">= 3"], ["98.83"]), ([">= 5"], ["97"])]
POCKET_MONEY = [([">= 5"], ["2"]), ([">= 8"], ["5"]), ([">= 12"], ["10"])]

EXAMPLES: list[tuple[str, Any, Any]] = [
    # Unique: "the seasons are mutually exclusive, so at most one rule can match"
    ("unique", table_xml(SEASON_DISH, inputs=("season",)), ({"season": "Autumn"}, "Stew")),
    # Any: "no vacation days left or ... in the probation period" -> refused, else applied
    (
        "any",
        table_xml(LEAVE, inputs=("vacationDays", "probation"), hit_policy="ANY"),
        ({"vacationDays": 0, "probation": True}, "refused"),
    ),
    (
        "any",
        table_xml(LEAVE, inputs=("vacationDays", "probation"), hit_policy="ANY"),
        ({"vacationDays": 12, "probation": False}, "applied"),
    ),
    # First: "the user is 19 years old. All the rules will match, but ... Cars is used"
    (
        "first",
        table_xml(ADVERTISEMENT, inputs=("age",), hit_policy="FIRST"),
        ({"age": 19}, "Cars"),
    ),
    # Rule order: "All rules are satisfied so all outputs are given, ordered by the rule ordering"
    (
        "rule order",
        table_xml(ADVERTISEMENT, inputs=("age",), hit_policy="RULE ORDER"),
        ({"age": 19}, ["Cars", "Videogames", "Toys"]),
    ),
    # SUM: "working in the company for 3.5 years ... the result of the decision table is 600"
    (
        "sum",
        table_xml(SALARY_BONUS, inputs=("years",), hit_policy="COLLECT", aggregation="SUM"),
        ({"years": 3.5}, 600),
    ),
    # MIN: "if the input ... is 3.5 years, the result will be 98.83"
    (
        "min",
        table_xml(INSURANCE, inputs=("years",), hit_policy="COLLECT", aggregation="MIN"),
        ({"years": 3.5}, 98.83),
    ),
    # MAX: "an input of 9 will satisfy the first and second rules ... the output will be 5"
    (
        "max",
        table_xml(POCKET_MONEY, inputs=("age",), hit_policy="COLLECT", aggregation="MAX"),
        ({"age": 9}, 5),
    ),
    # COUNT: "With an input of 4, the first three rules will be satisfied ... the result ... is 3"
    (
        "count",
        table_xml(SALARY_BONUS, inputs=("years",), hit_policy="COLLECT", aggregation="COUNT"),
        ({"years": 4}, 3),
    ),
]


@pytest.mark.parametrize(("policy", "xml", "case"), EXAMPLES)
def test_hit_policy_page_example(policy: str, xml: str, case: tuple[dict[str, Any], Any]) -> None:
    """Each hit policy example gives the result the docs page states."""
    variables, expected = case
    result = evaluate(xml, variables)
    assert (result.failure_message, result.output) == (None, expected)


def test_collect_without_aggregator_gives_every_output() -> None:
    """Collect: "The decision table result contains the output of all satisfied rules ... as a
    list" (dmn-scala keeps rule order)."""
    xml = table_xml(ADVERTISEMENT, inputs=("age",), hit_policy="COLLECT")
    assert evaluate(xml, {"age": 13}).output == ["Videogames", "Toys"]


def test_overlapping_unique_rules_fail_the_evaluation() -> None:
    """Unique: "An input of `Summer` and `21` satisfies both rules, which violates the Unique hit
    policy and causes evaluation to fail"; `Summer` and 25 matches one rule only."""
    xml = table_xml(OVERLAPPING, inputs=("season", "temperature"))
    failed = evaluate(xml, {"season": "Summer", "temperature": 21})
    assert failed.output is None and failed.failed_decision_id == "d"
    assert failed.failure_message == (
        "multiple values aren't allowed for UNIQUE hit policy. "
        'found: \'List(Map(result -> "Light salad"), Map(result -> "Cold soup"))\''
    )
    assert evaluate(xml, {"season": "Summer", "temperature": 25}).output == "Light salad"


def test_default_hit_policy_is_unique() -> None:
    """ "If no hit policy is set, then the default hit policy UNIQUE is used."""
    xml = table_xml(OVERLAPPING, inputs=("season", "temperature")).replace(
        ' hitPolicy="UNIQUE"', ""
    )
    result = evaluate(xml, {"season": "Summer", "temperature": 21})
    assert result.failure_message is not None
    assert result.failure_message.startswith("multiple values aren't allowed for UNIQUE")
