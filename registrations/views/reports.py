"""Staff report screens at /bao-cao/."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render


@login_required
@permission_required("registrations.view_reports", raise_exception=True)
def index(request):
    return render(request, "registrations/reports_index.html")
