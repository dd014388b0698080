"""Third-party admin screens speak Vietnamese (the project catalog, locale/vi)."""

import ast
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from tests.conftest import login
from tests.news.helpers import make_article

LOCALE = Path(settings.BASE_DIR) / "locale" / "vi" / "LC_MESSAGES"


def _entries(po):
    """(context, msgid, is plural, msgstr) of each entry of a .po without wrapping."""
    entry = {}
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        match = re.match(
            r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[0\])?) (\".*\")$", line
        )
        if match:
            entry[match.group(1)] = ast.literal_eval(match.group(2))
        elif not line.strip() and entry:
            if entry.get("msgid"):
                yield (
                    entry.get("msgctxt"),
                    entry["msgid"],
                    "msgid_plural" in entry,
                    entry.get("msgstr", entry.get("msgstr[0]")),
                )
            entry = {}


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalog_is_in_step_with_the_po_file(domain):
    """Forgetting to recompile the .mo after editing the .po fails here."""
    from django.utils.translation.trans_real import DjangoTranslation

    catalog = DjangoTranslation("vi", domain=domain)
    entries = list(_entries(LOCALE / f"{domain}.po"))
    assert len(entries) > 20
    for context, msgid, plural, msgstr in entries:
        if plural:
            got = catalog.ngettext(msgid, msgid + "s", 1)
        elif context:
            got = catalog.pgettext(context, msgid)
        else:
            got = catalog.gettext(msgid)
        assert got == msgstr, msgid


def test_the_sign_in_lockout_screens_are_in_vietnamese(client, superuser):
    attempt = AccessAttempt.objects.create(
        username="canbo",
        ip_address="10.0.0.1",
        user_agent="Firefox",
        path_info="/dang-nhap/",
        failures_since_start=2,
        attempt_time=timezone.now(),
    )
    log = AccessLog.objects.create(
        username="canbo", ip_address="10.0.0.1", attempt_time=timezone.now()
    )
    login(client, superuser)
    pages = [
        reverse("admin:index"),
        reverse("admin:axes_accessattempt_changelist"),
        reverse("admin:axes_accessattempt_change", args=[attempt.pk]),
        reverse("admin:axes_accesslog_changelist"),
        reverse("admin:axes_accesslog_change", args=[log.pk]),
        reverse("admin:axes_accessfailurelog_changelist"),
    ]
    html = "".join(client.get(url).content.decode() for url in pages)
    for english in [
        "Attempted Access",
        "Access Log for",
        "Access attempts",
        "Access logs",
        "IP Address",
        "Attempt Time",
        ">Status<",
        "Attempt Remaining",
        "Clean up expired attempts",
        ">Axes<",
    ]:
        assert english not in html, english
    for vietnamese in [
        "Khóa đăng nhập sai",
        "Địa chỉ IP",
        "còn 3 lần thử",
        "Đăng nhập sai: canbo",
        "Xóa các lượt đăng nhập sai đã hết hạn",
    ]:
        assert vietnamese in html, vietnamese


def test_clean_up_action_deletes_expired_attempts_and_reports_in_vietnamese(
    client, superuser
):
    login(client, superuser)  # a sign-in cleans up too: sign in first
    old = AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.2", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=old.pk).update(
        attempt_time=timezone.now() - timedelta(days=1)
    )
    recent = AccessAttempt.objects.create(
        username="y", ip_address="10.0.0.3", failures_since_start=1
    )
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {
            "action": "cleanup_expired_attempts",
            "_selected_action": list(
                AccessAttempt.objects.values_list("pk", flat=True)
            ),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Đã xóa 1 lượt đăng nhập sai đã hết hạn." in response.content.decode()
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]


def test_permissions_are_named_in_vietnamese(client, superuser):
    login(client, superuser)
    for url in [
        reverse("admin:auth_group_add"),
        reverse("admin:auth_user_change", args=[superuser.pk]),
    ]:
        html = client.get(url).content.decode()
        assert "Can add" not in html
        assert "Can view" not in html
        assert "Đơn vị | đơn vị | Thêm đơn vị" in html


def test_history_screens_name_the_app_and_columns_in_vietnamese(client, superuser):
    article = make_article()
    record = article.history.first()
    login(client, superuser)
    html = client.get(
        reverse("admin:news_article_simple_history", args=[article.pk, record.pk])
    ).content.decode()
    assert ">Tin tức</a>" in html
    assert ">News</a>" not in html
    assert "Khôi phục" in html


