"""Core FEEL language (zeebe-spec §7.2): literals, names, paths, lists, contexts, operators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from zeebe.feel import evaluate

pytestmark = pytest.mark.unit

VARIABLES: dict[str, Any] = {
    "x": 5,
    "price": 0.1,
    "name": "Ada",
    "order": {"total": 150, "items": [{"sku": "a", "amount": 5}, {"sku": "b", "amount": 20}]},
    "customer": {"tier": "gold", "address": None},
    "tracking-id": "T-1",
    "xs": [1, 2, 3, 4],
    "nothing": None,
}


def feel(source: str, **extra: Any) -> Any:
    """Evaluate against the shared variables plus extras."""
    return evaluate(source, {**VARIABLES, **extra})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("null", None),
        ("true", True),
        ("false", False),
        ("42", 42),
        ("-2", -2),
        (".5", Decimal("0.5")),
        ("2.30", Decimal("2.3")),
        ('"a\\"b\\\\c\\n"', 'a"b\\c\n'),
        ('"\\u0041"', "A"),
        ("[1, 2, 3]", [1, 2, 3]),
        ("[]", []),
        ('{a: 1, "b c": 2, nested: {d: 3}}', {"a": 1, "b c": 2, "nested": {"d": 3}}),
        ("{}", {}),
    ],
)
def test_literals(source: str, expected: Any) -> None:
    """§7.2 Literals: null, numbers incl. `.5`, strings with escapes, booleans, lists, contexts."""
    assert feel(source) == expected


def test_context_entries_see_earlier_entries() -> None:
    """§7.2: later context entries may reference earlier ones (`{a: 2, b: a * 2}`)."""
    assert feel("{a: 2, b: a * 2}") == {"a": 2, "b": 4}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x", 5),
        ("order.total", 150),
        ("customer.tier", "gold"),
        ("customer.address.street", None),
        ("missing", None),
        ("missing.deeper.still", None),
        ("`tracking-id`", "T-1"),
        ("{a: {b: 1}}.a.b", 1),
        ("order.items.sku", ["a", "b"]),
    ],
)
def test_variables_and_paths(source: str, expected: Any) -> None:
    """§7.2: "If no variable exists with the given name, the expression returns null"; paths on
    null give null; backtick names; projection over a list of contexts."""
    assert feel(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("[1, 2, 3, 4][1]", 1),
        ("[1, 2, 3, 4][-1]", 4),
        ("[1, 2, 3, 4][5]", None),
        ("[1, 2, 3, 4][0]", None),
        ("xs[item > 2]", [3, 4]),
        ("xs[item > 10]", []),
        ("order.items[amount > 10].sku", ["b"]),
        ("order.items[item.amount > 10].sku", ["b"]),
        ("xs[x - 3]", 2),
        ("nothing[1]", None),
    ],
)
def test_list_indexes_and_filters(source: str, expected: Any) -> None:
    """§7.2 Lists: 1-based index, negative from end, out of range -> null; `xs[item > 2]`
    filters; context fields are visible in the filter of a list of contexts."""
    assert feel(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("10 / 4", Decimal("2.5")),
        ("10 / 5", 2),
        ("2 ** 10", 1024),
        ("7 - 10", -3),
        ("-x", -5),
        ("0.1 + 0.2", Decimal("0.3")),
        ("price * 3", Decimal("0.3")),
        ("1 / 0", None),
        ('"order-" + "1"', "order-1"),
        ('"order-" + 1', None),
        ("1 + null", None),
        ("true + 1", None),
    ],
)
def test_arithmetic(source: str, expected: Any) -> None:
    """§7.2 Arithmetic: decimals (0.1 + 0.2 = 0.3), string + only between strings, otherwise
    a type mismatch or division by zero yields null."""
    result = feel(source)
    assert result == expected
    assert type(result) is type(expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("0.1 + 0.2 = 0.3", True),
        ("price = 0.1", True),
        ("x = 5", True),
        ("x != 5", False),
        ("x < 6", True),
        ("x <= 5", True),
        ("x > 5", False),
        ("x >= 5.0", True),
        ('"abc" < "abd"', True),
        ('x = "5"', None),
        ('x < "5"', None),
        ("true < false", None),
        ("[1, 2] = [1, 2]", True),
        ("{a: 1} = {a: 1}", True),
        ("{a: 1} = {a: 2}", False),
        ("x between 1 and 5", True),
        ("x between 6 and 9", False),
    ],
)
def test_comparison(source: str, expected: Any) -> None:
    """§7.2 Comparison: `=` is equality; `!=`, `< <= > >=`, between; cross-type -> null."""
    assert feel(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("missing = null", True),
        ("nothing = null", True),
        ("x = null", False),
        ("null = null", True),
        ("null != null", False),
        ("true and null", None),
        ("false and null", False),
        ("null and false", False),
        ("true and true", True),
        ("true or null", True),
        ("false or null", None),
        ("null or true", True),
        ("false or false", False),
        ("not(null)", None),
        ("not(true)", False),
        ("not(1)", None),
        ('true and "yes"', None),
        ("is defined(missing)", False),
        ("is defined(x)", True),
        ("missing > 3", None),
        ("missing != null and missing.y > 10", False),
    ],
)
def test_null_semantics(source: str, expected: Any) -> None:
    """§7.2 Null check `x = null` is true if x is null or does not exist; three-valued `and`
    (`true and null` -> null, `false and null` -> false) and `or`; `is defined(missing)` false."""
    assert feel(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("5 in (3..7)", True),
        ("3 in (3..7)", False),
        ("3 in [3..7]", True),
        ("7 in [3..7)", False),
        ("7 in ]3..7]", True),
        ("5 in [2, 4, 6, 8]", False),
        ("4 in [2, 4, 6, 8]", True),
        ('name in ("Ada", "Bob")', True),
        ('name in ("Eve")', False),
        ("x in > 3", True),
        ("x in (< 3, > 4)", True),
        ("x in (< 3, > 6)", False),
        ("x in <= 4", False),
        ("x in (? > 4)", True),
        ('name in (starts with(?, "A"))', True),
        ("x in (< 2, ? > 9)", False),
        ("x in 5 and false", False),
    ],
)
def test_membership(source: str, expected: Any) -> None:
    """§7.2 Membership: `5 in (3..7)`, lists, `x in ("a","b")`, ranges `[a..b]` and `(a..b)`
    (round brackets exclude the bound), comparison tests; FEEL unary tests (language guide):
    "true when the input value is assigned to the special variable ?"."""
    assert feel(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x instance of number", True),
        ("name instance of string", True),
        ("true instance of boolean", True),
        ("xs instance of list", True),
        ("order instance of context", True),
        ('@"2020-01-01" instance of date', True),
        ('@"2020-01-01T10:00:00Z" instance of date and time', True),
        ('@"PT1H" instance of day-time-duration', True),
        ('@"P1Y" instance of years and months duration', True),
        ("x instance of string", False),
        ("x instance of Any", True),
        ("(function(a) a) instance of function", True),
    ],
)
def test_instance_of(source: str, expected: Any) -> None:
    """§7.2 `x instance of number|string|boolean|date|date time|...|Any`."""
    assert feel(source) is expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a.b > 10", None),
        ("[{a: 1}, {b: 2}].a", [1, None]),
        ("[{a: 1}, {b: 2}][a < 10]", [{"a": 1}]),
        ('get or else(a, "prio-99")', "prio-99"),
    ],
)
def test_error_handling_examples(source: str, expected: Any) -> None:
    """FEEL error handling (language guide): "if something goes wrong, return null", with the
    guide's own examples."""
    assert evaluate(source, {}) == expected
