"""django-simple-history's admin, answering 404 (not 500) to a malformed object id.

SimpleHistoryAdmin.history_view looks the object up with the raw id from the URL;
for an integer primary key, /admin/news/article/abc/history/ raised ValueError
(a 500). Django's own change view answers such ids with a redirect; the history
view now answers 404. Import SimpleHistoryAdmin from here in the apps' admin.py.
"""

from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin as _SimpleHistoryAdmin


class SimpleHistoryAdmin(_SimpleHistoryAdmin):
    def history_view(self, request, object_id, extra_context=None):
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except (ValidationError, ValueError, TypeError):
            raise Http404 from None
        if "\x00" in object_id:
            raise Http404
        return super().history_view(request, object_id, extra_context)
