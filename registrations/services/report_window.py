"""When a unit may change its own quarterly report, and when it is late.

A unit reports quarter Q from its first day until the quarter locks
(``PROGRESS_LOCK_DAYS`` after its end, ``registrations.periods``); a report
returned by staff may be changed and resubmitted until the end of its deadline,
before or after the lock. Everything else is read-only for the unit.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from kieumau.dates import vietnam_now

from .. import periods
from ..models import ReportState

S = ReportState


def _fmt_day(day):
    return f"{day:%d/%m/%Y}"


def _when(moment):
    moment = vietnam_now(moment)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def unit_edit_refusal(*, unit, year, quarter, report=None, now=None):
    """Why the unit may not change its report now; None when it may.

    Open from the quarter's first day until the lock; a returned report until the
    end of its deadline, lock or no lock; submitted and accepted ones never.
    """
    now = now or timezone.now()
    label = periods.label(year, quarter)
    state = report.state if report is not None else None
    if state == S.SUBMITTED:
        return _(
            "Báo cáo %(q)s đã nộp, đang chờ duyệt; chỉ sửa được khi bị trả lại."
        ) % {"q": label}
    if state == S.ACCEPTED:
        return _("Báo cáo %(q)s đã được duyệt; số liệu không sửa được nữa.") % {
            "q": label
        }
    if state == S.RETURNED:
        if now < periods.end_of_day(report.return_deadline):
            return None
        return _(
            "Đã quá hạn nộp lại báo cáo %(q)s (hạn ngày %(day)s); hãy liên hệ cán bộ "
            "huyện để được gia hạn."
        ) % {"q": label, "day": _fmt_day(report.return_deadline)}
    if now < periods.start_moment(year, quarter):
        return _("%(q)s chưa bắt đầu; đơn vị báo cáo từ ngày %(day)s.") % {
            "q": label,
            "day": _fmt_day(periods.first_day(year, quarter)),
        }
    if periods.is_locked(year, quarter, now):
        return _(
            "%(q)s đã khóa từ %(when)s mà báo cáo chưa được nộp; báo cáo chỉ còn "
            "để xem."
        ) % {"q": label, "when": _when(periods.lock_moment(year, quarter))}
    return None


def is_late(*, year, quarter, report=None, now=None):
    """Late (quá hạn): returned past its deadline, or not submitted by the lock."""
    now = now or timezone.now()
    state = report.state if report is not None else None
    if state == S.RETURNED:
        return now >= periods.end_of_day(report.return_deadline)
    return state in (None, S.DRAFT) and periods.is_locked(year, quarter, now)
