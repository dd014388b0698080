"""Small creation helpers for tests (the demo data is for people, not tests)."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from imports.models import BatchStatus, ImportBatch
from registrations.models import (
    Criterion,
    Evidence,
    Indicator,
    IndicatorKind,
    Progress,
    QuarterReport,
    Registration,
    ReportedValue,
    ReportState,
    Title,
)
from units.models import Unit, UnitKind

_seq = itertools.count(1)

PASSWORD = "mat-khau-du-dai-2017"


def make_user(username=None, *, groups=(), **extra):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username, password=PASSWORD, **extra
    )
    for name in groups:
        user.groups.add(role(name))
    return user


def role(name):
    """The role's group (portal/roles.py makes them after every migrate and flush)."""
    return Group.objects.get(name=name)


def make_unit(code=None, *, kind=UnitKind.CO_QUAN, name=None, **extra):
    n = next(_seq)
    code = code or f"DV-{n}"
    if kind == UnitKind.THON and "parent" not in extra:
        extra["parent"] = make_unit(kind=UnitKind.XA)
    if kind == UnitKind.TRUONG and "school_level" not in extra:
        extra["school_level"] = "mam_non"
    return Unit.objects.create(
        code=code, name=name or f"Đơn vị {n}", kind=kind, **extra
    )


def make_title(code=None, *, kind=UnitKind.CO_QUAN, school_level="", **extra):
    code = code or f"DH-{next(_seq)}"
    return Title.objects.create(
        code=code,
        name=extra.pop("name", f"Danh hiệu {code}"),
        kind=kind,
        school_level=school_level,
        **extra,
    )


def make_criterion(title, code=None, **extra):
    code = code or f"TC-{next(_seq)}"
    return Criterion.objects.create(
        title=title, code=code, name=extra.pop("name", f"Tiêu chí {code}"), **extra
    )


def make_indicator(criterion, code=None, *, kind=IndicatorKind.CO_KHONG, **extra):
    code = code or f"CT-{next(_seq)}"
    if kind != IndicatorKind.CO_KHONG:
        extra.setdefault("comparison", ">=")
        extra.setdefault("target", Decimal("50"))
    return Indicator.objects.create(
        criterion=criterion,
        code=code,
        name=extra.pop("name", f"Chỉ tiêu {code}"),
        kind=kind,
        **extra,
    )


def make_registration(unit, title, year=2017, **extra):
    return Registration.objects.create(unit=unit, title=title, year=year, **extra)


def make_progress(unit, indicator, year, quarter, value, **extra):
    return Progress.objects.create(
        unit=unit,
        indicator=indicator,
        year=year,
        quarter=quarter,
        value=Decimal(value),
        **extra,
    )


def make_report(unit, year, quarter, state=ReportState.DRAFT, *, values=(), **extra):
    """A unit's quarter report in ``state``; ``values`` maps indicators to values.

    Rows only: the transitions themselves are tested through the services.
    """
    if state == ReportState.RETURNED:
        extra.setdefault("return_deadline", datetime.date(year, 12, 31))
    report = QuarterReport.objects.create(
        unit=unit, year=year, quarter=quarter, state=state, **extra
    )
    for indicator, value in dict(values).items():
        ReportedValue.objects.create(
            report=report,
            indicator=indicator,
            value=None if value is None else Decimal(value),
        )
    return report


def make_link_evidence(report, indicator, link="https://example.vn/bien-ban.pdf"):
    """Evidence given as a link (no file to store) for ``indicator`` of ``report``."""
    reported, _created = ReportedValue.objects.get_or_create(
        report=report, indicator=indicator
    )
    return Evidence.objects.create(reported_value=reported, link=link)


def make_catalogue(kind=UnitKind.CO_QUAN, code=None, **title_extra):
    """A title with criterion TC1 (yes/no, percent ≥ 80) and TC2 (count ≤ 3)."""
    title = make_title(code, kind=kind, **title_extra)
    first = make_criterion(title, f"{title.code}-TC1", order=1)
    second = make_criterion(title, f"{title.code}-TC2", order=2)
    make_indicator(first, f"{title.code}-CK", kind=IndicatorKind.CO_KHONG, order=1)
    make_indicator(
        first, f"{title.code}-TL", kind=IndicatorKind.TY_LE, target=Decimal(80), order=2
    )
    make_indicator(
        second,
        f"{title.code}-SL",
        kind=IndicatorKind.SO_LUONG,
        comparison="<=",
        target=Decimal(3),
    )
    return title


def make_import_batches(n, user, status=BatchStatus.IMPORTED):
    """``n`` small uploads of a units file by ``user`` (the import screen's list)."""
    return [
        ImportBatch.objects.create(
            kind="units",
            filename=f"don-vi-{i:02}.csv",
            content=b"x",
            size=1,
            uploaded_by=user,
            status=status,
        )
        for i in range(n)
    ]
