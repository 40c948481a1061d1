"""Evaluation warnings (FEEL-Scala 1.17+ "suppressed failures", EvaluationFailureType): an
evaluation that goes on with null reports why. Expectations are FEEL-Scala 1.19's own
(SuppressedFailuresTest, InterpreterFunctionTest, InterpreterContextExpressionTest) and the
messages of its FeelInterpreter; Zeebe 8.3+ prints them in incident messages."""

from __future__ import annotations

import pytest

from zeebe.feel import (
    EvaluationWarning,
    FeelAssertionError,
    FeelEvaluationError,
    compile_expression,
    evaluate_with_warnings,
)

pytestmark = pytest.mark.unit


def warnings_of(source: str, variables: dict[str, object] | None = None) -> list[str]:
    """The warnings as Zeebe prints them: `[TYPE] message`."""
    return [str(w) for w in evaluate_with_warnings(source, variables or {}).warnings]


def test_successful_evaluation_reports_no_warnings() -> None:
    """A value computed without trouble comes with an empty warning tuple."""
    result = evaluate_with_warnings("x + 1", {"x": 1})
    assert result.value == 2
    assert result.warnings == ()


def test_warning_has_type_and_message() -> None:
    """Each warning is typed: EvaluationFailureType's name and the message."""
    (warning,) = evaluate_with_warnings("x", {}).warnings
    assert warning == EvaluationWarning("NO_VARIABLE_FOUND", "No variable found with name 'x'")


def test_variable_set_to_null_is_no_missing_variable() -> None:
    """A variable that exists with the value null is found (no warning)."""
    assert warnings_of("x", {"x": None}) == []


_ENTRY = "[NO_CONTEXT_ENTRY_FOUND] No context entry found with key 'y'."
_PROPERTY = "[NO_PROPERTY_FOUND] No property found with name 'days' of value 'P1Y'."


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{x: 1}.y", f"{_ENTRY} Available keys: 'x'"),
        ("{}.y", f"{_ENTRY} The context is empty"),
        ("n.y", f"{_ENTRY} The context is null"),
        ('@"P1Y".days', f"{_PROPERTY} Available properties: 'years', 'months'"),
    ],
)
def test_missing_context_entries_and_properties(source: str, expected: str) -> None:
    """SuppressedFailuresTest: a missing context entry names the available keys (or says the
    context is empty or null); a missing property names the value's properties."""
    assert warnings_of(source, {"n": None}) == [expected]


def test_path_on_a_missing_variable_reports_the_variable_only() -> None:
    """`a.b.c` is one reference (FEEL-Scala's Ref): a missing `a` ends it with one warning."""
    assert warnings_of("order.customer.tier") == [
        "[NO_VARIABLE_FOUND] No variable found with name 'order'"
    ]


def test_missing_variable_in_arithmetic_reports_both_failures_in_order() -> None:
    """SuppressedFailuresTest "report a suppressed failure only once": `1 + x` gives
    NO_VARIABLE_FOUND, then INVALID_TYPE "Can't add 'null' to '1'"."""
    assert warnings_of("1 + x") == [
        "[NO_VARIABLE_FOUND] No variable found with name 'x'",
        "[INVALID_TYPE] Can't add 'null' to '1'",
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2 + true", "[INVALID_TYPE] Can't add 'true' to '2'"),
        ('"a" - 1', "[INVALID_TYPE] Can't subtract '1' from '\"a\"'"),
        ('2 * "b"', "[INVALID_TYPE] Can't multiply '2' by '\"b\"'"),
        ("1 / 0", "[INVALID_TYPE] Can't divide '1' by '0'"),
        ('2 ** "x"', "[INVALID_TYPE] Expected number but found '\"x\"'"),
        ('-"a"', "[INVALID_TYPE] Expected number but found '\"a\"'"),
        ("if 5 then 1 else 2", "[INVALID_TYPE] Expected boolean but found '5'"),
        ("true and 2", "[INVALID_TYPE] Expected boolean but found '2'"),
        ("false or 3", "[INVALID_TYPE] Expected boolean but found '3'"),
        ("true < 2", "[NOT_COMPARABLE] Can't compare 'true' with '2'"),
        ('"99" >= 100', "[NOT_COMPARABLE] Can't compare '\"99\"' with '100'"),
        ('1 = "1"', "[NOT_COMPARABLE] Can't compare '1' with '\"1\"'"),
    ],
)
def test_ill_typed_operands(source: str, expected: str) -> None:
    """SuppressedFailuresTest and FeelInterpreter: operands that do not combine are
    INVALID_TYPE ("Can't add 'y' to 'x'", "Expected boolean but found 'v'"), operands that
    do not compare are NOT_COMPARABLE; values are written as FEEL-Scala writes them
    (strings quoted). The Camunda docs' incident example is `'"99"' with '100'`."""
    assert warnings_of(source) == [expected]


def test_null_equality_is_no_failure() -> None:
    """FEEL-Scala's ValComparator: null = x is a boolean, not a failure."""
    assert warnings_of("null = 1") == []


def test_not_equal_of_incomparable_values_also_negates_null() -> None:
    """`a != b` is not(a = b): incomparable values, then `not` sees null."""
    assert warnings_of('1 != "a"') == [
        "[NOT_COMPARABLE] Can't compare '1' with '\"a\"'",
        "[INVALID_TYPE] Expected boolean but found 'null'",
    ]


def test_between_reads_the_value_once_per_comparison() -> None:
    """FEEL-Scala parses `x between a and b` as `x >= a and x <= b`."""
    assert warnings_of("x between 1 and 5") == [
        "[NO_VARIABLE_FOUND] No variable found with name 'x'",
        "[NOT_COMPARABLE] Can't compare 'null' with '1'",
        "[INVALID_TYPE] Expected boolean but found 'null'",
        "[NO_VARIABLE_FOUND] No variable found with name 'x'",
        "[NOT_COMPARABLE] Can't compare 'null' with '5'",
    ]


