"""/api/truy-cap/: the visit counter's numbers as JSON (CONTRACT §3)."""

from django.http import JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from . import counter


@require_GET
@cache_control(public=True, max_age=counter.STATS_TTL)
def visits_api(request):
    return JsonResponse(counter.stats(), json_dumps_params={"ensure_ascii": False})
