"""The public roll of model units (``/don-vi-kieu-mau/``): who holds which title.

A row is a registration whose title was recognised by a decision (status
recognised or maintained, with the decision's number and date the lifecycle
requires), and one whose title was later revoked: the recognition decision was a
public act and stays listed, marked "đã thu hồi" beside the published revocation,
so that a citizen who read the decision finds the unit and learns the title was
withdrawn (the programme's "thu hồi" is itself a decision of the People's
Committee, docs/../programme: maintenance and revocation). The year is the one the
unit committed to (the title "… kiểu mẫu năm 2017").

The published decisions are read from this app's ``Decision`` through its entries:
a unit recognised before decisions were kept here shows its number and date
without a link.

Two queries for a page, whatever the number of rows: the page's registrations with
their unit, commune and title; the published decisions naming them.
"""

from django import forms
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from kieumau.text import fold
from registrations.models import Registration, RegistrationStatus, Title
from units.models import Unit, UnitKind

from .models import DecisionEntry, DecisionKind

S = RegistrationStatus
ROLL_STATUSES = [S.RECOGNISED, S.MAINTAINED, S.REVOKED]
PER_PAGE = 30
# The filters that select a cached variant of the page: the choices the roll holds.
# A name typed in ``q`` is served fresh, as the document library's search is: its
# keys are whatever people type, and each would take a place in the cache.
PARAMETERS = frozenset({"nam", "danh_hieu", "xa", "page"})


def roll():
    """Registrations on the roll, not yet filtered (a queryset)."""
    return Registration.objects.filter(status__in=ROLL_STATUSES).exclude(
        decision_number=""
    )


def years():
    return list(roll().order_by("-year").values_list("year", flat=True).distinct())


def titles():
    """(code, name) of the titles with a unit on the roll, by name."""
    return list(
        Title.objects.filter(registrations__in=roll())
        .distinct()
        .order_by("name", "code")
        .values_list("code", "name")
    )


def communes():
    """(code, name) of the communes that have a unit on the roll, or are one."""
    on_roll = roll().values("unit_id")
    return list(
        Unit.objects.filter(kind=UnitKind.XA)
        .filter(Q(pk__in=on_roll) | Q(children__in=on_roll))
        .distinct()
        .vi_ordered()
        .values_list("code", "name")
    )


class RollForm(forms.Form):
    """The roll's filters; each choice is one the roll holds, the rest are errors."""

    q = forms.CharField(
        label=_("Tên hoặc mã đơn vị"),
        required=False,
        max_length=100,
        error_messages={"max_length": _("Từ khóa tìm tối đa 100 ký tự.")},
    )
    nam = forms.TypedChoiceField(
        label=_("Năm"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _("Chưa có đơn vị nào được công nhận năm này.")
        },
    )
    danh_hieu = forms.ChoiceField(
        label=_("Danh hiệu"),
        required=False,
        error_messages={"invalid_choice": _("Không có danh hiệu này trong danh sách.")},
    )
    xa = forms.ChoiceField(
        label=_("Xã"),
        required=False,
        error_messages={"invalid_choice": _("Không có xã này trong danh sách.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("Tất cả"))]
        self.fields["nam"].choices = everyone + [(y, str(y)) for y in years()]
        self.fields["danh_hieu"].choices = everyone + titles()
        self.fields["xa"].choices = everyone + communes()
        self.fields["q"].widget.attrs.update(
            {
                "type": "search",
                "maxlength": 100,
                "placeholder": _("gõ không dấu cũng được: dong khe"),
                "class": "form-control",
                "autocomplete": "off",
            }
        )
        for name in ("nam", "danh_hieu", "xa"):
            self.fields[name].widget.attrs["class"] = "form-select"


def filtered(form):
    """The roll's rows the valid ``form`` asks for; none for an invalid one."""
    if not form.is_valid():
        return Registration.objects.none()
    rows = roll()
    data = form.cleaned_data
    if data["nam"]:
        rows = rows.filter(year=data["nam"])
    if data["danh_hieu"]:
        rows = rows.filter(title__code=data["danh_hieu"])
    if data["xa"]:
        rows = rows.filter(
            Q(unit__code=data["xa"], unit__kind=UnitKind.XA)
            | Q(unit__parent__code=data["xa"])
        )
    if data["q"].strip():
        key = fold(data["q"])
        rows = rows.filter(
            Q(unit__search_name__contains=key)
            | Q(unit__code__icontains=data["q"].strip())
        )
    return rows


def with_decisions(rows):
    """``rows`` ordered for the roll, with what each needs and its decisions."""
    published = DecisionEntry.objects.filter(decision__published=True).select_related(
        "decision"
    )
    return (
        rows.select_related("unit__parent", "title")
        .prefetch_related(
            Prefetch("decision_entries", queryset=published, to_attr="published")
        )
        .order_by("-year", "title__name", "unit__name_sort_key", "unit__code")
    )


def decisions_of(registration):
    """(recognition, revocation): the published decisions naming ``registration``.

    The recognition is the one whose number is the registration's (a unit might
    be named by an earlier, superseded decision too).
    """
    recognition = revocation = None
    for entry in getattr(registration, "published", []):
        decision = entry.decision
        if decision.kind == DecisionKind.REVOCATION:
            if revocation is None or decision.signed_on > revocation.signed_on:
                revocation = decision
        elif recognition is None or decision.number == registration.decision_number:
            recognition = decision
    return recognition, revocation
