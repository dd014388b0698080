"""Public poll pages (/binh-chon/) and the vote (a plain form POST, CSRF-protected)."""

from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import DetailView, ListView

from kieumau.middleware import client_ip

from . import voter
from .box import poll_cards, results
from .models import Question, Vote
from .services import VoteRefused, cast_vote, choice_pk, new_voter_limit


class QuestionListView(ListView):
    """The open polls first, then the results of earlier ones."""

    template_name = "polls/question_list.html"
    paginate_by = 10

    def get_queryset(self):
        return Question.objects.started().prefetch_related("choices")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = poll_cards(self.request, context["object_list"])
        return context


class QuestionDetailView(DetailView):
    template_name = "polls/question_detail.html"
    context_object_name = "question"

    def get_queryset(self):
        return Question.objects.started().prefetch_related("choices")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["card"] = poll_cards(self.request, [self.object])[0]
        # The sidebar's form without scripts lands here with the choice ticked.
        context["chosen"] = choice_pk(self.request.GET.get("choice"))
        return context


@require_GET
@never_cache
def token(request):
    """A CSRF token for the sidebar's vote, which cached pages carry without one.

    Its cookie comes with it, as for any form Django renders; another site cannot
    read the answer (same-origin policy), so the token protects the vote as well.
    """
    return JsonResponse({"token": get_token(request)})


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _safe_next(request, fallback):
    target = request.POST.get("next", "")
    # A path on this site only: redirect() would treat "abc" as a view name and a
    # line break cannot go into a Location header; both would answer 500.
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return target
    return fallback


def _results_html(request, question, key):
    """The results fragment when this browser may see them (voted, or closed)."""
    if not question.is_closed() and not (
        key and Vote.objects.filter(question=question, voter_key=key).exists()
    ):
        return None
    rows, total = results(question.choices.all())
    return render_to_string(
        "polls/results_partial.html",
        {"rows": rows, "total": total, "has_voted": True},
        request=request,
    )


@require_POST
def vote(request, pk):
    """Count one vote of this browser, or say in Vietnamese why not."""
    question = Question.objects.filter(pk=pk).first()
    vid = voter.voter_id(request)
    new_vid = None
    status, html = 200, None
    limit, address = new_voter_limit(), client_ip(request)
    if question is None or not question.has_started():
        status = 404
        message = _("Không tìm thấy cuộc thăm dò này.")
    elif vid is None and not limit.hit(address):
        status = 429
        message = _(
            "Có quá nhiều lượt bình chọn mới từ cùng một địa chỉ mạng với bạn. "
            "Vui lòng thử lại sau."
        )
    else:
        if vid is None:
            vid = new_vid = voter.new_voter_id()
        key = voter.voter_key(vid)
        try:
            cast_vote(
                question=question,
                choice_id=request.POST.get("choice"),
                voter_key=key,
            )
        except VoteRefused as refused:
            status, message = refused.status, str(refused.message)
            if new_vid is not None:
                limit.undo(address)  # only votes counted count
        else:
            message = _("Cảm ơn bạn đã gửi ý kiến!")
        if _wants_json(request):
            html = _results_html(request, question, key)

    if _wants_json(request):
        response = JsonResponse(
            {"ok": status == 200, "message": message, "html": html}, status=status
        )
    else:
        (messages.success if status == 200 else messages.error)(request, message)
        fallback = question.get_absolute_url() if question else reverse("polls:list")
        response = redirect(_safe_next(request, fallback))
    if new_vid is not None:
        voter.remember_voter(response, new_vid)
    return response
