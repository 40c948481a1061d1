"""Documented examples of Camunda's FEEL "String functions" page
(docs.camunda.io, components/modeler/feel/builtin-functions/feel-built-in-functions-string,
Camunda 8.8 = FEEL-Scala 1.19): every `expression // result` pair, result as JSON."""

from __future__ import annotations

import re

import pytest
from feel_docs_support import expected_json, result_json

from zeebe.feel import evaluate

pytestmark = pytest.mark.unit

EXAMPLES = [
    ('substring("foobar", 3)', '"obar"'),
    ('substring("foobar", -2)', '"ar"'),
    ('substring("foobar", 3, 3)', '"oba"'),
    ('substring("foobar", -3, 2)', '"ba"'),
    ('substring("foobar", 3, 10)', '"obar"'),
    ('string length("foo")', "3"),
    ('upper case("aBc4")', '"ABC4"'),
    ('lower case("aBc4")', '"abc4"'),
    ('substring before("foobar", "bar")', '"foo"'),
    ('substring after("foobar", "ob")', '"ar"'),
    ('contains("foobar", "of")', "false"),
    ('starts with("foobar", "fo")', "true"),
    ('ends with("foobar", "r")', "true"),
    ('matches("foobar", "^fo*bar")', "true"),
    ('matches("FooBar", "foo", "i")', "true"),
    ('replace("abcd", "(ab)|(a)", "[1=$1][2=$2]")', '"[1=ab][2=]cd"'),
    ('replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")', '"(012) 345-6789"'),
    ('replace("How do you feel?", "Feel", "FEEL", "i")', '"How do you FEEL?"'),
    ('split("John Doe", "\\s" )', '["John", "Doe"]'),
    ('split("a;b;c;;", ";")', '["a", "b", "c", "", ""]'),
    ('extract("references are 1234, 1256, 1378", "12[0-9]*")', '["1234", "1256"]'),
    ('trim("  hello world  ")', '"hello world"'),
    ('trim("hello   world ")', '"hello   world"'),
    ('to base64("FEEL")', '"RkVFTA=="'),
    ('is blank("")', "true"),
    ('is blank(" ")', "true"),
    ('is blank("hello world")', "false"),
]


@pytest.mark.parametrize(("expression", "result"), EXAMPLES)
def test_string_function_example(expression: str, result: str) -> None:
    """Each documented string-function example evaluates to its documented result."""
    assert result_json(expression) == expected_json(result)


def test_uuid_has_36_characters() -> None:
    """`uuid()` "Returns a UUID (Universally Unique Identifier) with 36 characters"."""
    value = evaluate("uuid()", {})
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", value
    )
    assert value != evaluate("uuid()", {})
