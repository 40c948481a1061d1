"""The filter grammar of REST searches (spec 8.3): exact values, operators and `$or`.

A filter entry is an exact value or an operator object (`$eq $neq $exists $in $notIn $like $gt
$gte $lt $lte`); tables with fields the schema cannot answer (variables of an instance,
`$or`) pass `Extras`. Anything malformed raises `SearchError` naming the offending field,
which the REST layer answers with a 400 problem.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from zeebe.readmodel.schema import Kind, TableSchema, parse_date

Predicate = Callable[[Any], bool]
Row = dict[str, Any]
RowCheck = Callable[[Row], bool]
ExtraFactory = Callable[[Any, str], RowCheck]
GroupFactory = Callable[[dict[str, Any], str], RowCheck]
OR = "$or"


class SearchError(ValueError):
    """A malformed search request; `field` names the offending part (e.g. 'filter.state')."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _coerce(kind: Kind, value: Any, where: str) -> Any:
    """A filter operand as the row stores it (keys as ints, dates as epoch ms)."""
    converter = _COERCE.get(kind)
    if converter is None:
        raise SearchError(where, "this field cannot be filtered")
    try:
        return converter(value)
    except (TypeError, ValueError) as error:
        raise SearchError(where, f"invalid {kind.value} value {value!r}") from error


def _to_key(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError("keys are strings or integers")
    return int(value)


def _to_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("expected an integer")
    return value


def _to_str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _to_enum(value: Any) -> str:
    return _to_str(value).upper()  # request enums accept any casing (spec 8.1)


def _to_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("expected a boolean")
    return value


def _to_date(value: Any) -> int:
    return parse_date(_to_str(value))


_COERCE: dict[Kind, Callable[[Any], Any]] = {
    Kind.KEY: _to_key,
    Kind.STRING: _to_str,
    Kind.ENUM: _to_enum,
    Kind.INT: _to_int,
    Kind.BOOL: _to_bool,
    Kind.DATE: _to_date,
}


def like_pattern(pattern: str) -> re.Pattern[str]:
    """`$like`: `*` any run, `?` one character, backslash escapes the next character."""
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            parts.append({"*": ".*", "?": "."}.get(char, re.escape(char)))
    return re.compile("".join(parts), re.DOTALL)


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any], Callable[[Any], bool]]:
    return lambda operand: lambda value: value is not None and compare(value, operand)


_OPERATORS: dict[str, Callable[[Any], Predicate]] = {
    "$eq": lambda operand: lambda value: value == operand,
    "$neq": lambda operand: lambda value: value != operand,
    "$gt": _ordered(lambda value, operand: value > operand),
    "$gte": _ordered(lambda value, operand: value >= operand),
    "$lt": _ordered(lambda value, operand: value < operand),
    "$lte": _ordered(lambda value, operand: value <= operand),
}
_RANGE = frozenset({"$gt", "$gte", "$lt", "$lte"})
_RANGE_KINDS = frozenset({Kind.INT, Kind.DATE, Kind.KEY})


def _operator(kind: Kind, name: str, operand: Any, where: str) -> Predicate:
    """One operator of a filter object as a predicate over the stored value."""
    if name == "$exists":
        wanted = _coerce(Kind.BOOL, operand, where)
        return lambda value: (value is not None) is wanted
    if name in ("$in", "$notIn"):
        if not isinstance(operand, list):
            raise SearchError(where, f"{name} expects a list")
        members = {_coerce(kind, item, where) for item in operand}
        inside = name == "$in"
        return lambda value: (value in members) is inside
    if name == "$like":
        if kind not in (Kind.STRING, Kind.ENUM):
            raise SearchError(where, "$like applies to string fields only")
        regex = like_pattern(_coerce(Kind.STRING, operand, where))
        return lambda value: isinstance(value, str) and regex.fullmatch(value) is not None
    factory = _OPERATORS.get(name)
    if factory is None:
        raise SearchError(where, f"unknown operator {name!r}")
    if name in _RANGE and kind not in _RANGE_KINDS:
        raise SearchError(where, f"{name} applies to numbers and dates only")
    return factory(_coerce(kind, operand, where))


def value_predicate(kind: Kind, condition: Any, where: str) -> Predicate:
    """The predicate of one filter condition on a value of `kind`: exact value or operators."""
    if not isinstance(condition, dict):
        expected = _coerce(kind, condition, where)
        return lambda value: value == expected
    if not condition:
        raise SearchError(where, "an operator object needs at least one operator")
    checks = [_operator(kind, name, operand, where) for name, operand in condition.items()]
    return lambda value: all(check(value) for check in checks)


