"""Who may see and who may change a unit's evidence (CONTRACT §4).

See: the unit's heads and district staff (``registrations.view_evidence``).
Change (add, delete): the unit's heads only, and only while the unit may change
its report; staff review the report and return it, they do not write the unit's
proof. Anyone else signed in: a unit head gets 404 (nothing tells whether the
unit or the file exists), any other role 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from units.models import Unit

from ..models import Evidence

VIEW_PERMISSION = "registrations.view_evidence"


def _refuse(user):
    if Unit.objects.headed_by(user).exists():
        raise Http404
    raise PermissionDenied


def unit_for_change(user, code):
    """The unit ``code`` if ``user`` heads it; 404 or 403 otherwise."""
    unit = Unit.objects.headed_by(user).filter(code=code).first()
    if unit is None:
        _refuse(user)
    return unit


def evidence_for_view(user, pk):
    """The evidence ``pk`` if ``user`` heads its unit or is district staff."""
    if not user.has_perm(VIEW_PERMISSION) and not Unit.objects.headed_by(user).exists():
        raise PermissionDenied
    queryset = Evidence.objects.select_related("reported_value__report__unit")
    if not user.has_perm(VIEW_PERMISSION):
        queryset = queryset.filter(reported_value__report__unit__heads=user)
    return get_object_or_404(queryset, pk=pk)


def evidence_for_change(user, pk):
    """The evidence ``pk`` if ``user`` heads its unit; 404 or 403 otherwise."""
    queryset = Evidence.objects.select_related(
        "reported_value__report__unit", "reported_value__indicator"
    ).filter(reported_value__report__unit__heads=user)
    evidence = queryset.filter(pk=pk).first()
    if evidence is None:
        _refuse(user)
    return evidence
