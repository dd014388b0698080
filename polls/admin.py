import csv

from django.contrib import admin
from django.db.models import Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kieumau.admin_input import SafeInputMixin

from .box import results
from .models import Choice, Question

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralise spreadsheet formulas (CSV injection): prefix a quote."""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


class ChoiceInline(admin.TabularInline):
    model = Choice
    fields = ["text", "order", "votes"]
    readonly_fields = ["votes"]
    extra = 3


class OpenFilter(admin.SimpleListFilter):
    title = _("trạng thái")
    parameter_name = "trang_thai"

    def lookups(self, request, model_admin):
        return [
            ("dang_mo", _("Đang mở")),
            ("sap_mo", _("Chưa mở")),
            ("da_dong", _("Đã kết thúc")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "dang_mo":
            return queryset.open(now)
        if self.value() == "sap_mo":
            return queryset.filter(opens_at__gt=now)
        if self.value() == "da_dong":
            return queryset.closed(now)
        return queryset


@admin.register(Question)
class QuestionAdmin(SafeInputMixin, admin.ModelAdmin):
    list_display = ["text", "opens_at", "closes_at", "is_open_now", "total_votes"]
    list_filter = [OpenFilter]
    search_fields = ["text"]
    date_hierarchy = "opens_at"
    readonly_fields = ["created_at"]
    fieldsets = [
        (None, {"fields": ["text"]}),
        (_("Thời gian"), {"fields": ["opens_at", "closes_at", "created_at"]}),
    ]
    inlines = [ChoiceInline]
    actions = ["export_results_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_total=Sum("choices__votes"))

    @admin.display(description=_("đang mở"), boolean=True)
    def is_open_now(self, obj):
        return obj.is_open()

    @admin.display(description=_("tổng số phiếu"), ordering="_total")
    def total_votes(self, obj):
        return obj._total or 0

    @admin.action(description=_("Xuất kết quả các câu hỏi đã chọn (CSV)"))
    def export_results_csv(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="ket-qua-tham-do-{stamp}.csv"'
        )
        response.write("\ufeff")  # Excel opens UTF-8 only with a BOM
        writer = csv.writer(response)
        writer.writerow(
            ["ma_cau_hoi", "cau_hoi", "phuong_an", "so_phieu", "ty_le_phan_tram"]
        )
        for question in queryset.order_by("opens_at", "pk").prefetch_related("choices"):
            rows, _total = results(question.choices.all())
            for row in rows:
                writer.writerow(
                    [
                        question.pk,
                        csv_safe(question.text),
                        csv_safe(row.text),
                        row.votes,
                        row.percent,
                    ]
                )
        return response
