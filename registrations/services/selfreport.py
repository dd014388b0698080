"""A unit's own quarterly report: save a draft, submit, return, resubmit, accept.

The states and who moves them are described in ``registrations.models.selfreport``.
Every transition claims the report's version with a conditional ``UPDATE … WHERE
version = expected AND state IN (…)``, so a screen saved from a stale copy, or a
transition that someone else made impossible meanwhile, is refused with a
Vietnamese message instead of overwriting. Who may call which function (the
unit's heads, district staff) is the views' business, as for ``save_quarter``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kieumau.concurrency import StaleVersionError
from kieumau.dates import vietnam_today
from kieumau.text import nfc

from .. import periods
from ..models import Indicator, QuarterReport, QuarterSheet, ReportedValue, ReportState
from .lifecycle import check_year
from .progress import _write_quarter, indicators_for_unit
from .report_window import unit_edit_refusal
from .values import display_user, parse_value

S = ReportState

# Which states each transition may start from, and where it leads. "resubmit" is
# submit_report on a returned report; "return" from returned changes the reasons
# or moves the deadline.
TRANSITIONS = {
    "save_draft": ({S.DRAFT, S.RETURNED}, None),
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "resubmit": ({S.RETURNED}, S.SUBMITTED),
    "return": ({S.SUBMITTED, S.RETURNED}, S.RETURNED),
    "accept": ({S.SUBMITTED}, S.ACCEPTED),
}
ACCEPT_REASON = "duyệt báo cáo đơn vị; người nộp: {}"  # Progress history reason
MAX_TEXT = 2000  # an explanation or a reason, in characters


class IncompleteReportError(ValidationError):
    """A report cannot be submitted; ``problems`` maps indicator ids to messages."""

    def __init__(self, problems, indicators):
        self.problems = problems
        super().__init__(
            [
                f"{indicators[pk].code} — {indicators[pk].name}: {'; '.join(msgs)}"
                for pk, msgs in problems.items()
            ],
            code="incomplete",
        )


def _indicator_map(unit):
    indicators = {ind.pk: ind for ind in indicators_for_unit(unit)}
    if not indicators:
        raise ValidationError(
            _("Đơn vị chưa có đăng ký đang hiệu lực, không có chỉ tiêu để báo cáo."),
            code="no_registration",
        )
    return indicators


def _indicator_id(key, allowed):
    try:
        pk = key.pk if isinstance(key, Indicator) else int(key)
    except (TypeError, ValueError):
        pk = None
    if pk not in allowed:
        raise ValidationError(
            _("Chỉ tiêu không thuộc danh hiệu đơn vị đã đăng ký."),
            code="foreign_indicator",
        )
    return pk


def _text(value):
    text = nfc(value or "")
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("Nội dung dài quá %(n)s ký tự.") % {"n": MAX_TEXT}, code="too_long"
        )
    return text


def _claim(report, name, expected_version, by, **fields):
    """Move ``report`` along ``name`` if still at ``expected_version``, and save."""
    sources, target = TRANSITIONS[name]
    claimed = QuarterReport.objects.filter(
        pk=report.pk, version=expected_version, state__in=sources
    ).update(version=F("version") + 1)
    current = QuarterReport.objects.get(pk=report.pk)
    if not claimed:
        if current.state not in sources:
            raise ValidationError(
                _("Không thể %(action)s báo cáo đang ở trạng thái “%(state)s”.")
                % {"action": ACTIONS[name], "state": S(current.state).label},
                code="invalid_transition",
            )
        raise StaleVersionError(
            _(
                "Báo cáo %(q)s của %(unit)s vừa được người khác thay đổi sau khi bạn "
                "mở trang. Không có gì bị ghi đè; hãy tải lại trang rồi làm lại."
            )
            % {
                "q": periods.label(report.year, report.quarter),
                "unit": report.unit.name,
            },
            code="stale",
        )
    if target is not None:
        current.state = target
    for field, value in fields.items():
        setattr(current, field, value)
    current.updated_by = by
    current._history_user = by
    current.save()
    return current


ACTIONS = {
    "save_draft": gettext_lazy("lưu"),
    "submit": gettext_lazy("nộp"),
    "resubmit": gettext_lazy("nộp lại"),
    "return": gettext_lazy("trả lại"),
    "accept": gettext_lazy("duyệt"),
}


def _fresh(report, *, lock=False):
    """The report as stored now (a screen's copy may be stale).

    ``lock``: hold its row until the transaction ends, so that evidence added or
    deleted meanwhile (``registrations.evidence``, which locks the same row) waits
    for a submission's checks, or is refused after it.
    """
    reports = QuarterReport.objects.select_related("unit")
    if lock:
        reports = reports.select_for_update(of=("self",))
    return reports.get(pk=report.pk)


def _refuse_unit_edit(report, unit, year, quarter):
    refusal = unit_edit_refusal(unit=unit, year=year, quarter=quarter, report=report)
    if refusal:
        raise ValidationError(refusal, code="closed")


@transaction.atomic
def save_report_draft(
    *, unit, year, quarter, values, expected_version, by, explanations=None
):
    """Save the unit's values and explanations as they stand; any number of times.

    ``values`` and ``explanations`` map indicators (or ids) to what was typed;
    indicators left out are left alone, an empty value clears it. A new report
    starts at version 0. Returns the report with its new version.
    """
    check_year(year)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Quý phải từ 1 đến 4."), code="quarter")
    explanations = explanations or {}
    report = QuarterReport.objects.filter(unit=unit, year=year, quarter=quarter).first()
    _refuse_unit_edit(report, unit, year, quarter)
    allowed = _indicator_map(unit)
    parsed, texts, errors = {}, {}, {}
    for key, raw in values.items():
        pk = _indicator_id(key, allowed)
        try:
            parsed[pk] = parse_value(allowed[pk], raw)
        except ValidationError as exc:
            errors[allowed[pk].code] = exc.messages
    for key, raw in explanations.items():
        pk = _indicator_id(key, allowed)
        try:
            texts[pk] = _text(raw)
        except ValidationError as exc:
            errors[allowed[pk].code] = exc.messages
    if errors:
        raise ValidationError(
            [f"{code}: {'; '.join(msgs)}" for code, msgs in errors.items()],
            code="invalid",
        )
    if report is None:
        report, _created = QuarterReport.objects.get_or_create(
            unit=unit, year=year, quarter=quarter
        )
    report = _claim(report, "save_draft", expected_version, by)
    stored = {
        rv.indicator_id: rv for rv in report.values.filter(indicator__in=list(allowed))
    }
    for pk in parsed.keys() | texts.keys():
        row = stored.get(pk) or ReportedValue(report=report, indicator_id=pk)
        new_value = parsed.get(pk, row.value)
        new_text = texts.get(pk, row.explanation)
        if row.pk is not None and (row.value, row.explanation) == (new_value, new_text):
            continue
        row.value, row.explanation = new_value, new_text
        row.updated_by = by
        row._history_user = by
        row.save()
    return report


def _problems(report, indicators):
    """What keeps the report from being submitted, per indicator id."""
    stored = {
        rv.indicator_id: rv
        for rv in report.values.filter(indicator__in=list(indicators)).annotate(
            n_evidence=Count("evidence")
        )
    }
    problems = {}
    for pk, indicator in indicators.items():
        row = stored.get(pk)
        if row is None or row.value is None:
            problems[pk] = [_("chưa nhập giá trị")]
        elif not row.explanation:
            if not indicator.is_met(row.value):
                problems[pk] = [_("chưa đạt mục tiêu: cần giải trình")]
            elif not row.n_evidence:
                problems[pk] = [
                    _("chưa có minh chứng: cần tải minh chứng hoặc giải trình")
                ]
    return problems


@transaction.atomic
def submit_report(*, report, expected_version, by):
    """Submit a draft, or resubmit a returned report, for staff's review.

    Every indicator needs a value, and an explanation when the value misses its
    target or has no evidence (the online scoring systems' "evidence or explain").
    """
    report = _fresh(report, lock=True)
    _refuse_unit_edit(report, report.unit, report.year, report.quarter)
    indicators = _indicator_map(report.unit)
    problems = _problems(report, indicators)
    if problems:
        raise IncompleteReportError(problems, indicators)
    name = "resubmit" if report.state == S.RETURNED else "submit"
    return _claim(
        report,
        name,
        expected_version,
        by,
        submitted_at=timezone.now(),
        submitted_by=by,
    )


@transaction.atomic
def return_report(*, report, reasons, deadline, expected_version, by, note=""):
    """Send a submitted report back: a reason per returned indicator, a deadline.

    Also on a report already returned, to change the reasons or move the deadline.
    """
    report = _fresh(report)
    indicators = _indicator_map(report.unit)
    texts, errors = {}, []
    for key, raw in reasons.items():
        pk = _indicator_id(key, indicators)
        text = _text(raw)
        if text:
            texts[pk] = text
    if not texts:
        errors.append(_("Cần ghi lý do trả lại cho ít nhất một chỉ tiêu."))
    if not isinstance(deadline, datetime.date):
        errors.append(_("Cần chọn hạn nộp lại."))
    elif deadline < vietnam_today():
        errors.append(_("Hạn nộp lại không được ở quá khứ."))
    if errors:
        raise ValidationError(errors, code="invalid_return")
    report = _claim(
        report,
        "return",
        expected_version,
        by,
        returned_at=timezone.now(),
        returned_by=by,
        return_deadline=deadline,
        return_note=_text(note),
    )
    stored = {rv.indicator_id: rv for rv in report.values.all()}
    for pk in stored.keys() | texts.keys():
        row = stored.get(pk) or ReportedValue(report=report, indicator_id=pk)
        reason = texts.get(pk, "")
        if row.pk is not None and row.return_reason == reason:
            continue
        row.return_reason = reason
        row.updated_by = by
        row._history_user = by
        row.save()
    return report


@transaction.atomic
def accept_report(*, report, expected_version, by, sheet_version=None, loaded_at=None):
    """Accept a submitted report: its values become the quarter's official progress.

    Also after the quarter's lock (the report came in before it). The progress
    history names the staff member who accepted (its user) and who reported (its
    reason). ``sheet_version``, the quarter sheet's version the review screen
    showed, refuses the acceptance if staff changed the values meanwhile.
    """
    report = _claim(
        report,
        "accept",
        expected_version,
        by,
        accepted_at=timezone.now(),
        accepted_by=by,
    )
    indicators = _indicator_map(report.unit)
    # Normalised: a yes/no value is stored as 1.0000, and typed as 1.
    values = {
        pk: value.normalize()
        for pk, value in report.values.filter(
            indicator__in=list(indicators), value__isnull=False
        ).values_list("indicator_id", "value")
    }
    if sheet_version is None:
        sheet_version = (
            QuarterSheet.objects.filter(
                unit=report.unit, year=report.year, quarter=report.quarter
            )
            .values_list("version", flat=True)
            .first()
        ) or 0
    reporter = display_user(report.submitted_by)
    _write_quarter(
        unit=report.unit,
        year=report.year,
        quarter=report.quarter,
        values=values,
        expected_version=sheet_version,
        by=by,
        loaded_at=loaded_at,
        reason=ACCEPT_REASON.format(reporter)[:100],
    )
    return report
