"""Admin screen: choose a kind, upload → preview (dry run) → confirm; downloads.

The uploaded bytes live in ``ImportBatch`` so that the confirmation may reach
another app server than the upload. Every view is wrapped in the admin's
``admin_view`` (staff sign-in, CSRF, no caching) and checks model permissions.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import exports
from .forms import UploadForm
from .models import BatchStatus, ImportBatch
from .services import KIND_LABELS, KINDS, confirm_batch, preview_batch
from .services.purge import UNCONFIRMED_DAYS

IMPORT_PERMS = {
    "units": ["units.add_unit", "units.change_unit"],
    "criteria": [
        f"registrations.{action}_{model}"
        for model in ("title", "criterion", "indicator")
        for action in ("add", "change")
    ],
    "registrations": [
        "registrations.add_registration",
        "registrations.change_registration",
    ],
    "progress": ["registrations.add_progress", "registrations.change_progress"],
    "heads": ["heads.add_headprofile", "heads.change_headprofile"],
}
EXPORT_PERMS = {
    "units": ["units.view_unit"],
    "criteria": [
        "registrations.view_title",
        "registrations.view_criterion",
        "registrations.view_indicator",
    ],
    "registrations": ["registrations.view_registration"],
    "progress": ["registrations.view_progress"],
    "heads": ["heads.view_headprofile"],
}
BATCHES_PER_PAGE = 20
ERRORS_PER_PAGE = 200


def importable_kinds(user):
    return [kind for kind in KINDS if user.has_perms(IMPORT_PERMS[kind])]


def exportable_kinds(user):
    return [kind for kind in KINDS if user.has_perms(EXPORT_PERMS[kind])]


GONE_MESSAGE = (
    "Không còn lần tải lên này: tệp không được xác nhận trong "
    f"{UNCONFIRMED_DAYS} ngày thì được xóa. Hãy tải tệp lên lại."
)


class BatchGone(Exception):
    """The batch was deleted (``purge_import_batches``) while someone looked at it."""


def _get_batch(request, pk):
    """A batch of a kind the user may import; other kinds answer 404."""
    kinds = importable_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    batch = (
        ImportBatch.objects.select_related("uploaded_by")
        .defer("content")
        .filter(pk=pk, kind__in=kinds)
        .first()
    )
    if batch is not None:
        return batch
    if ImportBatch.objects.filter(pk=pk).exists():
        raise Http404  # another kind: as if it did not exist
    raise BatchGone


def _gone(request):
    messages.warning(request, GONE_MESSAGE)
    return redirect("imports:index")


def _context(request, **extra):
    return {
        **admin.site.each_context(request),
        "title": "Nhập, xuất dữ liệu",
        "kind_labels": KIND_LABELS,
        **extra,
    }


@require_http_methods(["GET", "POST"])
def index(request):
    kinds = importable_kinds(request.user)
    export_kinds = exportable_kinds(request.user)
    if not kinds and not export_kinds:
        raise PermissionDenied
    form = None
    if kinds:
        form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
        if request.method == "POST" and form.is_valid():
            batch = _preview(request, form)
            return redirect("imports:batch", pk=batch.pk)
    elif request.method == "POST":
        raise PermissionDenied
    batches = (
        ImportBatch.objects.filter(kind__in=kinds)
        .select_related("uploaded_by")
        .defer("content")
    )
    # get_page: "abc" shows the first page, -1 or 999999 the last; never a 500.
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    exports_list = [(kind, KIND_LABELS[kind], exports.FORMATS) for kind in export_kinds]
    return render(
        request,
        "imports/import_index.html",
        _context(
            request,
            form=form,
            batches=page.object_list,
            page_obj=page,
            exports=exports_list,
        ),
    )


def _preview(request, form):
    upload = form.cleaned_data["file"]
    return preview_batch(
        kind=form.cleaned_data["kind"],
        content=upload.read(),
        filename=upload.name,
        by=request.user,
    )


def batch_detail(request, pk):
    try:
        batch = _get_batch(request, pk)
    except BatchGone:
        return _gone(request)
    # A wrong file (say, another kind's) can give one error per row: page them.
    errors = Paginator(batch.report.get("errors", []), ERRORS_PER_PAGE)
    page = errors.get_page(request.GET.get("page"))
    return render(
        request,
        "imports/import_batch.html",
        _context(
            request,
            batch=batch,
            report=batch.report,
            errors=page.object_list,
            page_obj=page,
            title=(
                f"Kết quả kiểm tra tệp {batch.filename}"
                if batch.status != BatchStatus.IMPORTED
                else f"Đã nhập tệp {batch.filename}"
            ),
        ),
    )


@require_POST
def confirm(request, pk):
    try:
        batch = _get_batch(request, pk)
        done = confirm_batch(batch=batch, by=request.user)
    except (BatchGone, ImportBatch.DoesNotExist):
        return _gone(request)
    if done is None:
        messages.warning(request, "Tệp này đã được xử lý, không nhập lại.")
        return redirect("imports:batch", pk=batch.pk)
    batch, report = done
    if report.ok:
        messages.success(request, f"Đã nhập tệp {batch.filename}. {report.summary()}")
    else:
        messages.error(
            request,
            "Dữ liệu đã thay đổi từ lúc kiểm tra nên tệp có lỗi; không nhập dòng nào.",
        )
    return redirect("imports:batch", pk=batch.pk)


def export(request, kind, fmt):
    if kind not in KINDS or fmt not in exports.FORMATS:
        raise Http404
    if not request.user.has_perms(EXPORT_PERMS[kind]):
        raise PermissionDenied
    content = exports.export_file(kind=kind, fmt=fmt)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    name = exports.filename(kind, fmt, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
