"""The district office's back office for the catalogue, registrations and progress.

Declarative: every state change goes through ``registrations.services`` (actions with
a confirmation page, the quarter entry screens of ``admin_views``), never through an
editable ``status`` field.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kieumau.admin_input import SafeInputMixin
from kieumau.admin_search import FoldedSearchMixin
from kieumau.history_admin import SimpleHistoryAdmin

from . import (
    admin_bulk,
    admin_selfreport,  # noqa: F401 (registers the self-report admins)
    admin_views,
    periods,
    services,
)
from .admin_paging import BoundedCountPaginator, QuarterFilter, YearFilter
from .forms import RecogniseForm, RegistrationAdminForm
from .models import Criterion, Indicator, Progress, Registration, Title


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["code", "name", "order"]
    extra = 0
    show_change_link = True


@admin.register(Title)
class TitleAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "school_level",
        "valid_from_year",
        "valid_to_year",
    ]
    list_filter = ["kind", "school_level"]
    search_fields = ["code", "name"]
    folded_text_fields = ["name"]
    fieldsets = [
        (None, {"fields": ["code", "name"]}),
        (_("Áp dụng cho"), {"fields": ["kind", "school_level"]}),
        (_("Hiệu lực"), {"fields": ["valid_from_year", "valid_to_year"]}),
    ]
    inlines = [CriterionInline]


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = [
        "code",
        "name",
        "kind",
        "comparison",
        "target",
        "unit_of_measure",
        "order",
    ]
    extra = 0
    show_change_link = True


@admin.register(Criterion)
class CriterionAdmin(SafeInputMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "title", "order"]
    list_filter = ["title"]
    search_fields = ["code", "name", "title__code"]
    folded_text_fields = ["name"]
    list_select_related = ["title"]
    autocomplete_fields = ["title"]
    fields = ["title", "code", "name", "order"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(SafeInputMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "criterion", "kind", "target_column"]
    list_filter = ["kind", "criterion__title"]
    search_fields = ["code", "name", "criterion__code"]
    folded_text_fields = ["name"]
    list_select_related = ["criterion"]
    autocomplete_fields = ["criterion"]
    fieldsets = [
        (None, {"fields": ["criterion", "code", "name", "order"]}),
        (
            _("Mục tiêu"),
            {"fields": ["kind", "comparison", "target", "unit_of_measure"]},
        ),
    ]

    @admin.display(description=_("mục tiêu"))
    def target_column(self, obj):
        return obj.target_display


def _transition_action(name, description, service, needs_decision=False):
    """An admin action that asks for confirmation, then calls ``service`` per row."""

    def action(modeladmin, request, queryset):
        queryset = queryset.select_related("unit", "title")
        form = None
        if needs_decision:
            form = RecogniseForm(request.POST if request.POST.get("post") else None)
        if request.POST.get("post") == "yes" and (form is None or form.is_valid()):
            done, refused = 0, []
            for registration in queryset:
                kwargs = form.cleaned_data if form else {}
                try:
                    service(registration=registration, by=request.user, **kwargs)
                except ValidationError as exc:
                    refused.append(
                        f"{registration.unit.code}: {' '.join(exc.messages)}"
                    )
                else:
                    done += 1
            if done:
                modeladmin.message_user(
                    request,
                    _("Đã chuyển %(n)s đăng ký sang “%(to)s”.")
                    % {"n": done, "to": services.TRANSITIONS[name][1].label},
                    messages.SUCCESS,
                )
            for line in refused:
                modeladmin.message_user(request, line, messages.ERROR)
            return None
        return TemplateResponse(
            request,
            "admin/registrations/registration/transition_confirmation.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": description,
                "opts": modeladmin.model._meta,
                "queryset": queryset,
                "action_name": action.__name__,
                "target": services.TRANSITIONS[name][1].label,
                "sources": [s.label for s in services.TRANSITIONS[name][0]],
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    action.__name__ = name
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Registration)
class RegistrationAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    form = RegistrationAdminForm
    # Fits 1,366 px beside the admin's menu: the key columns (year, status, the
    # quarter's link) first, the unit's code under its name, short labels; the
    # title follows from the unit's kind (and has its filter).
    list_display = [
        "unit_shown",
        "year_shown",
        "status",
        "quarter_link",
        "ahead_of_roadmap",
        "decision_shown",
    ]
    list_display_links = ["unit_shown"]
    list_filter = ["year", "status", "unit__kind", "title"]
    search_fields = ["unit__code", "unit__name", "title__code", "decision_number"]
    folded_key_fields = ["unit__search_name"]
    list_select_related = ["unit", "title"]
    autocomplete_fields = ["unit"]
    history_list_display = ["year", "status", "decision_number"]
    actions = [
        _transition_action(
            "accept", _("Tiếp nhận đăng ký"), services.accept_registration
        ),
        _transition_action(
            "start_appraisal", _("Bắt đầu thẩm định"), services.start_appraisal
        ),
        _transition_action(
            "recognise",
            _("Công nhận (nhập số, ngày quyết định)"),
            services.recognise_registration,
            needs_decision=True,
        ),
        _transition_action(
            "mark_not_achieved", _("Kết luận chưa đạt"), services.mark_not_achieved
        ),
        _transition_action(
            "maintain", _("Xác nhận duy trì danh hiệu"), services.maintain_registration
        ),
        _transition_action(
            "revoke", _("Thu hồi danh hiệu"), services.revoke_registration
        ),
    ]
    stamps = ["version", "created_at", "updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["status", "decision_number", "decision_date", *self.stamps]
        if obj is not None:
            return ["unit", "title", *fixed]
        return fixed

    def get_fieldsets(self, request, obj=None):
        main = ["unit", "title", "year", "registered_on", "note", "expected_version"]
        if obj is not None:
            main.remove("unit")
            main.remove("title")
            main = ["unit", "title", *main]
        return [
            (None, {"fields": main}),
            (
                _("Trạng thái (đổi bằng thao tác trên danh sách)"),
                {"fields": ["status", "decision_number", "decision_date"]},
            ),
            (_("Lưu vết"), {"fields": self.stamps, "classes": ["collapse"]}),
        ]

    @admin.display(description=_("đơn vị"), ordering="unit__name_sort_key")
    def unit_shown(self, obj):
        return format_html(
            '{}<br><span class="quiet">{}</span>', obj.unit.name, obj.unit.code
        )

    @admin.display(description=_("năm"), ordering="year")
    def year_shown(self, obj):
        return obj.year

    @admin.display(description=_("số QĐ"), ordering="decision_number")
    def decision_shown(self, obj):
        return obj.decision_number or "—"

    @admin.display(description=_("vượt LT"), boolean=True)
    def ahead_of_roadmap(self, obj):
        return obj.is_ahead_of_roadmap

    @admin.display(description=_("tiến độ quý"))
    def quarter_link(self, obj):
        if not obj.is_active:
            return "—"
        year, quarter = periods.current()
        url = reverse(
            "admin:registrations_progress_entry", args=[obj.unit.code, year, quarter]
        )
        return format_html('<a href="{}">{}</a>', url, periods.label(year, quarter))

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            registration = services.register_year(
                unit=obj.unit,
                title=obj.title,
                year=data["year"],
                registered_on=data.get("registered_on"),
                by=request.user,
                expected_version=data.get("expected_version"),
            )
            if data.get("note", "") != form.initial.get("note", ""):
                services.update_registration_note(
                    registration=registration, note=data["note"], by=request.user
                )
        else:
            registration = services.register_year(
                unit=data["unit"],
                title=data["title"],
                year=data["year"],
                registered_on=data.get("registered_on"),
                by=request.user,
                expected_version=0,
            )
            if data.get("note"):
                services.update_registration_note(
                    registration=registration, note=data["note"], by=request.user
                )
        obj.pk = registration.pk
        obj.version = registration.version

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            # The transaction of the change form was rolled back: nothing saved.
            for message in exc.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def has_delete_permission(self, request, obj=None):
        # A registration is part of the programme's record; revoke it instead.
        return request.user.is_superuser

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            # Reverting would change the status without its service.
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Progress)
class ProgressAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    """Read-mostly: values are entered on the quarter screens."""

    list_display = [
        "unit",
        "indicator_code",
        "period",
        "value_shown",
        "updated_by",
        "updated_at",
    ]
    list_filter = [YearFilter, QuarterFilter, "unit__kind"]
    search_fields = ["unit__code", "unit__name", "indicator__code"]
    folded_key_fields = ["unit__search_name"]
    list_select_related = ["unit", "indicator", "updated_by"]
    history_list_display = ["value"]
    change_list_template = "admin/registrations/progress/change_list.html"
    # Millions of rows: newest quarter first along the quarter's index, counts
    # bounded, no count of the whole table (registrations/admin_paging.py).
    ordering = ["-year", "-quarter", "-unit_id", "-indicator_id"]
    paginator = BoundedCountPaginator
    show_full_result_count = False
    # Each row's link would carry the filters through a URL resolve per row
    # (a tenth of the page's time); the list is read-only, nothing to return to.
    preserve_filters = False
    # Facet counts would count every filter's choices over the whole table.
    show_facets = admin.ShowFacets.NEVER

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "nhap-quy/",
                wrap(self.quarter_overview_view),
                name="registrations_progress_quarters",
            ),
            path(
                "nhap-quy/hang-loat/",
                wrap(self.bulk_entry_view),
                name="registrations_progress_bulk",
            ),
            path(
                "nhap-quy/<str:code>/<int:year>/<int:quarter>/",
                wrap(self.quarter_entry_view),
                name="registrations_progress_entry",
            ),
            *super().get_urls(),
        ]

    def quarter_overview_view(self, request):
        return admin_views.quarter_overview(request, model_admin=self)

    def bulk_entry_view(self, request):
        return admin_bulk.bulk_entry(request, model_admin=self)

    def quarter_entry_view(self, request, code, year, quarter):
        return admin_views.quarter_entry(
            request, model_admin=self, code=code, year=year, quarter=quarter
        )

    @admin.display(description=_("quý"), ordering="year")
    def period(self, obj):
        return f"{obj.quarter}/{obj.year}"

    @admin.display(description=_("mã chỉ tiêu"), ordering="indicator__code")
    def indicator_code(self, obj):
        return obj.indicator.code

    @admin.display(description=_("giá trị"), ordering="value")
    def value_shown(self, obj):
        # As on the entry screen ("2,8", "Đạt"), not the column's "2,8000".
        return services.format_value(obj.indicator, obj.value)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
