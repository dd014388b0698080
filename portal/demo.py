"""The demo district (huyện Đông Sơn, Q1/2017) for `manage.py load_demo`.

Units, the catalogue, registrations and progress (Q3/2016 to Q4/2017) are data files
in the contract's formats (``units/demo_data/``, ``registrations/demo_data/``),
loaded through the project's own importer exactly as district staff would load
theirs; the merger of xã Đông Anh into xã Đông Khê travels in the units file.
The other apps seed their own rows (``news.demo``, ``polls.demo``,
``registrations.demo``, ``heads.demo``: the units' heads from their file, through
the importer, and a log of reminders); this module, at the top of the app graph,
runs them in order and adds what needs several apps at once: the poll's choices
named after the news sections, the visit counter's opening figures, the Q1/2017
briefing drafted from the figures, and today's programme (next year's
registrations, this quarter's unit reports in every state). Every step is
idempotent: a second run changes nothing.
"""

import datetime
import hashlib
import re
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError
from django.utils import timezone

from doclibrary import demo as doclibrary_demo
from heads import demo as heads_demo
from heads.services import invitations_held
from imports.services import KIND_LABELS, import_file
from kieumau.dates import VIETNAM
from news import demo as news_demo
from news.models import Article, Section
from news.services import publish_article
from polls import demo as polls_demo
from recognition import demo as recognition_demo
from registrations import demo as registrations_demo
from registrations.briefing import draft_briefing

from .counter import forget_stats, visit_day
from .models import DailyVisits, VisitCounterSettings

# (kind, app whose demo_data/ holds the file, file name), in the order of loading.
DATA_FILES = [
    ("units", "units", "units.csv"),
    ("criteria", "registrations", "criteria.csv"),
    ("registrations", "registrations", "registrations.csv"),
    ("progress", "registrations", "progress.csv"),
    # The rest of 2017, so that its appraisal and recognition have their data.
    ("progress", "registrations", "progress_2017_q2_q4.csv"),
    # Q1–Q2/2018 after the recognition: Thôn 3 (Đông Khê) falls back, the preschool
    # of Đông Xuân in Q2, Phòng Văn hóa và Thông tin reports nothing (maintenance).
    ("progress", "recognition", "progress_2018.csv"),
]
# The demo's quarters are long locked: a progress supervisor imports them, as
# district staff would (`import_data progress … --user giamsat`). The account has
# no usable password; it stands for the district office in the demo's history.
OFFICE_USERNAME = "giamsat.demo"
OFFICE_GROUPS = ["Cán bộ huyện", "Giám sát tiến độ"]
# The heads who report the demo's current quarter, as one stand-in account.
HEAD_USERNAME = "truong.demo"
NEXT_YEAR_FILE = "dang-ky-nam-sau.csv"
# The open poll's choices are the sections of the news demo, by their current names.
POLL_SECTION_SLUGS = ["tin-tuc-su-kien", "xay-dung-kieu-mau", "thong-bao"]
OPENING_TOTAL = 924631
DEMO_DAYS = 45
BRIEFING_PUBLISHED_AT = (2017, 3, 21, 1, 19, 57)  # the seed page's publication time


def data_file(app_label, name):
    return Path(apps.get_app_config(app_label).path) / "demo_data" / name


def _stand_in(username, first_name, groups):
    """A demo account without a usable password, standing for a person."""
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": "(demo)"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(*Group.objects.filter(name__in=groups))
    # A fresh instance: permissions are cached on the object at their first check.
    return get_user_model().objects.get(pk=user.pk)


def _import(kind, *, content, filename, user, stdout):
    """Import one demo file; any refused row stops the whole demo."""
    report = import_file(kind=kind, content=content, filename=filename, user=user)
    if not report.ok:
        lines = "\n".join(report.error_lines())
        raise CommandError(f"Tệp mẫu {filename} không nhập được:\n{lines}")
    stdout.write(f"{KIND_LABELS[kind]} ({filename}): {report.summary()}")


