"""String built-ins; regular expressions follow Java/XPath syntax closely enough via `re`."""

from __future__ import annotations

import base64
import re
import uuid
from typing import Any

from zeebe.feel.errors import FeelEvaluationError
from zeebe.feel.runtime import MAX_STRING_LENGTH, Builtin, expect, register
from zeebe.feel.values import number

STRING_BUILTINS: dict[str, Builtin] = {}
_FLAGS = {"i": re.IGNORECASE, "s": re.DOTALL, "m": re.MULTILINE, "x": re.VERBOSE}
_MAX_PATTERN = 1000


def _regex(pattern: Any, flags: Any = None) -> re.Pattern[str]:
    """Compile a FEEL pattern with XPath flags (`i`, `s`, `m`, `x`, `q` = literal)."""
    expect(pattern, str)
    if len(pattern) > _MAX_PATTERN:
        raise ValueError("pattern too long")
    options = 0
    for flag in expect(flags, str) if flags is not None else "":
        if flag == "q":
            pattern = re.escape(pattern)
        else:
            options |= _FLAGS[flag]
    return re.compile(pattern, options)


def _str(value: Any) -> str:
    return expect(value, str)  # type: ignore[no-any-return]


def _truncated(value: Any) -> int:
    """java.math.BigDecimal.intValue: the integer part of a number argument."""
    n = number(value)
    if n is None:
        raise TypeError("expected a number")
    return int(n)


@register(STRING_BUILTINS, "substring", params=("string", "start position", "length"))
def _substring(string: Any, start: Any, length: Any = None) -> str | None:
    # FEEL-Scala: java String.substring at intValue positions; out of range -> null
    text, index = _str(string), _truncated(start)
    begin = index - 1 if index > 0 else len(text) + index
    end = len(text) if length is None else min(begin + _truncated(length), len(text))
    return text[begin:end] if 0 <= begin <= end else None


register(STRING_BUILTINS, "string length", params=("string",))(lambda s: len(_str(s)))
register(STRING_BUILTINS, "upper case", params=("string",))(lambda s: _str(s).upper())
register(STRING_BUILTINS, "lower case", params=("string",))(lambda s: _str(s).lower())
register(STRING_BUILTINS, "contains", params=("string", "match"))(lambda s, m: _str(m) in _str(s))
register(STRING_BUILTINS, "starts with", params=("string", "match"))(
    lambda s, m: _str(s).startswith(_str(m))
)
register(STRING_BUILTINS, "ends with", params=("string", "match"))(
    lambda s, m: _str(s).endswith(_str(m))
)
register(STRING_BUILTINS, "trim", params=("string",))(lambda s: _str(s).strip())
register(STRING_BUILTINS, "is blank", params=("string",))(lambda s: not _str(s).strip())
register(STRING_BUILTINS, "uuid")(lambda: str(uuid.uuid4()))
register(STRING_BUILTINS, "to base64", params=("value",))(
    lambda s: base64.b64encode(_str(s).encode()).decode("ascii")
)


@register(STRING_BUILTINS, "substring before", params=("string", "match"))
def _substring_before(string: Any, match: Any) -> str:
    text, needle = _str(string), _str(match)
    index = text.find(needle)
    return "" if index < 0 else text[:index]


@register(STRING_BUILTINS, "substring after", params=("string", "match"))
def _substring_after(string: Any, match: Any) -> str:
    text, needle = _str(string), _str(match)
    index = text.find(needle)
    return "" if index < 0 else text[index + len(needle) :]


@register(STRING_BUILTINS, "matches", params=("input", "pattern", "flags"))
def _matches(string: Any, pattern: Any, flags: Any = None) -> bool:
    return _regex(pattern, flags).search(_str(string)) is not None


_REFERENCE = re.compile(r"\\(.)|\$(\d+)")


def _expand(template: str, match: re.Match[str]) -> str:
    """Java-style replacement: `$1` inserts group 1, `\\x` is a literal x."""

    def part(ref: re.Match[str]) -> str:
        if ref.group(1) is not None:
            return ref.group(1)
        group = int(ref.group(2))
        return (match.group(group) or "") if group <= (match.re.groups or 0) else ""

    return _REFERENCE.sub(part, template)


@register(STRING_BUILTINS, "replace", params=("input", "pattern", "replacement", "flags"))
def _replace(string: Any, pattern: Any, replacement: Any, flags: Any = None) -> str:
    template = _str(replacement)
    if (len(_str(string)) + 1) * (len(template) + 1) > MAX_STRING_LENGTH:
        # An empty match at every position could multiply the text by the template.
        raise FeelEvaluationError("replace() result too large")
    return _regex(pattern, flags).sub(lambda m: _expand(template, m), _str(string))


@register(STRING_BUILTINS, "split", params=("string", "delimiter"))
def _split(string: Any, delimiter: Any) -> list[str]:
    return _regex(delimiter).split(_str(string))


@register(
    STRING_BUILTINS, "extract", params=("string", "pattern"), alternatives=(("input", "pattern"),)
)
def _extract(string: Any, pattern: Any) -> list[str]:
    return [m.group(0) for m in _regex(pattern).finditer(_str(string))]


# the docs list `string join` among the list functions; it builds a string, so it lives here
@register(STRING_BUILTINS, "string join", params=("list", "delimiter", "prefix", "suffix"))
def _string_join(items: Any, delimiter: Any = "", prefix: Any = "", suffix: Any = "") -> str:
    strings = [_str(item) for item in expect(items, list) if item is not None]
    delimiter = "" if delimiter is None else _str(delimiter)
    return f"{_str(prefix)}{delimiter.join(strings)}{_str(suffix)}"
