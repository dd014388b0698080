"""Which units must report a quarter, their report's state, and how complete it is.

The staff's work list (``/bao-cao/tien-do/<nam>/<quy>/``), its completeness summary
and Excel export, and the reminders sent to units that have not submitted all read
the same rows from here, so that they never disagree: every unit valid in the year
with an active registration (the units that have indicators to report), each with
its report's state for the quarter (none: "chưa nộp").
"""

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from kieumau.dates import vietnam_today
from units.models import SchoolLevel, Unit, UnitKind, valid_during

from . import periods
from .models import Registration, ReportState

S = ReportState

# Reports awaiting staff first: the list is a to-do list.
PRIORITY = {S.SUBMITTED: 0, S.RETURNED: 1, S.DRAFT: 2, None: 3, S.ACCEPTED: 4}

# The completeness columns: (key, label), each a count of units.
COMPLETENESS_COLUMNS = [
    ("total", _("Phải nộp")),
    ("submitted", _("Đã nộp, chờ duyệt")),
    ("accepted", _("Đã duyệt")),
    ("not_submitted", _("Chưa nộp (kể cả đang soạn)")),
    ("returned", _("Trả lại, chưa nộp lại")),
    ("returned_late", _("Trả lại, quá hạn nộp lại")),
    ("late", _("Quá hạn")),
]
NO_COMMUNE = _("Cấp huyện (không thuộc xã)")


# The work list's state filters and the completeness count each one is.
STATE_COUNTS = {
    "da-nop": "submitted",
    "tra-lai": "returned",
    "dang-soan": "draft",
    "chua-nop": "not_started",
    "da-duyet": "accepted",
    "qua-han": "late",
}


def state_conditions(year, quarter, *, now=None):
    """{filter value: Q on the work list's rows}; "quá hạn" as ``is_late`` says."""
    late = Q(report_state=S.RETURNED, report_deadline__lt=vietnam_today(now))
    if periods.is_locked(year, quarter, now):
        late |= Q(report_state__isnull=True) | Q(report_state=S.DRAFT)
    return {
        "da-nop": Q(report_state=S.SUBMITTED),
        "tra-lai": Q(report_state=S.RETURNED),
        "dang-soan": Q(report_state=S.DRAFT),
        "chua-nop": Q(report_state__isnull=True),
        "da-duyet": Q(report_state=S.ACCEPTED),
        "qua-han": late,
    }


def expected_units(year, quarter):
    """Units expected to report (year, quarter), annotated with their report."""
    return (
        Unit.objects.filter(valid_during(year))
        .filter(Exists(Registration.objects.active().filter(unit=OuterRef("pk"))))
        .annotate(
            this_report=FilteredRelation(
                "quarter_reports",
                condition=Q(
                    quarter_reports__year=year, quarter_reports__quarter=quarter
                ),
            )
        )
        .annotate(
            report_state=F("this_report__state"),
            report_deadline=F("this_report__return_deadline"),
            report_submitted_at=F("this_report__submitted_at"),
        )
    )


def worklist(year, quarter, conditions):
    """The work list's rows: units with their state, late or not, to-do first."""
    priority = Case(
        *[
            When(report_state=state, then=Value(rank))
            for state, rank in PRIORITY.items()
            if state is not None
        ],
        default=Value(PRIORITY[None]),
        output_field=IntegerField(),
    )
    return (
        expected_units(year, quarter)
        .annotate(
            late=Case(
                When(conditions["qua-han"], then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            priority=priority,
        )
        .select_related("parent")
        .order_by("priority", "name_sort_key", "code")
    )


def filter_units(queryset, filters):
    """The work list's filters (search, kind, commune) on its rows."""
    if filters.get("q"):
        queryset = queryset.search(filters["q"])
    if filters.get("loai"):
        queryset = queryset.filter(kind=filters["loai"])
    if filters.get("xa"):
        queryset = queryset.filter(
            Q(parent__code=filters["xa"]) | Q(code=filters["xa"])
        )
    return queryset


def _counts(conditions):
    not_submitted = conditions["chua-nop"] | conditions["dang-soan"]
    returned_late = conditions["tra-lai"] & conditions["qua-han"]
    return {
        "total": Count("pk"),
        "submitted": Count("pk", filter=conditions["da-nop"]),
        "accepted": Count("pk", filter=conditions["da-duyet"]),
        "not_submitted": Count("pk", filter=not_submitted),
        "returned": Count("pk", filter=conditions["tra-lai"]),
        "returned_late": Count("pk", filter=returned_late),
        "late": Count("pk", filter=conditions["qua-han"]),
        "draft": Count("pk", filter=conditions["dang-soan"]),
        "not_started": Count("pk", filter=conditions["chua-nop"]),
    }


def _with_rate(row):
    done = row["submitted"] + row["accepted"]
    row["rate"] = done / row["total"] if row["total"] else None
    return row


def kind_label(kind, level):
    """'Xã', 'Trường mầm non': a group of the completeness by kind."""
    if kind == UnitKind.TRUONG and level:
        name = str(SchoolLevel(level).label)
        return f"Trường {name if name.isupper() else name.lower()}"
    return str(UnitKind(kind).label)


KIND_ORDER = [
    (UnitKind.CO_QUAN, ""),
    (UnitKind.XA, ""),
    (UnitKind.THON, ""),
    *[(UnitKind.TRUONG, level) for level in SchoolLevel.values],
]
COMMUNE = {
    "commune_code": Case(
        When(kind=UnitKind.XA, then=F("code")),
        default=F("parent__code"),
        output_field=CharField(),
    ),
    "commune_name": Case(
        When(kind=UnitKind.XA, then=F("name")),
        default=F("parent__name"),
        output_field=CharField(),
    ),
    "commune_sort": Case(
        When(kind=UnitKind.XA, then=F("name_sort_key")),
        default=F("parent__name_sort_key"),
        output_field=CharField(),
    ),
}


def _add(groups, key, label, row):
    group = groups.setdefault(key, {"label": label, **dict.fromkeys(COUNTS, 0)})
    for column in COUNTS:
        group[column] += row[column]


# Every count summed per group: the columns shown, and the two kinds of "not
# submitted" that the work list's state chips tell apart.
COUNTS = [key for key, _label in COMPLETENESS_COLUMNS] + ["draft", "not_started"]


def completeness(queryset, conditions):
    """Counts of units by state, per commune, per kind and in all; one query.

    A commune's group holds the commune and its villages and schools; agencies
    and schools under no commune form one group at the end. Kinds come in the
    reports' order, schools by level.
    """
    rows = (
        queryset.order_by()
        .annotate(**COMMUNE)
        .values("commune_code", "commune_name", "commune_sort", "kind", "school_level")
        .annotate(**_counts(conditions))
    )
    communes, kinds, total = {}, {}, {"label": str(_("Tất cả"))}
    total.update(dict.fromkeys(COUNTS, 0))
    for row in rows:
        commune_key = (
            row["commune_code"] is None,
            row["commune_sort"] or "",
            row["commune_code"] or "",
        )
        _add(communes, commune_key, row["commune_name"] or str(NO_COMMUNE), row)
        kind_key = (row["kind"], row["school_level"])
        _add(kinds, kind_key, kind_label(*kind_key), row)
        for column in COUNTS:
            total[column] += row[column]
    order = {key: n for n, key in enumerate(KIND_ORDER)}
    return {
        "by_commune": [_with_rate(communes[key]) for key in sorted(communes)],
        "by_kind": [
            _with_rate(kinds[key])
            for key in sorted(kinds, key=lambda k: (order.get(k, len(order)), k))
        ],
        "total": _with_rate(total),
    }
