"""Site-wide template context: the jurisdiction's names, its contacts, the banner,
and what the signed-in header needs to know about the user."""

from django.conf import settings
from django.templatetags.static import static

from . import header


def banner_url(path):
    """A static path through the static files (hashed names), a site path as it is."""
    if not path or path.startswith("/"):
        return path
    return static(path)


def site(request):
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TITLE": settings.SITE_TITLE,
        "SITE_AUTHORITY": settings.SITE_AUTHORITY,
        "SITE_AUTHORITY_EN": settings.SITE_AUTHORITY_EN,
        "SITE_ADDRESS": settings.SITE_ADDRESS,
        "SITE_PHONE": settings.SITE_PHONE,
        "SITE_PHONE_TEL": "".join(c for c in settings.SITE_PHONE if c in "+0123456789"),
        "SITE_EMAIL": settings.SITE_EMAIL,
        "SITE_CONTENT_OFFICER": settings.SITE_CONTENT_OFFICER,
        "SITE_CONTENT_OFFICER_TITLE": settings.SITE_CONTENT_OFFICER_TITLE,
        "SITE_CONTENT_OFFICER_TITLE_EN": settings.SITE_CONTENT_OFFICER_TITLE_EN,
        "SITE_BANNER_URL": banner_url(settings.SITE_BANNER_PATH),
        "ADMIN_PATH": settings.ADMIN_PATH,
        # Called by the header only for signed-in staff (see portal.header).
        "heads_a_unit": lambda: header.heads_a_unit(request),
    }
