"""Who may run the appraisal: district staff holding ``recognition.run_appraisal``.

Anonymous visitors are sent to sign in; any other role (unit heads, editors) is
refused with 403. Staff see every council, appraisal and decision of the
jurisdiction, so the getters need no per-unit filter; a published decision's scan
is the only thing anyone may read (``decision_public``).
"""

from django.contrib.auth.decorators import login_required, permission_required

PERMISSION = "recognition.run_appraisal"


def staff_only(view):
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))
