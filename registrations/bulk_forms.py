"""The bulk entry screen's forms: which indicator, units and quarter (GET), and the
signed token that carries what the page showed (its units and their sheet versions)
from the page to its preview and save.
"""

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitKind

from .forms import PeriodForm
from .models import YEAR_MAX, YEAR_MIN, Indicator, Title

TOKEN_SALT = "registrations.bulk_entry"
# A page left open longer than a working day is read again rather than trusted.
TOKEN_MAX_AGE = 24 * 3600
# The paste box: a page of units, each line a code and a value, with room to spare.
PASTE_MAX_CHARS = 40_000


def catalogue(year):
    """Indicators of the titles in force in ``year`` (all titles for a bad year)."""
    titles = Title.objects.all()
    if isinstance(year, int) and YEAR_MIN <= year <= YEAR_MAX:
        titles = titles.valid_in(year)
    return list(
        Indicator.objects.filter(criterion__title__in=titles)
        .select_related("criterion__title")
        .order_by(
            "criterion__title__code",
            "criterion__order",
            "criterion__code",
            "order",
            "code",
        )
    )


def _choices(indicators):
    """Grouped by title: each criterion ("cả tiêu chí"), then its indicators."""
    groups, criterion_id = [], None
    for indicator in indicators:
        criterion = indicator.criterion
        title = criterion.title
        if not groups or groups[-1][0] != title.name:
            groups.append((title.name, []))
        if criterion.pk != criterion_id:
            criterion_id = criterion.pk
            groups[-1][1].append(
                (f"tc-{criterion.pk}", _("Cả tiêu chí: %s") % criterion.name)
            )
        groups[-1][1].append((f"ct-{indicator.pk}", f"\u2003{indicator.name}"))
    return [("", _("— Chọn chỉ tiêu hoặc tiêu chí —")), *groups]


class BulkFilterForm(PeriodForm):
    """What the page shows: a year and quarter, an indicator or criterion, a commune."""

    muc = forms.ChoiceField(label=_("Chỉ tiêu"), required=False)
    xa = forms.ChoiceField(label=_("Xã"), required=False)

    def __init__(self, data, *, indicators, communes):
        super().__init__(data)
        self.indicators = indicators
        self.fields["muc"].choices = _choices(indicators)
        self.fields["muc"].error_messages["invalid_choice"] = _(
            "Không có chỉ tiêu hoặc tiêu chí này trong danh mục của năm đã chọn."
        )
        self.fields["xa"].choices = [("", _("— Mọi xã —")), *communes]
        self.fields["xa"].error_messages["invalid_choice"] = _("Không có xã này.")

    def columns(self):
        """The chosen indicators (one, or a criterion's), or [] when none is chosen."""
        choice = self.cleaned_data.get("muc") or ""
        kind, _dash, pk = choice.partition("-")
        if kind == "ct":
            return [i for i in self.indicators if str(i.pk) == pk]
        if kind == "tc":
            return [i for i in self.indicators if str(i.criterion_id) == pk]
        return []


def communes():
    """(code, name) of every commune, for the commune filter (one query)."""
    return list(
        Unit.objects.filter(kind=UnitKind.XA).vi_ordered().values_list("code", "name")
    )


def make_token(*, year, quarter, units, indicators, versions):
    """What the page showed, signed: its units, columns and sheet versions."""
    return signing.dumps(
        {
            "y": year,
            "q": quarter,
            "u": [unit.pk for unit in units],
            "i": [indicator.pk for indicator in indicators],
            "v": [versions.get(unit.pk, 0) for unit in units],
            "t": timezone.now().isoformat(),
        },
        salt=TOKEN_SALT,
        compress=True,
    )


def read_token(text, *, year, quarter, indicators):
    """The token's page if it is genuine, recent and of this quarter and columns.

    Returns ``{"units": [ids], "versions": {id: version}, "loaded_at": datetime}``
    or None.
    """
    try:
        data = signing.loads(text or "", salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        units, versions = list(data["u"]), list(data["v"])
        same_page = (
            data["y"] == year
            and data["q"] == quarter
            and data["i"] == [i.pk for i in indicators]
            and len(units) == len(versions)
        )
        loaded_at = parse_datetime(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not same_page:
        return None
    return {
        "units": units,
        "versions": dict(zip(units, versions, strict=True)),
        "loaded_at": loaded_at,
    }