def test_the_admin_greets_by_the_full_vietnamese_name(client, district_staff):
    # Family name first: Django's short name (first_name) would be just "Lê".
    district_staff.first_name, district_staff.last_name = "Lê", "Thị Hà"
    district_staff.save()
    login(client, district_staff)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Xin chào, <strong>Lê Thị Hà</strong>." in html
    assert "Welcome" not in html and "Chào mừng bạn" not in html


# English words the admin's own screens would show if a string escaped
# translation. Short words that are also Vietnamese ("in", "to", "no", "an") are
# left out; technical names kept in Vietnamese text (CSV, HTML, SSO, IP, email,
# "User-Agent") are not English sentences and are not listed.
ENGLISH = {
    "action", "actions", "add", "administration", "all", "and", "application",
    "applications", "available", "by", "change", "changes", "choose", "chosen",
    "clear", "delete", "documentation", "edit", "false", "filter", "go", "groups",
    "history", "home", "log", "model", "models", "none", "object", "objects", "of",
    "password", "permissions", "recent", "remove", "results", "save", "search",
    "select", "selected", "show", "site", "staff", "status", "superuser", "the",
    "theme", "toggle", "total", "true", "user", "users", "view", "welcome", "yes",
}  # fmt: skip
# Attributes a visitor reads or hears (tooltips, screen readers, empty fields).
READ_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder"}


class _ReadableText(HTMLParser):
    """Text nodes and read attributes of a page, scripts and styles left out."""

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.hidden += 1
        attributes = dict(attrs)
        # Django writes a boolean column's icon with the Python value as its alt
        # (admin_list's icon, no translation hook): outside the catalogue's reach.
        if "/admin/img/icon-" in (attributes.get("src") or ""):
            attributes.pop("alt", None)
        for name, value in attributes.items():
            if value and (
                name in READ_ATTRIBUTES
                or (name == "value" and attributes.get("type") in ("submit", "button"))
            ):
                self.parts.append(f"[{name}] {value}")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _english_in(html):
    """Each readable line holding an English word, with the word."""
    parser = _ReadableText()
    parser.feed(html)
    found = []
    for part in parser.parts:
        # A row without a name of its own (the link rows Django makes for a
        # many-to-many field, listed on delete pages) shows Model.__str__'s
        # "Group_permissions object (9)": a row's name, not a string to translate.
        part = re.sub(r"\b\w+ object \(\d+\)", "", part)
        # Whole ASCII words only: "User-Agent" or "admin_extra" are not words here.
        for word in re.findall(r"(?<![\w-])[A-Za-z]+(?![\w-])", part):
            if word.lower() in ENGLISH:
                found.append(f"{word!r} in {part.strip()[:100]!r}")
    return found


def _admin_pages(request):
    """The index, each app's page, and each model's list, add, change, history
    and delete pages (for its first row), as the index links them."""
    pages = [reverse("admin:index")]
    for app in admin.site.get_app_list(request):
        pages.append(app["app_url"])
        for entry in app["models"]:
            pages += [entry.get("admin_url"), entry.get("add_url")]
            model = entry["model"]
            row = model._default_manager.order_by("pk").first()
            if row is not None and entry.get("admin_url"):
                opts = model._meta
                for view in ("change", "history", "delete"):
                    pages.append(
                        reverse(
                            f"admin:{opts.app_label}_{opts.model_name}_{view}",
                            args=[row.pk],
                        )
                    )
    return [page for page in pages if page]


def test_admin_pages_show_no_english_words_not_even_in_titles(client, superuser, rf):
    from tests import factories
    from tests.polls.conftest import make_question

    unit = factories.make_unit("XA-1", kind="xa", name="Xã Đông Khê")
    title = factories.make_catalogue(kind="xa")
    factories.make_registration(unit, title, year=2017)
    make_article()
    make_question()
    AccessAttempt.objects.create(
        username="canbo", ip_address="10.0.0.1", failures_since_start=1
    )
    login(client, superuser)
    request = rf.get("/")
    request.user = superuser

    found = []
    pages = _admin_pages(request)
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        found += [f"{page}: {line}" for line in _english_in(response.content.decode())]

    assert len(pages) > 40
    assert not found, "\n".join(found)


def test_the_english_scan_reads_title_attributes():
    assert _english_in('<a title="Các mô models trong Tin tức">Tin tức</a>')
    assert _english_in('<img src="/s/search.svg" alt="Search">')
    assert not _english_in('<a title="Các mục trong phần Tin tức">Tin tức</a>')
    assert not _english_in("<p>Trình duyệt (User-Agent), tệp CSV, thư email</p>")
