"""The search request grammar of the REST API (spec 8.3) over in-memory rows.

`search(schema, rows, request)` filters (exact values or `$eq $neq $exists $in $notIn $like $gt
$gte $lt $lte`), sorts (`[{field, order}]`, the table key breaks ties) and pages (`{from, limit}`
or `{after | before, limit}` with opaque base64 cursors). Anything it cannot understand raises
`SearchError` naming the offending field, which the REST layer answers with a 400 problem.
Tables with fields the schema cannot answer (variables of an instance, `$or`) pass `Extras`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import dataclasses
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import total_ordering
from typing import Any

from zeebe.readmodel.schema import Kind, TableSchema, parse_date

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000

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


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results with the page metadata of spec 8.3."""

    items: list[Row]
    total: int
    start_cursor: str | None
    end_cursor: str | None


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


@total_ordering
class _Sortable:
    """One sort column value: None last in both orders (as Elasticsearch), DESC inverted."""

    __slots__ = ("descending", "value")

    def __init__(self, value: Any, descending: bool) -> None:
        self.value = value
        self.descending = descending

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Sortable) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: _Sortable) -> bool:
        if self.value is None or other.value is None:
            return self.value is not None and other.value is None
        if self.descending:
            return bool(other.value < self.value)
        return bool(self.value < other.value)


def _column_key(field: str, *, nulls_high: bool) -> Callable[[Row], tuple[bool, Any]]:
    """A native sort key for one column; nulls compare above (ASC) or below (DESC) values."""
    if nulls_high:
        return lambda row: (row.get(field) is None, row.get(field))
    return lambda row: (row.get(field) is not None, row.get(field))


@dataclass(frozen=True, slots=True)
class Sort:
    """The sort columns (field, descending); the table key is always the last tiebreaker."""

    columns: tuple[tuple[str, bool], ...]

    def values(self, row: Row) -> list[Any]:
        """The raw values a cursor stores for `row`."""
        return [row.get(field) for field, _ in self.columns]

    def sort(self, rows: list[Row]) -> None:
        """Sort in place: one stable pass per column, last column first (fast native keys)."""
        for field, descending in reversed(self.columns):
            # reverse=True keeps ties stable; (False, None) puts nulls last in DESC as well
            rows.sort(key=_column_key(field, nulls_high=not descending), reverse=descending)

    def key_of(self, values: list[Any]) -> tuple[_Sortable, ...]:
        """The comparable tuple of raw column values."""
        return tuple(
            _Sortable(value, desc) for value, (_, desc) in zip(values, self.columns, strict=True)
        )


def parse_sort(schema: TableSchema, sort: Any) -> Sort:
    """`[{field, order: ASC|DESC}]` (order default ASC), then the key ascending."""
    if sort is None:
        sort = []
    if not isinstance(sort, list):
        raise SearchError("sort", "expected a list of {field, order}")
    columns: list[tuple[str, bool]] = []
    for index, entry in enumerate(sort):
        where = f"sort[{index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("field"), str):
            raise SearchError(f"{where}.field", "expected {field, order}")
        field = entry["field"]
        if not schema.searchable(field):
            raise SearchError(f"{where}.field", f"unknown sort field '{field}'")
        order = entry.get("order", "ASC")
        if not isinstance(order, str) or order.upper() not in ("ASC", "DESC"):
            raise SearchError(f"{where}.order", f"expected ASC or DESC, got {order!r}")
        columns.append((field, order.upper() == "DESC"))
    if schema.key not in {field for field, _ in columns}:
        columns.append((schema.key, False))
    return Sort(tuple(columns))


def encode_cursor(values: list[Any]) -> str:
    """An opaque cursor: base64 of the row's sort values."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def decode_cursor(cursor: Any, sort: Sort, where: str) -> tuple[_Sortable, ...]:
    """The comparable position a cursor points at; malformed cursors are a SearchError."""
    try:
        values = json.loads(base64.urlsafe_b64decode(str(cursor).encode()))
        if not isinstance(values, list) or len(values) != len(sort.columns):
            raise ValueError("cursor does not match the sort")
        return sort.key_of(values)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise SearchError(where, "invalid cursor (use startCursor/endCursor of a page)") from error


def _limit(page: dict[str, Any]) -> int:
    limit = page.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise SearchError("page.limit", f"expected an integer between 1 and {MAX_LIMIT}")
    return limit


def paginate(rows: list[Row], sort: Sort, page: Any) -> Page:
    """Cut one page out of sorted `rows` (offset or cursor based, not both; spec 8.3)."""
    if page is None:
        page = {}
    if not isinstance(page, dict):
        raise SearchError("page", "expected an object")
    limit = _limit(page)
    modes = [name for name in ("from", "after", "before") if page.get(name) is not None]
    if len(modes) > 1:
        raise SearchError("page", f"use one of from, after, before; got {', '.join(modes)}")
    window = _window(rows, sort, page, modes[0] if modes else "from", limit)
    start = encode_cursor(sort.values(window[0])) if window else None
    end = encode_cursor(sort.values(window[-1])) if window else None
    return Page(items=window, total=len(rows), start_cursor=start, end_cursor=end)


def _window(rows: list[Row], sort: Sort, page: dict[str, Any], mode: str, limit: int) -> list[Row]:
    if mode == "from":
        offset = page.get("from", 0)
        if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
            raise SearchError("page.from", "expected a non-negative integer")
        return rows[offset : offset + limit]
    position = decode_cursor(page[mode], sort, f"page.{mode}")

    def key(row: Row) -> tuple[_Sortable, ...]:
        return sort.key_of(sort.values(row))

    if mode == "after":
        start = bisect.bisect_right(rows, position, key=key)
        return rows[start : start + limit]
    end = bisect.bisect_left(rows, position, key=key)
    return rows[max(end - limit, 0) : end]


def search(
    schema: TableSchema,
    rows: Iterable[Row],
    request: Any,
    extra: Extras = NO_EXTRAS,
) -> Page:
    """Filter, sort and page `rows` by a search request body `{filter, sort, page}`."""
    if request is None:
        request = {}
    if not isinstance(request, dict):
        raise SearchError("body", "expected a JSON object")
    keep = row_filter(schema, request.get("filter"), extra)
    sort = parse_sort(schema, request.get("sort"))
    matched = [row for row in rows if keep(row)]
    sort.sort(matched)
    return paginate(matched, sort, request.get("page"))
