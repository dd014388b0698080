"""django-simple-history's admin, adapted to the portal. Import SimpleHistoryAdmin
from here in the apps' admin.py.

- 404 (not 500) to a malformed object or version id: SimpleHistoryAdmin's
  history_view and history_form_view look the object up with the raw ids from the
  URL; for an integer primary key, /admin/news/article/abc/history/ and
  /admin/news/article/abc/history/1/ raised ValueError (a 500). Django's own
  change view answers such ids with a redirect; the history views answer 404.
- The portal's SafeInputMixin (kieumau/admin_input.py): autocomplete fields and
  the date hierarchy of every history admin never answer 500 either.
- Choice labels, not stored codes: the package prints a history_list_display
  column with getattr() and a change ("Các thay đổi") with the raw values, so a
  registration's history read "submitted → accepted" instead of
  "Đã đăng ký → Đã tiếp nhận".
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin as _SimpleHistoryAdmin
from simple_history.template_utils import (
    HistoricalRecordContextHelper as _HistoricalRecordContextHelper,
)

from kieumau.admin_input import SafeInputMixin, is_usable_key


def _choices_field(model, name):
    """The field ``name`` of ``model`` if it is a field with choices, else None."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if field.choices else None


class HistoricalRecordContextHelper(_HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = _choices_field(self.model, change.field)
        if field is not None:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class SimpleHistoryAdmin(SafeInputMixin, _SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        if not is_usable_key(self.model._meta.pk, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        opts = self.model._meta
        history_pk = getattr(
            self.model, opts.simple_history_manager_attribute
        ).model._meta.pk
        if not (
            is_usable_key(opts.pk, unquote(object_id))
            and is_usable_key(history_pk, version_id)
        ):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoricalRecordContextHelper(self.model, historical_record)

    def render_history_view(self, request, template, context, **kwargs):
        page = context.get("page_obj")
        if page is not None:
            # As the package itself does for columns computed by admin methods:
            # the record's attribute is replaced by what the column shows. The
            # changes of each record were computed already, from the stored codes.
            for name in context["history_list_display"]:
                if callable(getattr(self, name, None)):
                    continue
                if _choices_field(self.model, name) is None:
                    continue
                for record in page:
                    setattr(record, name, getattr(record, f"get_{name}_display")())
            for record in page:
                # No reason given: an empty cell, not the template's "None".
                if record.history_change_reason is None:
                    record.history_change_reason = ""
        return super().render_history_view(request, template, context, **kwargs)
