"""Staff's decision screens: draw up, download, attach the signed scan, publish.

The public reads only a published decision's scan (``decision_public``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from .access import staff_only
from .documents import (
    PdfUnavailable,
    certificate_docx,
    certificates_pdf,
    decision_docx,
    decision_pdf,
)
from .forms import DecisionForm, RevocationScopeForm, ScanForm, VersionForm
from .models import Council, Decision, DecisionEntry, DecisionKind
from .paperwork import (
    certificate_document,
    certificate_documents,
    decision_document,
    entries_of,
)
from .services import (
    StaleVersionError,
    attach_scan,
    create_decision,
    discard_decision,
    eligible_registrations,
    publish_decision,
)
from .serving import pdf_response
from .staff_views import add_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def decision_form(request, *, kind, council=None, title, year, template, extra):
    eligible = eligible_registrations(
        kind=kind, council=council, title=title, year=year
    )
    revocation = kind == DecisionKind.REVOCATION
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        eligible=eligible,
        revocation=revocation,
        initial={"registrations": list(eligible)} if not revocation else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = create_decision(
                kind=kind,
                number=data["number"],
                signed_on=data["signed_on"],
                title=title,
                year=year,
                council=council,
                registrations=list(data["registrations"]),
                reason=data.get("reason", ""),
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Đã lập {decision}.")
            return redirect(decision)
    context = {"form": form, "kind": kind, "title": title, "year": year, **extra}
    return render(request, template, context)


@staff_only
def decision_create(request, pk):
    council = get_object_or_404(Council.objects.select_related("title"), pk=pk)
    return decision_form(
        request,
        kind=DecisionKind.RECOGNITION,
        council=council,
        title=council.title,
        year=council.year,
        template="recognition/decision_form.html",
        extra={"council": council},
    )


@staff_only
def revocation_create(request):
    scope = RevocationScopeForm(request.GET or None)
    if not scope.is_valid():
        return render(request, "recognition/revocation_scope.html", {"scope": scope})
    return decision_form(
        request,
        kind=DecisionKind.REVOCATION,
        title=scope.cleaned_data["title"],
        year=scope.cleaned_data["year"],
        template="recognition/decision_form.html",
        extra={"scope": scope},
    )


@staff_only
def decision_detail(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("title", "council", "created_by"), pk=pk
    )
    scan_form = ScanForm(initial={"version": decision.version})
    if request.method == "POST":
        scan_form = ScanForm(request.POST, request.FILES)
        if scan_form.is_valid():
            try:
                attach_scan(
                    decision=decision,
                    upload=scan_form.cleaned_data["scan"],
                    by=request.user,
                    expected_version=scan_form.cleaned_data["version"],
                )
            except ValidationError as error:
                add_errors(scan_form, error)
            else:
                messages.success(request, "Đã tải lên bản quyết định đã ký.")
                return redirect(decision)
    context = {
        "decision": decision,
        "entries": entries_of(decision),
        "scan_form": scan_form,
        "publish_form": VersionForm(initial={"version": decision.version}),
        "history": decision.history.select_related("history_user")[:20],
    }
    return render(request, "recognition/decision_detail.html", context)


@staff_only
@require_POST
def decision_publish(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersionError("Biểu mẫu không hợp lệ; hãy tải lại trang.")
        publish_decision(
            decision=decision,
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã công bố {decision}.")
    return redirect("recognition:decision", pk=pk)


@staff_only
@require_POST
def decision_discard(request, pk):
    """Delete a drawn-up, unpublished decision; back to its council or the list."""
    decision = get_object_or_404(Decision, pk=pk)
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleVersionError("Biểu mẫu không hợp lệ; hãy tải lại trang.")
        council = decision.council
        discard_decision(
            decision=decision,
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(decision)
    messages.success(request, f"Đã hủy {decision}; có thể lập lại quyết định.")
    return redirect(council or "recognition:councils")


def attachment(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_unavailable(request, error, decision):
    context = {"message": str(error), "back": decision.get_absolute_url()}
    return render(request, "recognition/pdf_unavailable.html", context, status=503)


def file_stem(decision):
    return decision.number.replace("/", "-").replace("Đ", "D")


@staff_only
def decision_file(request, pk, fmt):
    if fmt not in ("docx", "pdf"):
        raise Http404
    decision = get_object_or_404(Decision.objects.select_related("council"), pk=pk)
    document = decision_document(decision)
    if fmt == "docx":
        return attachment(
            decision_docx(document), DOCX, f"quyet-dinh-{file_stem(decision)}.docx"
        )
    try:
        content = decision_pdf(document)
    except PdfUnavailable as error:
        return pdf_unavailable(request, error, decision)
    return attachment(
        content, "application/pdf", f"quyet-dinh-{file_stem(decision)}.pdf"
    )


@staff_only
def certificates_file(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    documents = certificate_documents(decision)
    if not documents:
        raise Http404
    try:
        content = certificates_pdf(documents)
    except PdfUnavailable as error:
        return pdf_unavailable(request, error, decision)
    return attachment(
        content, "application/pdf", f"giay-cong-nhan-{file_stem(decision)}.pdf"
    )


@staff_only
def certificate_file(request, pk, entry_pk):
    entry = get_object_or_404(
        DecisionEntry.objects.select_related(
            "decision", "registration__unit__parent", "registration__title"
        ).exclude(certificate_number=""),
        pk=entry_pk,
        decision_id=pk,
    )
    document = certificate_document(entry.decision, entry)
    name = f"giay-cong-nhan-{entry.registration.unit.code.lower()}.docx"
    return attachment(certificate_docx(document), DOCX, name)


@staff_only
def decision_scan(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    return pdf_response(decision.scan, f"quyet-dinh-{file_stem(decision)}-ban-ky")


def decision_public(request, pk):
    """The signed scan of a published decision, for anyone (CONTRACT §3)."""
    decision = get_object_or_404(Decision.objects.published(), pk=pk)
    return pdf_response(decision.scan, f"quyet-dinh-{file_stem(decision)}")
