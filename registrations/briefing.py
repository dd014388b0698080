"""A drafted quarterly briefing (giao ban) article from the quarter's figures.

The text is written from ``figures.quarter_report`` only; an editor completes it
(speakers, decisions of the meeting) and publishes it from the admin.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from news.models import Article, ArticleStatus, Section

from . import figures, periods
from .xlsx import kind_rows

SECTION_SLUG = "xay-dung-kieu-mau"
SECTION_NAME = "Xây dựng con người, cơ quan, đơn vị kiểu mẫu"
LAGGING_SHOWN = 3
NOT_MET_NAMED = 5  # units named under a lagging criterion, each linked to its page


def unit_url(code, criterion_id=None):
    """The unit's public page (relative), at one criterion's row if given."""
    url = reverse("registrations:unit", args=[code])
    return f"{url}#tieu-chi-{criterion_id}" if criterion_id else url


def quarter_phrase(year, quarter):
    """'quý I/2017' (inside a sentence)."""
    return periods.label(year, quarter).replace("Quý", "quý", 1)


def percent(fraction_rounded):
    """0.245 -> '24,5%' (Vietnamese decimal comma)."""
    return f"{fraction_rounded * 100:.1f}".replace(".", ",") + "%"


def _trend(before, now, unit=""):
    if now > before:
        return f"tăng từ {before}{unit} lên {now}{unit}"
    if now < before:
        return f"giảm từ {before}{unit} xuống {now}{unit}"
    return f"giữ nguyên ở mức {now}{unit}"


def _registrations(report):
    rows = kind_rows(report.by_kind)
    schools = rows[3:]
    items = format_html_join(
        "",
        "<li>{}: <strong>{}</strong></li>",
        ((label, count) for label, count in rows[:3]),
    )
    school_total = sum(count for _, count in schools)
    school_detail = ", ".join(
        f"{label.removeprefix('Trường ')} {count}" for label, count in schools
    )
    return format_html(
        "<h2>Đăng ký hoàn thành trong năm {year}</h2>"
        "<p>Tính đến hết {period}, có <strong>{total}</strong> đơn vị cam kết đạt "
        "danh hiệu kiểu mẫu ngay trong năm {year}, cụ thể:</p>"
        "<ul>{items}<li>Trường học: <strong>{schools}</strong> ({detail})</li></ul>",
        year=report.year,
        period=quarter_phrase(report.year, report.quarter),
        total=report.total_registrations,
        items=items,
        schools=school_total,
        detail=school_detail,
    )


def _ahead(report):
    if not report.ahead:
        return mark_safe(
            "<p>Chưa có đơn vị nào đăng ký về đích sớm hơn lộ trình của huyện.</p>"
        )
    names = format_html_join(
        ", ",
        '<a href="{}"><strong>{}</strong></a>',
        ((unit_url(u.code), u.name) for u in report.ahead),
    )
    return format_html(
        "<p>Có {count} đơn vị chủ động chọn năm hoàn thành sớm hơn lộ trình huyện "
        "đã định: {names}.</p>",
        count=len(report.ahead),
        names=names,
    )


def _lagging(report):
    lagging = [c for c in report.current.criteria if c.met < c.registrations]
    if not lagging:
        return mark_safe(
            "<h2>Các tiêu chí cần tập trung</h2>"
            "<p>Mọi tiêu chí đều đã được các đơn vị đăng ký đáp ứng.</p>"
        )
    dashboard = reverse("registrations:dashboard-year", args=[report.year])
    items = format_html_join(
        "",
        '<li><a href="{}"><strong>{}</strong></a> ({}): {}/{} đơn vị đạt, tỷ lệ {}'
        "{}</li>",
        (
            (
                f"{dashboard}?quy={report.quarter}",
                c.name,
                c.title_name,
                c.met,
                c.registrations,
                percent(c.rate_rounded),
                _not_met(c),
            )
            for c in lagging[:LAGGING_SHOWN]
        ),
    )
    return format_html(
        "<h2>Các tiêu chí cần tập trung</h2>"
        "<p>Những tiêu chí có tỷ lệ đơn vị đạt thấp nhất, cần được ưu tiên "
        "nguồn lực trong quý tới:</p><ol>{}</ol>",
        items,
    )


def _not_met(rate):
    """ "; chưa đạt: A, B và N đơn vị khác", each unit linked to its criterion's row."""
    units = rate.not_met_units
    if not units:
        return ""
    names = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((unit_url(u.code, rate.criterion_id), u.name) for u in units[:NOT_MET_NAMED]),
    )
    more = len(units) - NOT_MET_NAMED
    if more > 0:
        return format_html("; chưa đạt: {} và {} đơn vị khác", names, more)
    return format_html("; chưa đạt: {}", names)


def _comparison(report):
    totals = report.totals()
    before, now = totals["previous"], totals["current"]
    return format_html(
        "<h2>So với {previous}</h2>"
        "<p>Số lượt tiêu chí đạt {met}; tỷ lệ tiêu chí đạt chung {rate}; "
        "số đơn vị đã đạt đủ mọi tiêu chí {complete}.</p>",
        previous=quarter_phrase(*report.previous.as_of),
        met=_trend(before["criteria_met"], now["criteria_met"]),
        rate=_trend(percent(before["rate"]), percent(now["rate"])),
        complete=_trend(before["units_complete"], now["units_complete"]),
    )


def briefing_html(report):
    """The draft's body: paragraphs, lists and headings the news sanitiser keeps."""
    return (
        _registrations(report)
        + _ahead(report)
        + _lagging(report)
        + _comparison(report)
        + mark_safe(
            "<p><em>Bản nháp lập tự động từ số liệu tiến độ; biên tập viên bổ sung "
            "ý kiến chỉ đạo của hội nghị trước khi đăng.</em></p>"
        )
    )


@transaction.atomic
def draft_briefing(*, year, quarter, by):
    """Create an unpublished briefing article stating the quarter's figures."""
    section, _ = Section.objects.get_or_create(
        slug=SECTION_SLUG, defaults={"name": SECTION_NAME}
    )
    report = figures.quarter_report(year, quarter)
    period = quarter_phrase(year, quarter)
    return Article.objects.create(
        title=f"Giao ban tiến độ xây dựng kiểu mẫu {period}",
        lead=(
            f"Kết quả đăng ký và thực hiện tiêu chí kiểu mẫu của các cơ quan, xã, "
            f"thôn, khu phố và trường học tính đến hết {period}."
        ),
        body=briefing_html(report),
        section=section,
        status=ArticleStatus.DRAFT,
        published_at=None,
        is_briefing=True,
        created_by=by,
    )
