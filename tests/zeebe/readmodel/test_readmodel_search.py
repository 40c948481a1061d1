"""The search request grammar of spec 8.3: filters, operators, sort, offset and cursor pages."""

from __future__ import annotations

from typing import Any

import pytest

from zeebe.readmodel.filters import SearchError, like_pattern
from zeebe.readmodel.schema import PROCESS_INSTANCES
from zeebe.readmodel.search import search

pytestmark = pytest.mark.unit


def instance(key: int, process_id: str, state: str, start: int, version: int = 1) -> dict[str, Any]:
    return {
        "processInstanceKey": key,
        "processDefinitionId": process_id,
        "processDefinitionVersion": version,
        "state": state,
        "startDate": start,
        "endDate": None if state == "ACTIVE" else start + 10,
        "hasIncident": False,
        "parentProcessInstanceKey": None,
    }


ROWS = [
    instance(5, "checkout", "ACTIVE", 3_000, version=2),
    instance(3, "checkout", "COMPLETED", 1_000),
    instance(9, "refund", "TERMINATED", 2_000),
    instance(7, "check-in", "ACTIVE", 4_000),
]


def keys(request: dict[str, Any]) -> list[int]:
    return [row["processInstanceKey"] for row in search(PROCESS_INSTANCES, ROWS, request).items]


def test_without_sort_items_are_ordered_by_key() -> None:
    """Results are stable: the table key orders them (and breaks every tie)."""
    assert keys({}) == [3, 5, 7, 9]


def test_an_exact_value_filters_and_keys_may_be_strings_or_numbers() -> None:
    """Spec 8.3: a filter value is an exact value; keys are strings (numbers accepted)."""
    assert keys({"filter": {"processInstanceKey": "5"}}) == [5]
    assert keys({"filter": {"processInstanceKey": 5}}) == [5]


def test_enum_filters_accept_any_casing() -> None:
    """Spec 8.1: enum request values accept any casing."""
    assert keys({"filter": {"state": "active"}}) == [5, 7]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"$eq": "checkout"}, [3, 5]),
        ({"$neq": "checkout"}, [7, 9]),
        ({"$in": ["refund", "check-in"]}, [7, 9]),
        ({"$notIn": ["refund", "check-in"]}, [3, 5]),
        ({"$like": "check*"}, [3, 5, 7]),
        ({"$like": "check?in"}, [7]),
    ],
)
def test_string_operators(condition: dict[str, Any], expected: list[int]) -> None:
    """Strings: $eq $neq $in $notIn $like (`*` any run, `?` one character)."""
    assert keys({"filter": {"processDefinitionId": condition}}) == expected


def test_like_escapes_wildcards_with_a_backslash() -> None:
    """`\\*` matches a literal star."""
    assert like_pattern("a\\*").fullmatch("a*") is not None
    assert like_pattern("a\\*").fullmatch("ab") is None


def test_date_and_number_ranges_combine_in_one_operator_object() -> None:
    """Numbers and dates: $gt $gte $lt $lte; dates are ISO 8601 in requests."""
    window = {"$gte": "1970-01-01T00:00:02Z", "$lt": "1970-01-01T00:00:04.000Z"}
    assert keys({"filter": {"startDate": window}}) == [5, 9]
    assert keys({"filter": {"processDefinitionVersion": {"$gt": 1}}}) == [5]


def test_exists_tells_set_from_null() -> None:
    """$exists: false matches rows where the field is null (running instances have no endDate)."""
    assert keys({"filter": {"endDate": {"$exists": False}}}) == [5, 7]
    assert keys({"filter": {"endDate": {"$exists": True}}}) == [3, 9]


def test_sort_by_fields_with_order() -> None:
    """sort: [{field, order}] applied in sequence, order default ASC."""
    request = {"sort": [{"field": "state"}, {"field": "startDate", "order": "DESC"}]}
    assert keys(request) == [7, 5, 3, 9]


def test_nulls_sort_last_in_both_orders() -> None:
    """Missing values sort last whatever the order (as Camunda's secondary storage does)."""
    ascending = keys({"sort": [{"field": "endDate", "order": "ASC"}]})
    descending = keys({"sort": [{"field": "endDate", "order": "DESC"}]})
    assert ascending[-2:] == [5, 7] and descending[-2:] == [5, 7]
    assert ascending[:2] == [3, 9] and descending[:2] == [9, 3]


def test_offset_page_and_totals() -> None:
    """page {from, limit}: totalItems counts every match, not just the page."""
    page = search(PROCESS_INSTANCES, ROWS, {"page": {"from": 1, "limit": 2}})
    assert [r["processInstanceKey"] for r in page.items] == [5, 7]
    assert page.total == 4


def test_cursors_walk_forward_and_back() -> None:
    """page {after|before, limit} with the opaque endCursor/startCursor of the previous page."""
    request: dict[str, Any] = {"sort": [{"field": "startDate", "order": "DESC"}]}
    first = search(PROCESS_INSTANCES, ROWS, {**request, "page": {"limit": 2}})
    second = search(PROCESS_INSTANCES, ROWS, {**request, "page": {"after": first.end_cursor}})
    assert [r["processInstanceKey"] for r in first.items] == [7, 5]
    assert [r["processInstanceKey"] for r in second.items] == [9, 3]
    back = search(
        PROCESS_INSTANCES, ROWS, {**request, "page": {"before": second.start_cursor, "limit": 1}}
    )
    assert [r["processInstanceKey"] for r in back.items] == [5]


def test_limit_defaults_to_100() -> None:
    """Spec 8.3: limit default 100."""
    rows = [instance(k, "p", "ACTIVE", k) for k in range(150)]
    assert len(search(PROCESS_INSTANCES, rows, {}).items) == 100


@pytest.mark.parametrize(
    ("request_body", "field"),
    [
        ({"filter": {"nope": 1}}, "filter.nope"),
        ({"filter": {"state": {"$regex": "x"}}}, "filter.state"),
        ({"filter": {"processDefinitionId": {"$gt": "a"}}}, "filter.processDefinitionId"),
        ({"filter": {"startDate": "yesterday"}}, "filter.startDate"),
        ({"filter": {"processInstanceKey": "12a"}}, "filter.processInstanceKey"),
        ({"sort": [{"field": "nope"}]}, "sort[0].field"),
        ({"sort": [{"field": "state", "order": "UP"}]}, "sort[0].order"),
        ({"page": {"limit": 0}}, "page.limit"),
        ({"page": {"from": 1, "after": "x"}}, "page"),
        ({"page": {"after": "not-a-cursor"}}, "page.after"),
    ],
)
def test_malformed_requests_name_the_field(request_body: dict[str, Any], field: str) -> None:
    """Unknown fields, operators, bad values, limits and cursors are rejected naming the field."""
    with pytest.raises(SearchError) as raised:
        search(PROCESS_INSTANCES, ROWS, request_body)
    assert raised.value.field == field
