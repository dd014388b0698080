"""Site-wide template context: the jurisdiction's names and the navigation."""

from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TITLE": settings.SITE_TITLE,
        "SITE_AUTHORITY": settings.SITE_AUTHORITY,
        "ADMIN_PATH": settings.ADMIN_PATH,
    }
