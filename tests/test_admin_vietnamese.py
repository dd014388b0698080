"""Third-party admin screens speak Vietnamese (the project catalog, locale/vi)."""

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
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
