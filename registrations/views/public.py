"""Public progress dashboard, unit pages and the JSON summary (CONTRACT §3)."""

import re

from django.core.paginator import Paginator
from django.db.models import BooleanField, ExpressionWrapper
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from kieumau.pagecache import cached_page
from news.models import VERSION as NEWS_VERSION
from units.models import SchoolLevel, Unit, UnitKind, valid_during

from .. import charts, figures, periods, xlsx
from ..models import YEAR_MAX, YEAR_MIN, Registration, RegistrationStatus
from ..unit_criteria import State, unit_criteria

_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_QUARTER = re.compile(r"^\s*([1-4])\s*$")

UNITS_PER_PAGE = 50
CHART_CRITERIA = 10
AHEAD_SHOWN = 30


def parse_year(raw):
    """An integer 2000–2100 from a query parameter, or None."""
    match = _YEAR.match(raw or "")
    if not match:
        return None
    year = int(match.group(1))
    return year if YEAR_MIN <= year <= YEAR_MAX else None


def parse_quarter(raw):
    match = _QUARTER.match(raw or "")
    return int(match.group(1)) if match else None


def _error(message):
    return JsonResponse(
        {"loi": message}, status=400, json_dumps_params={"ensure_ascii": False}
    )


def summary_api(request):
    """``/api/tong-hop/?nam=Y&quy=Q``: the quarter's figures as JSON."""
    raw_year, raw_quarter = request.GET.get("nam"), request.GET.get("quy")
    year = None  # the dashboard's default year
    if raw_year is not None:
        year = parse_year(raw_year)
        if year is None:
            return _error(
                _("Tham số nam phải là một năm từ %(min)s đến %(max)s.")
                % {"min": YEAR_MIN, "max": YEAR_MAX}
            )
    quarter = None
    if raw_quarter is not None:
        quarter = parse_quarter(raw_quarter)
        if quarter is None:
            return _error(_("Tham số quy phải là một số từ 1 đến 4."))
    response = HttpResponse(
        figures.cached_summary_json(year, quarter), content_type="application/json"
    )
    patch_cache_control(response, public=True, max_age=figures.CACHE_SECONDS)
    return response


def _kind_choices():
    return [
        (UnitKind.CO_QUAN.value, UnitKind.CO_QUAN.label),
        (UnitKind.XA.value, UnitKind.XA.label),
        (UnitKind.THON.value, UnitKind.THON.label),
        *[
            (f"truong-{level.value}", f"Trường {xlsx.level_name(level)}")
            for level in SchoolLevel
        ],
    ]


def _matches_kind(standing, kind):
    if kind.startswith("truong-"):
        return (
            standing.kind == UnitKind.TRUONG
            and standing.school_level == kind.removeprefix("truong-")
        )
    return standing.kind == kind


# ``page`` as on every paginated list (includes/pagination.html writes it);
# ``trang``, the dashboard's earlier name, is still read: old links keep working.
DASHBOARD_PARAMETERS = {"quy", "xa", "loai", "page", "trang"}


