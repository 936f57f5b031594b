"""Pagination that stays cheap at a million rows: the count stops at a cap.

An exact COUNT over 400,000 matches costs more than the page itself and tells a reader no more than
"over 1,000". Below the cap (LIST_COUNT_CAP) the count and the page numbers are exact; above it the
list says "1000+" and every later page is still reachable with Next (and ?page=N): the page reads one row
more than it shows to know whether there is a next one.
"""

import threading

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.utils.functional import cached_property

from cadre_pool.prepared import Compiled, compile_queryset, run_compiled

# First pages compiled once per shape of their query (CappedPaginator._first_rows), for the process;
# the oldest goes when there are more (a shape is a filter combination, a scope kind and an order).
FIRST_PAGES_KEPT = 512
_first_pages: dict[tuple, Compiled] = {}
_first_pages_lock = threading.Lock()


class CappedPaginator(Paginator):
    """Pages of a queryset. `read`, when given, turns it into the page's rows (e.g. `values_list`): the
    count and the deep pages' key lookup use the queryset itself, with none of the rows' joins or columns."""

    def __init__(self, object_list, per_page, *args, read=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self._read = read
        self._keys_statement = None  # (alias, sql, params) of the count's key query

    @cached_property
    def cap(self) -> int:
        return settings.LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The number of rows, or cap + 1 when there are more (counting stops there)."""
        # Only the keys, in no order: an index-only scan of up to cap + 1 entries.
        keys = self.object_list.values("pk").order_by()[: self.cap + 1]
        try:
            sql, params = keys.query.get_compiler(using=keys.db).as_sql()
        except EmptyResultSet:  # .none(): a user who sees nothing
            return 0
        # Counted by hand: count() on a sliced queryset goes through Django's aggregation machinery
        # (a wrapping query, cloned and compiled), which cost more than PostgreSQL's reading the keys.
        self._keys_statement = (keys.db, sql, tuple(params))
        with connections[keys.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)  # noqa: S608 - compiled by the ORM, values as parameters
            return cursor.fetchone()[0]

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_label(self) -> str:
        return f"{self.cap}+" if self.capped else str(self.count)

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError) as exc:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from exc
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.capped:
            return Page(self._rows(bottom, min(bottom + self.per_page, self.count)), number, self)
        rows = self._rows(bottom, bottom + self.per_page + 1)
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_more=len(rows) > self.per_page)

    def _rows(self, bottom: int, top: int) -> list:
        queryset = self.object_list
        if bottom == 0:
            return self._first_rows(top)
        # Deep pages: the index alone finds the page's keys past the offset ("deferred join"), and
        # only those rows are read with their joins; a plain OFFSET would join every skipped row.
        return list(self._rows_of(queryset.filter(pk__in=queryset.values("pk")[bottom:top])))

    def _rows_of(self, queryset):
        return queryset if self._read is None else self._read(queryset)

    def _first_shape(self, limit: int) -> tuple | None:
        """What the first page's SQL depends on besides its parameters, or None when that is not known.

        The count's key query holds the whole WHERE clause (its joins, lookups and placeholders: a
        different filter, search kind or scope is different SQL); the page adds only its columns (the
        read function), its order (plain field names) and its size.
        """
        query = self.object_list.query
        if (
            self._read is None
            or self._keys_statement is None
            or query.annotations
            or query.extra
            or query.extra_order_by
            or query.combinator
            or not all(isinstance(field, str) for field in query.order_by)
        ):
            return None
        alias, sql, _params = self._keys_statement
        return (
            alias,
            sql,
            self._read,
            query.model,
            query.order_by,
            query.default_ordering,
            query.standard_ordering,
            limit,
        )

    def _first_rows(self, top: int) -> list:
        """Page 1, compiled once per shape (_first_shape) and run with the count's parameters.

        Building and compiling the page's query (columns with joins, order, filters) cost Django as
        much as the count and the page took PostgreSQL; the parameters are the same values in the
        same order as the count's, which the first compile of each shape checks before keeping it.
        """
        if top == 0:
            return []
        # A short list (fewer matches than a page) reads with the page's own limit: one shape, not one
        # per match count.
        limit = max(top, self.per_page)
        shape = self._first_shape(limit)
        compiled = _first_pages.get(shape) if shape is not None else None
        if compiled is None:
            queryset = self._rows_of(self.object_list)[:limit]
            compiled = self._keep_first(shape, queryset) if shape is not None else None
            if compiled is None:
                return list(queryset)[:top]
        alias, _sql, params = self._keys_statement
        return run_compiled(compiled, alias, params)[:top]

    def _keep_first(self, shape: tuple, queryset) -> Compiled | None:
        """The first page's queryset compiled and kept for its shape, or None when it cannot be kept."""
        if queryset._fields is None:  # model instances: their related objects are not in the shape
            return None
        alias, _sql, params = self._keys_statement
        # The kept queryset forgets the first request's user (a scoped queryset keeps it to audit a
        # refused get(), which this one never makes); only its SQL and plan are used again (the first
        # request's values stay in its query, never read).
        queryset = queryset._chain()
        queryset.__dict__.pop("_scoped_for", None)
        compiled = compile_queryset(queryset, alias)
        # The same WHERE tree compiled twice gives its values in the same order; this catches a page
        # whose columns or joins carry parameters of their own.
        if compiled.params != params:
            return None
        with _first_pages_lock:
            _first_pages[shape] = compiled
            if len(_first_pages) > FIRST_PAGES_KEPT:
                del _first_pages[next(iter(_first_pages))]
        return compiled


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self):
        return self.has_more

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
