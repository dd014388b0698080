"""The long lists of the staff report, page by page: /bao-cao/muc/….

/bao-cao/ shows the first ``reports.SECTION_ROWS`` rows of its unit lists and the
first ``reports.UNITS_SHOWN`` units that miss each criterion; at a province's size
(thousands of units) the whole lists are read here, ``PER_PAGE`` rows a page, and
in full in the Excel exports. Same access and period as /bao-cao/.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import figures, periods
from ..models import Criterion
from ..worklist import kind_label
from .reports import _int_or_none, period_from_request, staff_only

PER_PAGE = 100
MAX_ID = 2**63 - 1  # larger ids cannot be in the database (PostgreSQL bigint)

# The unit lists that have a page of their own: (heading, Excel section).
SECTIONS = {
    "vuot-lo-trinh": (gettext_lazy("Đơn vị đăng ký vượt lộ trình"), "vuot-lo-trinh"),
    "bang-diem": (gettext_lazy("Kết quả từng đơn vị"), "bang-diem"),
}


def _ahead_rows(year):
    """Units registered for ``year`` ahead of their roadmap, in the report's order.

    No progress is read: the same units, labels and order as
    ``QuarterReport.ahead`` (CONTRACT §2), as the rows its table shows.
    """
    units = (
        figures.ahead_of_roadmap(year)
        .vi_ordered()
        .values("name", "kind", "school_level", "roadmap_year")
    )
    return [
        {
            "name": unit["name"],
            "kind_label": kind_label(unit["kind"], unit["school_level"]),
            "year": year,
            "roadmap_year": unit["roadmap_year"],
        }
        for unit in units
    ]


def _page(request, rows, period):
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page, "rows": page.object_list, "query_string": period}


@staff_only
def section(request, section):
    """One unit list of the report (ahead of the roadmap, each unit's result)."""
    if section not in SECTIONS:
        raise Http404
    year, quarter = period_from_request(request)[1:]
    period = f"nam={year}&quy={quarter}"
    if section == "vuot-lo-trinh":
        rows = _ahead_rows(year)
    else:
        # Only the page's units are counted (figures.standing, in SQL).
        rows = figures.Pages(
            figures.registered_units(year).count(),
            lambda offset, limit: (
                figures.standing(
                    year, quarter, meta={}, units=(offset, limit), only_window=True
                ).units
            ),
        )
    heading, export = SECTIONS[section]
    context = {
        "section": section,
        "heading": heading,
        "year": year,
        "quarter": quarter,
        "label": periods.label(year, quarter),
        "total": len(rows),
        "export_url": reverse("registrations:report-export", args=[export])
        + f"?{period}",
        "report_url": reverse("registrations:reports") + f"?{period}",
        **_page(request, rows, period),
    }
    return render(request, "registrations/report_section.html", context)


@staff_only
def not_met(request, criterion_id):
    """The units that have not met one criterion, page by page."""
    if criterion_id > MAX_ID:  # no such row; the database would refuse the number
        raise Http404
    criterion = Criterion.objects.select_related("title").filter(pk=criterion_id)
    criterion = criterion.first()
    if criterion is None:
        raise Http404
    year, quarter = period_from_request(request)[1:]
    period = f"nam={year}&quy={quarter}"
    # This criterion's cells only, counted in SQL, with the asked page's units
    # (read again only when the page is out of range); then their figures over
    # all their criteria.
    meta = figures.criteria_of(year, criterion.pk)

    def missing(offset):
        found = figures.standing(
            year,
            quarter,
            meta=meta,
            criterion_id=criterion.pk,
            not_met=(offset, PER_PAGE),
        ).criteria
        return (found[0], found[0].not_met_units) if found else (None, [])

    asked = _int_or_none(request.GET.get("page") or "1") or 1
    first = min(max(asked - 1, 0), 10**6) * PER_PAGE  # never past a bigint
    rate, units = missing(first)

    def fetch(offset, limit):
        listed = units if offset == first else missing(offset)[1]
        return figures.with_figures(year, quarter, listed[:limit])

    rows = figures.Pages(rate.not_met if rate is not None else 0, fetch)
    context = {
        "section": "chua-dat",
        "heading": _("Đơn vị chưa đạt tiêu chí “%(name)s”") % {"name": criterion.name},
        "criterion": criterion,
        "rate": rate,
        "year": year,
        "quarter": quarter,
        "label": periods.label(year, quarter),
        "total": len(rows),
        "export_url": reverse("registrations:report-export", args=["tieu-chi-cham"])
        + f"?{period}",
        "report_url": reverse("registrations:reports") + f"?{period}",
        **_page(request, rows, period),
    }
    return render(request, "registrations/report_section.html", context)
