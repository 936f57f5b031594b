"""Pagination that stays cheap at a million rows: the count stops at a cap.

An exact COUNT over 400,000 matches costs more than the page itself and tells a reader no more than
"over 1,000". Below the cap (LIST_COUNT_CAP) the count and the page numbers are exact; above it the
list says "1000+" and every later page is still reachable with Next (and ?page=N): the page reads one row
more than it shows to know whether there is a next one.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Pages of a queryset, counted up to a cap; deep pages find their keys through the index first."""

    @cached_property
    def cap(self) -> int:
        return settings.LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The number of rows, or cap + 1 when there are more (counting stops there)."""
        # Only the keys, in no order: an index-only scan of up to cap + 1 entries.
        return self.object_list.values("pk").order_by()[: self.cap + 1].count()

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
            return list(queryset[:top]) if top else []
        # Deep pages: the index alone finds the page's keys past the offset ("deferred join"), and
        # only those rows are read with their joins; a plain OFFSET would join every skipped row.
        return list(queryset.filter(pk__in=queryset.values("pk")[bottom:top]))


class CappedPage(Page):
    def __init__(self, object_list, number, paginator, *, has_more: bool):
        super().__init__(object_list, number, paginator)
        self.has_more = has_more

    def has_next(self):
        return self.has_more

    def end_index(self):
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)
