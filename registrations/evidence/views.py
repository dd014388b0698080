"""Evidence of a unit's self-report: upload one file or link, delete one, open one.

Upload and delete work as plain forms (a page comes back) and from the page's
script (``static/js/evidence.js``, which asks for JSON and swaps in the
indicator's refreshed list). Who may do what: ``access``; what a file may be:
``content``; the writes: ``services``; the answers carrying a file: ``serving``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .. import periods
from .. import services as registration_services
from ..models import YEAR_MAX, YEAR_MIN, Evidence
from . import access, content, services, serving
from .storage import thumbnail_name

MAX_ID = 2**63 - 1  # larger ids cannot be in the database (PostgreSQL bigint)


class SizeLimitUploadHandler(FileUploadHandler):
    """Drops a file larger than the limit while it arrives, instead of storing it.

    nginx refuses such bodies first; this keeps the app safe without nginx and
    lets it answer in Vietnamese (the form's other fields are still read).
    """

    def __init__(self, request, max_bytes):
        super().__init__(request)
        self.max_bytes = max_bytes

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self.request.evidence_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def _check_ids(*ids):
    if any(value > MAX_ID for value in ids):
        raise Http404


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _back_url(request, unit, year, quarter, indicator):
    """Where a plain form goes back to: the page it came from, at the indicator."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("registrations:selfreport", args=[unit.code, year, quarter])
    return f"{target.split('#', 1)[0]}#ct-{indicator.pk}"


def list_context(*, unit, year, quarter, indicator, can_upload, back):
    """The include's variables for one indicator (``evidence_list.html``)."""
    evidence = list(
        Evidence.objects.filter(
            reported_value__report__unit=unit,
            reported_value__report__year=year,
            reported_value__report__quarter=quarter,
            reported_value__indicator=indicator,
        )
    )
    return {
        "evidence": evidence,
        "can_upload": can_upload,
        "code": unit.code,
        "year": year,
        "quarter": quarter,
        "indicator": indicator,
        # The page the list sits on (this answer's own URL is the upload's).
        "evidence_back": back.split("#", 1)[0],
    }


def _refused(request, message, *, back, status=400):
    if _wants_json(request):
        return JsonResponse(
            {"loi": message}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    return render(
        request,
        "registrations/evidence_refused.html",
        {"message": message, "back": back},
        status=status,
    )


@csrf_exempt  # checked below, once the size limit is in place (Django's docs)
@login_required
def upload(request, code, year, quarter, indicator_id):
    """POST one file (``file``) or one link (``link``) for one indicator."""
    _check_ids(indicator_id)
    unit = access.unit_for_change(request.user, code)
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= quarter <= 4):
        raise Http404
    indicator = get_object_or_404(
        registration_services.indicators_for_unit(unit), pk=indicator_id
    )
    if request.method != "POST":
        return redirect("registrations:selfreport", unit.code, year, quarter)
    request.upload_handlers.insert(
        0, SizeLimitUploadHandler(request, settings.EVIDENCE_MAX_BYTES)
    )
    return _upload(request, unit, year, quarter, indicator)


@csrf_protect
def _upload(request, unit, year, quarter, indicator):
    back = _back_url(request, unit, year, quarter, indicator)
    files = request.FILES.getlist("file")
    link = request.POST.get("link", "").strip()
    try:
        if getattr(request, "evidence_too_large", False):
            raise ValidationError(
                services.too_large_message(settings.EVIDENCE_MAX_BYTES)
            )
        if len(files) > 1:
            raise ValidationError(_("Mỗi lần chỉ tải lên một tệp."))
        if files and link:
            raise ValidationError(
                _("Hãy chọn một tệp hoặc nhập một đường dẫn, không phải cả hai.")
            )
        if files:
            evidence = services.add_file_evidence(
                unit=unit,
                year=year,
                quarter=quarter,
                indicator=indicator,
                upload=files[0],
                by=request.user,
                max_bytes=settings.EVIDENCE_MAX_BYTES,
            )
        elif link:
            evidence = services.add_link_evidence(
                unit=unit,
                year=year,
                quarter=quarter,
                indicator=indicator,
                link=link,
                by=request.user,
            )
        else:
            raise ValidationError(
                _("Hãy chọn một tệp hoặc nhập một đường dẫn minh chứng.")
            )
    except ValidationError as exc:
        return _refused(request, " ".join(exc.messages), back=back)
    done = _("Đã thêm minh chứng “%(name)s”.") % {"name": str(evidence)}
    if _wants_json(request):
        context = list_context(
            unit=unit,
            year=year,
            quarter=quarter,
            indicator=indicator,
            can_upload=True,
            back=back,
        )
        html = render_to_string(
            "registrations/includes/evidence_list.html", context, request=request
        )
        return JsonResponse(
            {"html": html, "thong_bao": done}, json_dumps_params={"ensure_ascii": False}
        )
    messages.success(request, done)
    return redirect(back)


@login_required
def delete(request, pk):
    """GET: ask to confirm; POST: delete the evidence (while the report is editable)."""
    _check_ids(pk)
    evidence = access.evidence_for_change(request.user, pk)
    row = evidence.reported_value
    report = row.report
    unit = report.unit
    back = _back_url(request, unit, report.year, report.quarter, row.indicator)
    if request.method == "POST":
        try:
            services.delete_evidence(evidence=evidence, by=request.user)
        except ValidationError as exc:
            return _refused(request, " ".join(exc.messages), back=back)
        done = _("Đã xóa minh chứng “%(name)s”.") % {"name": str(evidence)}
        if _wants_json(request):
            context = list_context(
                unit=unit,
                year=report.year,
                quarter=report.quarter,
                indicator=row.indicator,
                can_upload=True,
                back=back,
            )
            html = render_to_string(
                "registrations/includes/evidence_list.html", context, request=request
            )
            return JsonResponse(
                {"html": html, "thong_bao": done},
                json_dumps_params={"ensure_ascii": False},
            )
        messages.success(request, done)
        return redirect(back)
    refusal = registration_services.unit_edit_refusal(
        unit=unit, year=report.year, quarter=report.quarter, report=report
    )
    return render(
        request,
        "registrations/evidence_confirm_delete.html",
        {
            "evidence": evidence,
            "indicator": row.indicator,
            "unit": unit,
            "report": report,
            "quarter_label": periods.label(report.year, report.quarter),
            "refusal": refusal,
            "back": back,
        },
        status=200,
    )


@login_required
def evidence_file(request, pk):
    """The file itself, for the unit's heads and district staff."""
    _check_ids(pk)
    evidence = access.evidence_for_view(request.user, pk)
    if not evidence.is_file:
        raise Http404
    return serving.file_response(evidence)


@login_required
def thumbnail(request, pk):
    """A small JPEG preview of an image (the image itself if there is none)."""
    _check_ids(pk)
    evidence = access.evidence_for_view(request.user, pk)
    if not evidence.is_file or not evidence.content_type.startswith("image/"):
        raise Http404
    name = thumbnail_name(evidence.file.name)
    if not evidence.file.storage.exists(name):
        return serving.file_response(evidence)
    return serving.file_response(evidence, stored_name=name, kind=content.JPEG)
