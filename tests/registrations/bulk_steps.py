"""Steps of the bulk entry tests: a commune's villages, the page's form as posted."""

from html.parser import HTMLParser
from urllib.parse import urlencode

from django.urls import reverse

from registrations.models import Indicator
from tests import factories
from units.models import UnitKind

# Inside 2017 Q1's entry window (locks 30 days after 31/03/2017).
OPEN = "2017-03-20 10:00 +07:00"


def make_commune(villages, *, code="XA", title=None):
    """A commune whose ``villages`` villages are registered for a village title.

    The title is ``make_catalogue``'s: criterion TC1 (CK yes/no, TL percent ≥ 80),
    TC2 (SL count ≤ 3). Village codes are ``{code}-T01``… in name order.
    """
    title = title or factories.make_catalogue(kind=UnitKind.THON, code="TKM")
    commune = factories.make_unit(f"{code}", kind=UnitKind.XA, name=f"Xã {code}")
    units = [
        factories.make_unit(
            f"{code}-T{n:02}",
            kind=UnitKind.THON,
            name=f"Thôn {code} {n:02}",
            parent=commune,
        )
        for n in range(1, villages + 1)
    ]
    for unit in units:
        factories.make_registration(unit, title, year=2017)
    indicators = {
        i.code.split("-")[-1]: i
        for i in Indicator.objects.filter(criterion__title=title)
    }
    return {"commune": commune, "units": units, "title": title, "ind": indicators}


def bulk_url(indicator=None, *, criterion=None, commune=None, year=2017, quarter=1):
    query = {"nam": year, "quy": quarter}
    if indicator is not None:
        query["muc"] = f"ct-{indicator.pk}"
    if criterion is not None:
        query["muc"] = f"tc-{criterion.pk}"
    if commune is not None:
        query["xa"] = commune.code
    return reverse("admin:registrations_progress_bulk") + "?" + urlencode(query)


class _Form(HTMLParser):
    """The enabled fields of the page's POST form, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.data, self.inside, self.textarea = {}, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post":
            self.inside = True
        if not self.inside or "disabled" in attrs or "name" not in attrs:
            return
        if tag == "input" and attrs.get("type") != "submit":
            self.data[attrs["name"]] = attrs.get("value") or ""
        if tag == "textarea":
            self.textarea = attrs["name"]
            self.data[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        if tag == "form":
            self.inside = False


def form_data(response):
    parser = _Form()
    parser.feed(response.content.decode())
    return parser.data


def cell(unit, indicator):
    return f"v-{unit.pk}-{indicator.pk}"


def preview(client, url, page, **fields):
    """Post the page's form with ``fields`` changed and "Xem trước" pressed."""
    return client.post(url, {**form_data(page), **fields, "_xem": "Xem trước"})


def save(client, url, preview_page):
    """Press "Lưu" on a preview."""
    return client.post(url, {**form_data(preview_page), "_luu": "Lưu"})
