"""The search request grammar of the REST API (spec 8.3) over in-memory rows.

`search(schema, rows, request)` filters (exact values or `$eq $neq $exists $in $notIn $like $gt
$gte $lt $lte`), sorts (`[{field, order}]`, the table key breaks ties) and pages (`{from, limit}`
or `{after | before, limit}` with opaque base64 cursors). Anything it cannot understand raises
`SearchError` naming the offending field, which the REST layer answers with a 400 problem.
The filter grammar itself (operators, `$or`, `Extras`) lives in `filters`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import total_ordering
from typing import Any

from zeebe.readmodel.filters import NO_EXTRAS, Extras, Row, SearchError, row_filter
from zeebe.readmodel.schema import TableSchema

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class Page:
    """One page of results with the page metadata of spec 8.3."""

    items: list[Row]
    total: int
    start_cursor: str | None
    end_cursor: str | None


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
