"""Lists and filters, done one way everywhere (ADR 0007).

Pagination: every list operation answers ``{"items": [...], "count": <total>}`` and takes
``limit`` (1-200, default 50) and ``offset`` (0 or more) query parameters::

    @router.get("/units", response=list[UnitOut])
    @paginated
    @requires("homes", "view")
    def list_units(request, filters: Query[UnitFilters]):
        return filters.filter(Unit.objects.all())

Filters: a ``Filters`` schema taken with ``Query[...]``; query parameters are named after the
fields they filter (``status=in_residence``), ``q`` is the free-text search, and date or
time ranges are ``<field>_from`` / ``<field>_to`` (both inclusive). Build them with::

    class UnitFilters(Filters):
        q: Annotated[str | None, text_search("name", "description")] = None
        name: Annotated[str | None, exact("name")] = None
        admitted_from: Annotated[date | None, date_from("admitted_on")] = None
        admitted_to: Annotated[date | None, date_to("admitted_on")] = None

An empty or absent parameter does not filter. Ordering is fixed per list (stable paging).
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from ninja.filter_schema import FilterLookup, FilterSchema
from ninja.pagination import LimitOffsetPagination, paginate

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


class Pagination(LimitOffsetPagination):
    """``limit``/``offset`` in, ``{items, count}`` out; ``limit`` above 200 is refused with a 422."""

    class Input(Schema):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many items (1-200).")
        offset: int = Field(0, ge=0, description="How many items to skip.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)


class Mapped:
    """A queryset (or list) seen through ``fn``, for ``@paginated`` lists whose items are built by a
    function: the pagination slices the queryset in SQL and counts it there, so only the page's rows
    are loaded and turned into items, and every row can be reached::

        return Mapped(qs.order_by("-occurred_at", "-pk"), entry_out)
    """

    def __init__(self, rows, fn):
        self.rows, self.fn = rows, fn

    def all(self) -> Mapped:
        return self

    def count(self) -> int:
        return len(self.rows) if isinstance(self.rows, list | tuple) else self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key):
        if isinstance(key, slice):
            return [self.fn(row) for row in self.rows[key]]
        return self.fn(self.rows[key])

    def __iter__(self):
        return (self.fn(row) for row in self.rows)


def paginated(view):
    """Put under ``@router.get(..., response=list[ItemOut])``: the list becomes ``{items, count}``."""
    return paginate(Pagination)(view)


class Filters(FilterSchema):
    """Base of every list's filters; see the module documentation for the naming rules."""


def text_search(*fields: str) -> FilterLookup:
    """``q``: case-insensitive substring in any of ``fields``."""
    return FilterLookup([f"{f}__icontains" for f in fields])


def exact(field: str) -> FilterLookup:
    return FilterLookup(field)


def date_from(field: str) -> FilterLookup:
    """``<name>_from``: on or after (a date compares with a datetime field's local date)."""
    return FilterLookup(f"{field}__gte")


def date_to(field: str) -> FilterLookup:
    """``<name>_to``: on or before."""
    return FilterLookup(f"{field}__lte")
