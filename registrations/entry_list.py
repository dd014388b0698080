"""The quarter overview's rows: every active registration, how many of its
indicators are entered and met in the quarter (counted in the database), narrowed
by the list's filters, and the unit that comes next in that order (the entry
screen's "Lưu và sang đơn vị tiếp").
"""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import QueryDict

from units.models import Unit

from .forms import QuarterListFilterForm
from .models import Comparison, Indicator, IndicatorKind, Progress, Registration


def _met_condition(prefix=""):
    """Q: the progress row's value meets its indicator (CONTRACT §2), in SQL."""
    kind = f"{prefix}indicator__kind"
    comparison = f"{prefix}indicator__comparison"
    target = F(f"{prefix}indicator__target")
    value = f"{prefix}value"
    return Q(**{kind: IndicatorKind.CO_KHONG, value: 1}) | (
        ~Q(**{kind: IndicatorKind.CO_KHONG})
        & (
            Q(**{comparison: Comparison.GTE, f"{value}__gte": target})
            | Q(**{comparison: Comparison.LTE, f"{value}__lte": target})
            | Q(**{comparison: Comparison.EQ, value: target})
        )
    )


def _count(queryset):
    """A correlated COUNT(*) subquery, 0 when there is no row."""
    return Coalesce(
        Subquery(
            queryset.order_by()
            .annotate(one=Value(1))
            .values("one")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def overview_rows(year, quarter):
    """Active registrations with indicator totals, entered and met for the quarter."""
    this_quarter = Progress.objects.filter(
        unit=OuterRef("unit_id"),
        indicator__criterion__title=OuterRef("title_id"),
        year=year,
        quarter=quarter,
    )
    return (
        Registration.objects.active()
        .select_related("unit", "title")
        .annotate(
            total=_count(
                Indicator.objects.filter(criterion__title=OuterRef("title_id"))
            ),
            entered=_count(this_quarter),
            met=_count(this_quarter.filter(_met_condition())),
        )
        .order_by("unit__name_sort_key", "unit__code", "title__code")
    )


def filter_registrations(queryset, filters):
    """Registrations narrowed by the list's search and kind (cleaned form data)."""
    if filters.get("q"):
        # Accent-free, on the folded name column: "dong khe" finds "Đông Khê".
        queryset = queryset.filter(unit__in=Unit.objects.search(filters["q"]))
    if filters.get("loai"):
        queryset = queryset.filter(unit__kind=filters["loai"])
    return queryset


def filter_rows(queryset, filters):
    """The overview's rows narrowed by the list's filters (cleaned form data)."""
    queryset = filter_registrations(queryset, filters)
    if filters.get("thieu"):
        queryset = queryset.filter(entered__lt=F("total"))
    return queryset


def quarter_counts(year, quarter):
    """{(unit id, title id): (entered, met)} of the quarter's values, one query.

    One grouped pass over the quarter's rows (an index range), instead of two
    correlated counts per registration: at 5,000 units / 4M rows those took
    seconds for the overview's totals (bench/staff.py).
    """
    rows = (
        Progress.objects.filter(year=year, quarter=quarter)
        .order_by()
        .values("unit_id", title=F("indicator__criterion__title_id"))
        # value, not pk: the quarter's index covers value (migration 0003).
        .annotate(entered=Count("value"), met=Count("value", filter=_met_condition()))
    )
    return {(r["unit_id"], r["title"]): (r["entered"], r["met"]) for r in rows}


def overview_counts(year, quarter, filters):
    """The overview's rows in its order as (registration id, unit id, total,
    entered, met), narrowed by every filter: three queries, whatever the size.
    """
    totals = dict(
        Indicator.objects.order_by()
        .values("criterion__title_id")
        .annotate(n=Count("pk"))
        .values_list("criterion__title_id", "n")
    )
    counts = quarter_counts(year, quarter)
    rows = []
    for pk, unit_id, title_id in (
        filter_registrations(Registration.objects.active(), filters)
        .order_by("unit__name_sort_key", "unit__code", "title__code")
        .values_list("pk", "unit_id", "title_id")
    ):
        total = totals.get(title_id, 0)
        entered, met = counts.get((unit_id, title_id), (0, 0))
        if filters.get("thieu") and not entered < total:
            continue
        rows.append((pk, unit_id, total, entered, met))
    return rows


def list_filters(data):
    """The list's filters from a query: cleaned values, and the query to pass on.

    The entry screen carries them so that "next unit" follows the list the person
    came from; filters it cannot read are dropped rather than refused.
    """
    form = QuarterListFilterForm(data)
    form.is_valid()
    filters = {
        name: form.cleaned_data[name]
        for name in QuarterListFilterForm.FIELDS
        if name in form.cleaned_data and form.cleaned_data[name]
    }
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        query[name] = "on" if value is True else value
    return filters, query.urlencode()


def next_unit(unit, year, quarter, filters):
    """The unit after ``unit`` in the overview's order and filters, or None."""
    after = Q(unit__name_sort_key__gt=unit.name_sort_key) | Q(
        unit__name_sort_key=unit.name_sort_key, unit__code__gt=unit.code
    )
    row = (
        filter_rows(overview_rows(year, quarter), filters)
        .filter(after)
        .values("unit__code", "unit__name")
        .first()
    )
    return row and {"code": row["unit__code"], "name": row["unit__name"]}