def field_predicate(
    schema: TableSchema, field: str, condition: Any, path: str = "filter"
) -> Predicate:
    """The predicate of one `filter` entry: an exact value or an operator object."""
    where = f"{path}.{field}"
    if not schema.searchable(field):
        raise SearchError(where, f"unknown filter field '{field}'")
    return value_predicate(schema.fields[field], condition, where)


@dataclass(frozen=True, slots=True)
class Extras:
    """Table-specific filter fields the plain schema cannot answer.

    `fields`: one factory per field, `(condition, where) -> row check`. `groups`: fields
    answered together by one check (e.g. the element instance fields of a process instance,
    which must all hold for the same element instance): `({field: condition}, path) -> check`.
    `allow_or`: whether the filter accepts `$or` (spec 8.3, process instances in 8.8).
    """

    fields: Mapping[str, ExtraFactory] = dataclasses.field(default_factory=dict)
    groups: Mapping[frozenset[str], GroupFactory] = dataclasses.field(default_factory=dict)
    allow_or: bool = False


NO_EXTRAS = Extras()


def row_filter(schema: TableSchema, filter_: Any, extra: Extras = NO_EXTRAS) -> RowCheck:
    """All `filter` entries combined (AND), and any `$or` branch when the table allows it.

    Spec 8.3 / ProcessInstanceFilter: "Top-level fields and the $or clause are combined using
    AND logic": (top-level filters) AND (any of the $or filters).
    """
    if filter_ is None:
        return lambda row: True
    if not isinstance(filter_, dict):
        raise SearchError("filter", "expected an object")
    fields = {name: value for name, value in filter_.items() if name != OR}
    checks = _field_checks(schema, fields, extra, "filter")
    if OR in filter_:
        if not extra.allow_or:
            raise SearchError(f"filter.{OR}", f"unknown filter field '{OR}'")
        checks.append(_or_check(schema, filter_[OR], extra))
    return lambda row: all(check(row) for check in checks)


def _field_checks(
    schema: TableSchema, filter_: dict[str, Any], extra: Extras, path: str
) -> list[RowCheck]:
    """One check per entry (or per group of entries) of one filter object."""
    checks: list[RowCheck] = []
    grouped: set[str] = set()
    for names, factory in extra.groups.items():
        present = {name: filter_[name] for name in names if name in filter_}
        if present:
            checks.append(factory(present, path))
            grouped.update(present)
    for name, condition in filter_.items():
        if name in grouped:
            continue
        special = extra.fields.get(name)
        if special is not None:
            checks.append(special(condition, f"{path}.{name}"))
            continue
        predicate = field_predicate(schema, name, condition, path)
        checks.append(lambda row, f=name, p=predicate: p(row.get(f)))  # type: ignore[misc]
    return checks


def _or_check(schema: TableSchema, branches: Any, extra: Extras) -> RowCheck:
    """`$or`: a non-empty list of filter objects (no nested `$or`); any branch may match."""
    where = f"filter.{OR}"
    if not isinstance(branches, list) or not branches:
        raise SearchError(where, "expected a non-empty list of filter objects")
    alternatives: list[list[RowCheck]] = []
    for index, branch in enumerate(branches):
        path = f"{where}[{index}]"
        if not isinstance(branch, dict):
            raise SearchError(path, "expected a filter object")
        if OR in branch:
            raise SearchError(f"{path}.{OR}", "a $or branch cannot contain $or")
        alternatives.append(_field_checks(schema, branch, extra, path))
    return lambda row: any(all(check(row) for check in checks) for checks in alternatives)


def pinned_key(schema: TableSchema, filter_: Any, field: str) -> int | None:
    """The key a filter pins a KEY `field` to with a plain value, else None.

    Only a plain value (int or numeric string) pins: an operator object, an absent field or
    a non-key field gives None. Coerced exactly as `field_predicate` does, so an index lookup
    by the result finds the rows that filter entry accepts.
    """
    if not isinstance(filter_, dict) or schema.fields.get(field) is not Kind.KEY:
        return None
    condition = filter_.get(field)
    if condition is None or isinstance(condition, dict) or not schema.searchable(field):
        return None
    return int(_coerce(Kind.KEY, condition, f"filter.{field}"))
