"""The public roll of model units, ``/don-vi-kieu-mau/`` (CONTRACT §3)."""

from django.utils.decorators import method_decorator
from django.views.generic import ListView

from kieumau.pagecache import cached_page
from registrations import figures

from . import roll


@method_decorator(
    cached_page(
        # Publishing a decision moves its registrations through the lifecycle
        # (recognised, revoked), and every registration's save bumps the figures'
        # version: the roll is rebuilt at once.
        depends_on=[figures.VERSION],
        parameters=roll.PARAMETERS,
        max_seconds=figures.CACHE_SECONDS,
    ),
    name="get",
)
class RollView(ListView):
    """Recognised units by year and title, with their decisions; filters and pages."""

    template_name = "recognition/roll_list.html"
    context_object_name = "rows"
    paginate_by = roll.PER_PAGE

    def get(self, request, *args, **kwargs):
        self.form = roll.RollForm(request.GET)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return roll.with_decisions(roll.filtered(self.form))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for registration in context["rows"]:
            registration.recognition, registration.revocation = roll.decisions_of(
                registration
            )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            form=self.form,
            query_string=query.urlencode(),
            filtered=any(
                self.request.GET.get(k) for k in ("nam", "danh_hieu", "xa", "q")
            ),
        )
        return context
