"""Public pages of the library: the list with its search and filters, one document,
its file. Served through the shared page cache for anonymous readers, a keyword
search excepted (its keys are whatever people type)."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from kieumau.pagecache import cached_page
from registrations.evidence.serving import ACCEL_PREFIX

from .forms import DocumentFilterForm
from .models import VERSION, Document

PAGE_SIZE = 10
FILTERS = ("q", "loai", "nam")


@method_decorator(cached_page(depends_on=[VERSION]), name="get")
class DocumentListView(ListView):
    template_name = "doclibrary/document_list.html"
    context_object_name = "documents"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        public = Document.objects.for_listing()
        years = [day.year for day in public.dates("issued_on", "year", order="DESC")]
        self.form = DocumentFilterForm(self.request.GET, years=years)
        return self.form.filter(public)

    def get_context_data(self, **kwargs):
        kept = [
            (name, self.form.cleaned_data[name])
            for name in FILTERS
            if self.form.cleaned_data.get(name)
        ]
        return super().get_context_data(
            form=self.form,
            searched=bool(kept),
            query_string=urlencode(kept),
            **kwargs,
        )


@method_decorator(cached_page(depends_on=[VERSION]), name="get")
class DocumentDetailView(DetailView):
    template_name = "doclibrary/document_detail.html"
    context_object_name = "document"

    def get_queryset(self):
        return Document.objects.published()


def may_see_unpublished(user):
    """Staff who may view documents in the admin may fetch an unpublished file."""
    return user.is_staff and user.has_perm("doclibrary.view_document")


@require_safe
def download(request, slug):
    """The document's file, as an attachment named after its number and year.

    The files live in the private folder (``doclibrary.models.document_storage``),
    never under ``/media/``: this view is the only way to them. An unpublished
    document answers 404 except to staff allowed to view documents. Behind nginx
    (``EVIDENCE_ACCEL_REDIRECT``) nginx sends the file from its internal
    ``/_minh-chung/`` location; otherwise the app streams it.
    """
    documents = Document.objects.all()
    if not may_see_unpublished(request.user):
        documents = documents.published()
    document = get_object_or_404(documents, slug=slug)
    if not document.file:
        raise Http404("Không tìm thấy tệp của văn bản.")
    content_type = document.content_type or "application/octet-stream"
    if settings.EVIDENCE_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = ACCEL_PREFIX + quote(document.file.name)
        response["Content-Disposition"] = content_disposition_header(
            True, document.download_name
        )
    else:
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise Http404("Không tìm thấy tệp của văn bản.") from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=document.download_name,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    if not document.is_published:
        response["Cache-Control"] = "private, no-store"
    return response
