"""The progress change list at province scale: counts and filters that stay cheap.

Measured need (bench/staff.py, PostgreSQL, 4M progress rows): Django's change list
counts the filtered rows and the whole table (``SELECT count(*)`` over 4M rows,
0.3–0.5 s) and lists each filter's choices with ``SELECT DISTINCT`` over the table,
so the list took 1.5–2 s. Django documents the two knobs used here,
``ModelAdmin.show_full_result_count`` and ``ModelAdmin.paginator``; the filters'
choices come from the programme's quarters and the table's first and last year
(two index probes) instead of the distinct values of every row.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .models import Progress

# Rows a filtered list counts exactly; past it the list says "more than".
COUNT_CAP = 10_000


class BoundedCountPaginator(Paginator):
    """Counts at most ``COUNT_CAP + 1`` rows (``LIMIT`` inside the count).

    Pages up to the cap are exact; ``capped`` says the real count is larger, so
    that the list can say so instead of showing a wrong total.
    """

    @cached_property
    def counted(self):
        return self.object_list[: COUNT_CAP + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, COUNT_CAP)

    @property
    def capped(self):
        return self.counted > COUNT_CAP


class YearFilter(admin.SimpleListFilter):
    """Years from the table's first to its last (no DISTINCT over every row)."""

    title = _("năm")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = Progress.objects.aggregate(first=Min("year"), last=Max("year"))
        if span["first"] is None:
            return []
        return [(str(y), str(y)) for y in range(span["last"], span["first"] - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isascii() and value.isdigit() and len(value) <= 4:
            return queryset.filter(year=int(value))
        return queryset


class QuarterFilter(admin.SimpleListFilter):
    title = _("quý")
    parameter_name = "quarter"

    def lookups(self, request, model_admin):
        return [(str(q), str(q)) for q in range(1, 5)]

    def queryset(self, request, queryset):
        if self.value() in {"1", "2", "3", "4"}:
            return queryset.filter(quarter=int(self.value()))
        return queryset
