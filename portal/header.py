"""What the signed-in header knows about its user: do they head a unit?

The answer decides the "Đăng ký của đơn vị" link for staff (issue #19: staff who
head no unit must not be offered it). Asking the database on every page would cost
every staff page a query, so it is asked once, when the user signs in
(``user_logged_in``, connected in ``portal.apps``), and kept in their session: a
staff member linked to a unit later sees the link after signing in again.
"""

from units.models import Unit

SESSION_KEY = "km_heads_unit"


def remember_headed_units(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = Unit.objects.headed_by(user).exists()


def heads_a_unit(request):
    """Whether the signed-in user headed a unit when they signed in."""
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SESSION_KEY, False))