def test_value_outside_a_comparable_range() -> None:
    """An interval test on an incomparable value names both bounds."""
    assert warnings_of('"a" in [1..5]') == [
        "[NOT_COMPARABLE] Can't compare '\"a\"' with '1' and '5'"
    ]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("f()", "No function found with name 'f' and 0 parameters"),
        ("f(x: 1, y: 2, z: 3)", "No function found with name 'f' and parameters: x,y,z"),
        ('substring("a")', "No function found with name 'substring' and 1 parameters"),
        ("g(1)", "No function found with name 'g' and 1 parameters"),
    ],
)
def test_unknown_function(source: str, expected: str) -> None:
    """InterpreterFunctionTest: no function with the name (or none with that many
    parameters, or a variable that is no function) is NO_FUNCTION_FOUND."""
    variables = {"f": "a variable", "g": compile_expression("function(a, b) a").evaluate({})}
    result = evaluate_with_warnings(source, variables)
    assert result.value is None
    assert [str(w) for w in result.warnings] == [f"[NO_FUNCTION_FOUND] {expected}"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("number(null)", "Failed to invoke function 'number': Illegal arguments: 'null'"),
        ('number("x")', "Failed to invoke function 'number': Can't parse 'x' as a number"),
        ("string length(1)", "Failed to invoke function 'string length': Illegal arguments: '1'"),
        (
            'cycle("PT1H")',
            "Failed to invoke function 'cycle': cycle function expected an interval (duration) "
            "parameter, but found '\"PT1H\"'",
        ),
    ],
)
def test_failed_function_invocation(source: str, expected: str) -> None:
    """InterpreterFunctionTest: a built-in whose cases do not match its arguments fails with
    "Illegal arguments: ..."; BuiltinConversionFunctionsTest: `number("x")` with its own
    reason (and Zeebe's cycle with its own); the result is null."""
    result = evaluate_with_warnings(source, {})
    assert result.value is None
    assert [str(w) for w in result.warnings] == [f"[FUNCTION_INVOCATION_FAILURE] {expected}"]


def test_failed_assertion_carries_the_warnings_and_ends_with_assert_failure() -> None:
    """Zeebe's AssertionTest text: `{meow:assert(foo, foo != null)}` reads foo twice, then
    the assertion fails; the error's message is the reason."""
    with pytest.raises(FeelAssertionError) as raised:
        evaluate_with_warnings("{meow:assert(foo, foo != null)}", {})
    assert str(raised.value) == "The condition is not fulfilled"
    assert [str(w) for w in raised.value.warnings] == [
        "[NO_VARIABLE_FOUND] No variable found with name 'foo'",
        "[NO_VARIABLE_FOUND] No variable found with name 'foo'",
        "[ASSERT_FAILURE] The condition is not fulfilled",
    ]


def test_other_evaluation_errors_carry_the_warnings_too() -> None:
    """An exhausted budget is a failure too; what was reported before comes with it."""
    with pytest.raises(FeelEvaluationError) as raised:
        evaluate_with_warnings("[missing, for i in 1..2000000 return i]", {})
    assert [str(w) for w in raised.value.warnings] == [
        "[NO_VARIABLE_FOUND] No variable found with name 'missing'"
    ]


def test_filter_comparisons_do_not_report_the_index_probe() -> None:
    """FEEL-Scala evaluates comparison and call filters per item only: `item` is always
    bound, so a filter over numbers reports nothing."""
    assert warnings_of("[1, 2, 3][item > 1]") == []
    assert warnings_of("[1, 2, 3][odd(item)]") == []


def test_plain_evaluate_still_returns_the_value_only() -> None:
    """`evaluate` keeps its contract (null, no warnings) for the engine's hot path."""
    assert compile_expression("x + 1").evaluate({}) is None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("some item in x satisfies x > 10", "[INVALID_TYPE] Expected list but found 'null'"),
        ("for i in x return i", "[INVALID_TYPE] Expected list but found 'null'"),
        ("for i in 1..x return i", "[INVALID_TYPE] Expected number but found 'null'"),
        ("x[item > 1]", "[INVALID_TYPE] Expected list but found 'null'"),
    ],
)
def test_iterating_something_that_is_no_list(source: str, expected: str) -> None:
    """InterpreterListExpressionTest "return null if the value is not a list": null and
    INVALID_TYPE "Expected list but found 'null'" (after the missing variable itself)."""
    result = evaluate_with_warnings(source, {})
    assert result.value is None
    assert [str(w) for w in result.warnings] == [
        "[NO_VARIABLE_FOUND] No variable found with name 'x'",
        expected,
    ]


@pytest.mark.parametrize(
    ("source", "expected", "warning"),
    [
        ("some x in [false, 2] satisfies x", None, "Expected boolean but found '2'"),
        ("every x in [true, 3] satisfies x", None, "Expected boolean but found '3'"),
        ("some x in [null, true] satisfies x", True, "Expected boolean but found 'null'"),
        ("every x in [null, false] satisfies x", False, "Expected boolean but found 'null'"),
    ],
)
def test_quantifier_over_non_boolean_conditions(
    source: str, expected: bool | None, warning: str
) -> None:
    """SuppressedFailuresTest: a non-boolean condition is INVALID_TYPE and makes the result
    null, unless a later item decides it (FEEL-Scala folds `some` as `or`, `every` as `and`)."""
    result = evaluate_with_warnings(source, {})
    assert result.value is expected
    assert [str(w) for w in result.warnings] == [f"[INVALID_TYPE] {warning}"]
