"""Unit-head self-service at /dang-ky/: register or change the unit's target year."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kieumau.dates import vietnam_today
from units.models import Unit

from .. import services
from ..forms import RegisterYearForm
from ..models import Registration, RegistrationStatus, Title, roadmap_position
from .selfreport import quarter_links


def get_unit_for_head(user, code):
    """The unit ``code`` if ``user`` heads it; 404 otherwise (no information leak)."""
    return get_object_or_404(Unit.objects.headed_by(user), code=code)


def _history(units):
    """Each unit's registration changes, newest first, with who and when."""
    rows = (
        Registration.history.filter(unit__in=units)
        .select_related("history_user", "title")
        .order_by("id", "history_date", "history_id")
    )
    previous, by_unit = {}, defaultdict(list)
    for row in rows:
        before = previous.get(row.id)
        changes = []
        if before is None:
            changes.append(_("Đăng ký năm %(year)s") % {"year": row.year})
        else:
            if before.year != row.year:
                changes.append(
                    _("Đổi năm %(old)s → %(new)s")
                    % {"old": before.year, "new": row.year}
                )
            if before.status != row.status:
                changes.append(
                    _("Trạng thái: %(status)s")
                    % {"status": RegistrationStatus(row.status).label}
                )
        previous[row.id] = row
        if changes:
            by_unit[row.unit_id].append(
                {
                    "when": row.history_date,
                    "who": services.display_user(row.history_user),
                    "changes": changes,
                }
            )
    for items in by_unit.values():
        items.reverse()
    return by_unit


def _cards(units, *, bound=None):
    """What the page shows for each unit, in a constant number of queries."""
    units = list(units)
    registrations = defaultdict(list)
    for registration in (
        Registration.objects.filter(unit__in=units)
        .select_related("title")
        .order_by("-created_at", "-pk")
    ):
        registrations[registration.unit_id].append(registration)
    this_year = vietnam_today().year
    titles = list(Title.objects.valid_in(this_year))
    history = _history(units)
    reports = quarter_links(units)
    cards = []
    for unit in units:
        regs = registrations[unit.pk]
        for registration in regs:
            registration.unit = unit
        active = next((r for r in regs if r.is_active), None)
        current = active or (regs[0] if regs else None)
        applicable = [
            t
            for t in titles
            if t.kind == unit.kind and t.school_level in ("", unit.school_level)
        ]
        title = active.title if active else (applicable[0] if applicable else None)
        if bound is not None and bound[0].pk == unit.pk:
            form = bound[1]
        else:
            form = RegisterYearForm(unit=unit, registration=active)
        cards.append(
            {
                "unit": unit,
                "title": title,
                "current": current,
                "active": active,
                "form": form,
                "history": history.get(unit.pk, []),
                # The quarterly self-report is for units with indicators to report.
                "reports": reports[unit.pk] if active else [],
            }
        )
    return cards


@login_required
def home(request):
    units = Unit.objects.headed_by(request.user).select_related("parent").vi_ordered()
    return render(
        request, "registrations/selfservice_home.html", {"cards": _cards(units)}
    )


@login_required
def register(request, code):
    """GET: the unit's card; POST: check the year, confirm it, then save it."""
    unit = get_unit_for_head(request.user, code)
    active = (
        Registration.objects.active()
        .filter(unit=unit)
        .select_related("title")
        .order_by("-year")
        .first()
    )
    if active is not None:
        active.unit = unit
    form = None
    if request.method == "POST":
        form = RegisterYearForm(request.POST, unit=unit, registration=active)
        if form.is_valid() and not form.cleaned_data["confirm"]:
            return _confirmation(request, unit, active, form)
        if form.is_valid():
            try:
                registration = services.register_year(
                    unit=unit,
                    title=active.title if active else None,
                    year=form.cleaned_data["year"],
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                )
            except services.StaleVersionError as exc:
                messages.error(request, exc.messages[0])
                return redirect("registrations:register", code=unit.code)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Đã ghi nhận: %(unit)s đăng ký hoàn thành năm %(year)s.")
                    % {"unit": unit.name, "year": registration.year},
                )
                return redirect("registrations:register", code=unit.code)
    cards = _cards([unit], bound=(unit, form) if form is not None else None)
    return render(
        request,
        "registrations/selfservice_unit.html",
        {"card": cards[0], "unit": unit},
    )


def _confirmation(request, unit, active, form):
    """The step between typing a year and saving it: the old and the new year."""
    year = form.cleaned_data["year"]
    return render(
        request,
        "registrations/selfservice_confirm.html",
        {
            "unit": unit,
            "active": active,
            "year": year,
            "version": form.cleaned_data["version"],
            "old_position": active.roadmap_position if active else None,
            "new_position": roadmap_position(year, unit.roadmap_year),
        },
    )