def import_data_files(*, stdout, office):
    """Import the demo's four files, then next year's registrations."""
    for kind, app_label, name in DATA_FILES:
        path = data_file(app_label, name)
        _import(
            kind,
            content=path.read_bytes(),
            filename=path.name,
            user=office if kind == "progress" else None,
            stdout=stdout,
        )
        if kind == "criteria":
            registrations_demo.set_title_validity()
    registrations_demo.accept_registrations(by=office, stdout=stdout)
    # Made for the year after today's, so that the demo always has a year ahead.
    _import(
        "registrations",
        content=registrations_demo.next_year_registrations(),
        filename=NEXT_YEAR_FILE,
        user=office,
        stdout=stdout,
    )


def poll_choices():
    """The news sections' names where they exist, else the poll's own wording."""
    found = dict(
        Section.objects.filter(slug__in=POLL_SECTION_SLUGS).values_list("slug", "name")
    )
    return [
        found.get(slug, default)
        for slug, default in zip(
            POLL_SECTION_SLUGS, polls_demo.OPEN_CHOICES, strict=True
        )
    ]


def _plausible_hits(day):
    """A stable, plausible number of page views for ``day`` (weekdays busier)."""
    noise = int(hashlib.sha256(day.isoformat().encode()).hexdigest()[:6], 16) % 900
    return (1700 if day.weekday() < 5 else 950) + noise


def seed_counter(*, stdout, now=None):
    """The old site's visit total and plausible recent days; real counts stay."""
    now = now or timezone.now()
    settings_row = VisitCounterSettings.load()
    if not settings_row.opening_total:
        settings_row.opening_total = OPENING_TOTAL
        settings_row.note = (
            "Tổng lượt truy cập của trang web cũ khi chuyển sang cổng này."
        )
        settings_row.save()
    today = visit_day(now)
    rows = [
        DailyVisits(
            day=today - timedelta(days=n),
            hits=_plausible_hits(today - timedelta(days=n)),
        )
        for n in range(1, DEMO_DAYS + 1)
    ]
    # Today so far: a share of a day, so the widget is not empty on first start.
    rows.append(DailyVisits(day=today, hits=_plausible_hits(today) // 4))
    # Existing days (real counts) are left alone.
    DailyVisits.objects.bulk_create(rows, ignore_conflicts=True)
    forget_stats(now)
    total = f"{OPENING_TOTAL:,}".replace(",", ".")
    stdout.write(f"Bộ đếm truy cập: tổng ban đầu {total}.")


def publish_briefing(*, stdout):
    """Draft the Q1/2017 briefing with the report action and publish it (once)."""
    if Article.objects.filter(is_briefing=True, title__endswith="quý I/2017").exists():
        return
    editor = _stand_in("bientap.demo", "Biên tập", ["Biên tập viên"])
    article = draft_briefing(year=2017, quarter=1, by=editor)
    # The editor's finishing touch: the draft's reminder note goes, a credit comes.
    article.body = re.sub(r"<p><em>Bản nháp.*?</em></p>", "", article.body)
    article.credit = "Minh Ánh, Mạnh Cường"
    article.is_featured = True
    when = datetime.datetime(*BRIEFING_PUBLISHED_AT, tzinfo=VIETNAM)
    publish_article(article=article, by=editor, at=when)
    stdout.write(f"Tin giao ban: {article.title}")


def load(*, stdout):
    """Load the whole demo district, app by app (the caller holds a transaction)."""
    office = _stand_in(OFFICE_USERNAME, "Giám sát", OFFICE_GROUPS)
    import_data_files(stdout=stdout, office=office)
    news_demo.load(stdout=stdout)
    doclibrary_demo.load_documents(stdout=stdout)
    polls_demo.load(stdout=stdout, open_choices=poll_choices())
    seed_counter(stdout=stdout)
    publish_briefing(stdout=stdout)
    recognition_demo.load(stdout=stdout, office=office)
    head = _stand_in(HEAD_USERNAME, "Trưởng đơn vị", ["Trưởng đơn vị"])
    registrations_demo.load_self_reports(head=head, office=office, stdout=stdout)
    load_unit_heads(stdout=stdout, office=office)


def load_unit_heads(*, stdout, office):
    """The units' heads from their file, invitations held; the reminders' log."""
    path = data_file("heads", heads_demo.HEADS_FILE)
    # The demo's accounts wait for the daily run (send_reminders --dry-run lists
    # their invitations) instead of filling the console at every load.
    with invitations_held():
        _import(
            "heads",
            content=path.read_bytes(),
            filename=path.name,
            user=office,
            stdout=stdout,
        )
    heads_demo.load_reminder_log(stdout=stdout)
