"""Staff's appraisal screens under /bao-cao/tham-dinh/: councils, appraisals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .access import staff_only
from .forms import AppraisalForm, CouncilDetailsForm, CouncilForm, MemberForm
from .models import Appraisal, Council, CouncilMember, Decision, Verdict
from .services import (
    StaleVersionError,
    open_appraisals,
    save_appraisal,
    save_council,
)
from .services.decisions import check_pdf
from .services.prefill import accepted_values, readings, title_criteria
from .serving import pdf_response

PER_PAGE = 50  # appraisal sheets on a council's page
DECISIONS_PER_PAGE = 50  # decisions on the councils' page, latest first
VERDICT_HISTORY = 100  # the latest changes of a sheet's verdicts shown on it
MET = Q(verdicts__override_met=True) | Q(
    verdicts__override_met__isnull=True, verdicts__computed_met=True
)


def add_errors(form, error):
    """Put a service's ValidationError on the form's fields (or the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@staff_only
def council_list(request):
    form = CouncilForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                council = save_council(
                    council=Council(), by=request.user, **form.cleaned_data
                )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Đã lập hội đồng thẩm định.")
            return redirect(council)
    councils = (
        Council.objects.select_related("title")
        .annotate(
            n_members=Count("members", distinct=True),
            n_appraisals=Count("appraisals", distinct=True),
        )
        .order_by("-year", "title__code")
    )
    decisions = Paginator(
        Decision.objects.select_related("title").order_by("-signed_on", "-pk"),
        DECISIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "recognition/council_list.html",
        {
            "form": form,
            "councils": councils,
            "decisions": decisions.object_list,
            "page_obj": decisions,
        },
    )


@staff_only
def council_detail(request, pk):
    council = get_object_or_404(Council.objects.select_related("title"), pk=pk)
    details = CouncilDetailsForm(instance=council, initial={"version": council.version})
    member_form = MemberForm(prefix="tv")
    if request.method == "POST" and request.POST.get("action") == "details":
        details = CouncilDetailsForm(request.POST, request.FILES, instance=council)
        if details.is_valid():
            try:
                update_council(request, council, details)
            except ValidationError as error:
                add_errors(details, error)
            else:
                messages.success(request, "Đã lưu thông tin hội đồng.")
                return redirect(council)
    elif request.method == "POST" and request.POST.get("action") == "member":
        member_form = MemberForm(request.POST, prefix="tv")
        if member_form.is_valid():
            member = member_form.save(commit=False)
            member.council = council
            try:
                with transaction.atomic():
                    member.save()
            except IntegrityError:
                member_form.add_error("role", "Hội đồng chỉ có một Chủ tịch.")
            else:
                messages.success(request, "Đã thêm thành viên hội đồng.")
                return redirect(council)
    elif request.method == "POST":
        return redirect(council)
    appraisals = (
        council.appraisals.select_related("registration__unit__parent")
        .annotate(
            n_criteria=Count("verdicts", distinct=True),
            n_met=Count("verdicts", filter=MET, distinct=True),
        )
        .order_by("registration__unit__code")
    )
    page = Paginator(appraisals, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "council": council,
        "details": details,
        "member_form": member_form,
        "members": council.members.all(),
        "appraisals": page.object_list,
        "page_obj": page,
        "decisions": council.decisions.order_by("-signed_on"),
    }
    return render(request, "recognition/council_detail.html", context)


def update_council(request, council, form):
    minutes = form.cleaned_data.get("minutes_file")
    fields = {
        "name": form.cleaned_data["name"],
        "meeting_date": form.cleaned_data["meeting_date"],
    }
    with transaction.atomic():
        if minutes is not None:
            try:
                check_pdf(minutes)
            except ValidationError as error:
                raise ValidationError({"minutes_file": error.messages}) from None
            council.minutes.save(minutes.name, minutes, save=False)
            fields["minutes_name"] = minutes.name[:200]
        save_council(
            council=council,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **fields,
        )


@staff_only
def member_delete(request, pk, member_pk):
    """Asks first (GET), then removes the member (POST); the history keeps who did."""
    member = get_object_or_404(
        CouncilMember.objects.select_related("council__title"),
        pk=member_pk,
        council_id=pk,
    )
    if request.method == "POST":
        member.delete()
        messages.success(request, f"Đã xóa {member.name} khỏi hội đồng.")
        return redirect("recognition:council", pk=pk)
    return render(
        request,
        "recognition/member_confirm_delete.html",
        {"member": member, "council": member.council},
    )


@staff_only
@require_POST
def council_open(request, pk):
    council = get_object_or_404(Council, pk=pk)
    try:
        created = open_appraisals(council=council, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, f"Đã lập {created} phiếu thẩm định.")
        else:
            messages.info(request, "Không có đăng ký nào mới cần thẩm định.")
    return redirect(council)


@staff_only
def council_minutes(request, pk):
    council = get_object_or_404(Council, pk=pk)
    return pdf_response(
        council.minutes, f"bien-ban-{council.title.code}-{council.year}"
    )


@staff_only
def appraisal_detail(request, pk):
    appraisal = get_object_or_404(
        Appraisal.objects.select_related(
            "council__title", "registration__unit__parent", "registration__title"
        ),
        pk=pk,
    )
    verdicts = list(appraisal.verdicts.select_related("criterion"))
    initial = {
        "version": appraisal.version,
        "members_present": appraisal.members_present,
        "members_in_favour": appraisal.members_in_favour,
        "outcome": appraisal.outcome,
    }
    form = AppraisalForm(request.POST or None, initial=initial, verdicts=verdicts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            save_appraisal(
                appraisal=appraisal,
                overrides=form.overrides(),
                members_present=data["members_present"],
                members_in_favour=data["members_in_favour"],
                outcome=data["outcome"] or "",
                by=request.user,
                expected_version=data["version"],
            )
        except StaleVersionError as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Đã lưu phiếu thẩm định.")
            return redirect(appraisal)
    period = (
        (appraisal.data_year, appraisal.data_quarter) if appraisal.data_year else None
    )
    criteria = title_criteria(appraisal.registration.title_id)
    values = accepted_values(
        unit_ids=[appraisal.registration.unit_id],
        title_id=appraisal.registration.title_id,
        period=period,
    )
    found = {
        r.criterion.pk: r
        for r in readings(criteria, values, appraisal.registration.unit_id)
    }
    rows = [
        (verdict, override, reason, found.get(verdict.criterion_id))
        for verdict, override, reason in form.rows()
    ]
    context = {
        "appraisal": appraisal,
        "council": appraisal.council,
        "unit": appraisal.registration.unit,
        "form": form,
        "rows": rows,
        "history": appraisal.history.select_related("history_user")[:20],
        # Each criterion's verdicts over time: pre-filled, then the council's
        # overrides with their reasons (issue #18: every verdict in the history).
        "verdict_history": Verdict.history.filter(appraisal_id=appraisal.pk)
        .select_related("history_user", "criterion")
        .order_by("-history_date", "-history_id")[:VERDICT_HISTORY],
    }
    return render(request, "recognition/appraisal_detail.html", context)