@cached_page(
    depends_on=[NEWS_VERSION, figures.VERSION],
    parameters=DASHBOARD_PARAMETERS,
    max_seconds=figures.CACHE_SECONDS,
)
def dashboard(request, year=None):
    """``/tien-do/`` and ``/tien-do/<year>/``: registrations and progress of a year.

    Anonymous visitors get the rendered page from the shared page cache
    (kieumau.pagecache: the sidebar and messages are filled per visitor). An entry
    belongs to the figures' cache version, which every change of their inputs bumps
    (figures.invalidate), so new figures show at once; it lives no longer than the
    figures' own cache: the default year and quarter follow the calendar, and
    ``/tien-do/`` moves to the new year within a minute of midnight on 1 January.
    """
    if year is None:
        year = figures.cached_dashboard_year()
    elif not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404(_("Năm không hợp lệ."))
    quarter = parse_quarter(request.GET.get("quy"))
    if quarter is None:
        quarter = figures.cached_default_quarter(year)
    evaluation = figures.cached_evaluation(year, quarter)
    by_kind = figures.cached_by_kind(year)

    # Every commune names the units' column; the filter offers only those in
    # force during the year (not Đông Anh, merged in 2019, on a 2026 page).
    all_communes = list(
        Unit.objects.filter(kind=UnitKind.XA)
        .annotate(
            offered=ExpressionWrapper(valid_during(year), output_field=BooleanField())
        )
        .vi_ordered()
        .values("pk", "code", "name", "offered")
    )
    commune_names = {c["pk"]: c["name"] for c in all_communes}
    communes = [c for c in all_communes if c["offered"]]
    kinds = _kind_choices()

    # Filters: unknown values are ignored (the page shows every unit then).
    commune = next((c for c in communes if c["code"] == request.GET.get("xa")), None)
    kind = request.GET.get("loai")
    if kind not in dict(kinds):
        kind = None
    units = evaluation.units
    if commune:
        units = [u for u in units if commune["pk"] in (u.unit_id, u.parent_id)]
    if kind:
        units = [u for u in units if _matches_kind(u, kind)]
    page = Paginator(units, UNITS_PER_PAGE).get_page(
        request.GET.get("page", request.GET.get("trang"))
    )
    rows = [
        {
            "unit": u,
            "commune": commune_names.get(u.parent_id, ""),
            "band": charts.band(u.criteria_met, u.criteria),
        }
        for u in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("trang", None)

    ahead = [u for u in evaluation.units if u.ahead]
    kind_rows = xlsx.kind_rows(by_kind)
    lagging = evaluation.criteria
    chart = charts.dashboard_chart(kind_rows, lagging[:CHART_CRITERIA])
    context = {
        "year": year,
        "quarter": quarter,
        "quarter_label": periods.label(year, quarter),
        "quarters": [(q, periods.label(year, q)) for q in range(1, 5)],
        "kind_rows": kind_rows,
        "total": sum(r[1] for r in kind_rows),
        "ahead": ahead[:AHEAD_SHOWN],
        "ahead_count": len(ahead),
        "ahead_more": max(0, len(ahead) - AHEAD_SHOWN),
        "lagging": lagging,
        "lagging_rows": [
            {"criterion": c, "band": charts.band(c.met, c.registrations)}
            for c in lagging[:CHART_CRITERIA]
        ],
        "bands": charts.BANDS,
        # An all-zero bar chart looks broken: the page says so in words instead.
        "lagging_met": any(c.met for c in lagging),
        "rows": rows,
        "page_obj": page,
        "query_string": query.urlencode(),
        "communes": communes,
        "commune": commune,
        "kinds": kinds,
        "kind": kind,
        "chart": chart,
        "years": figures.cached_registration_years(),
    }
    return render(request, "registrations/dashboard.html", context)


def unit_detail(request, code):
    """``/tien-do/don-vi/<code>/``: a unit's registrations and criteria over time."""
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    registrations = list(
        Registration.objects.filter(unit=unit)
        .select_related("title")
        .order_by("-year", "title__code")
    )
    shown = registrations[:3]
    criteria = unit_criteria(unit, shown)
    blocks = []
    for registration, judged in zip(shown, criteria, strict=True):
        # Up to the unit's latest entry by the quarter its criteria are judged at
        # (values carry forward, so later quarters would only repeat it).
        until = judged.as_of
        last = figures.last_period_with_data(unit.pk, until) or until
        quarters = [last]
        while len(quarters) < 8:
            quarters.insert(0, periods.previous(*quarters[0]))
        history = [
            {
                "label": periods.label(y, q),
                "met": met,
                "total": total,
                "percent": round(100 * met / total, 1) if total else 0,
                "band": charts.band(met, total),
            }
            for y, q, met, total in figures.unit_history(registration, quarters)
        ]
        blocks.append(
            {
                "registration": registration,
                "criteria": judged,
                "history": history,
                "chart": charts.unit_chart(registration.title.name, history),
            }
        )
    chart = [b["chart"] for b in blocks]
    # The titles the unit holds, or held until a revocation (CONTRACT §3).
    titles = [
        r
        for r in registrations
        if r.status
        in (
            RegistrationStatus.RECOGNISED,
            RegistrationStatus.MAINTAINED,
            RegistrationStatus.REVOKED,
        )
        and r.decision_number
    ]
    context = {
        "unit": unit,
        "blocks": blocks,
        "chart": chart,
        "bands": charts.BANDS,
        "titles": titles,
        "states": State,
    }
    return render(request, "registrations/unit_detail.html", context)
