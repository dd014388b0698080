"""Public progress dashboard, unit pages and the JSON summary."""

from django.http import Http404, JsonResponse
from django.shortcuts import render


def dashboard(request, year=None):
    return render(request, "registrations/dashboard.html", {"year": year})


def unit_detail(request, code):
    raise Http404


def summary_api(request):
    return JsonResponse({"loi": "Chưa có dữ liệu."}, status=400)
