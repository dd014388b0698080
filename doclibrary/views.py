"""Public pages of the library: the list with its search and filters, one document,
its file. Served through the shared page cache for anonymous readers, a keyword
search excepted (its keys are whatever people type)."""

from urllib.parse import urlencode

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from kieumau.pagecache import cached_page

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


@require_safe
def download(request, slug):
    """The document's file, as an attachment named after its number and year."""
    document = get_object_or_404(Document.objects.published(), slug=slug)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("Không tìm thấy tệp của văn bản.") from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type or "application/octet-stream",
    )
