"""Allow-list HTML sanitising of article bodies (nh3, the Rust ammonia cleaner).

Whatever an editor pastes, only these tags and attributes survive. Scripts, styles,
event handlers, iframes and ``javascript:``/``data:`` URLs are dropped, so the body
can be rendered with ``|safe``. An image whose address was dropped (``data:``,
``javascript:``) or never given goes with it: a bare ``<img>`` shows a broken icon.
"""

import re

import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "u",
    "s",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# On nh3's own serialisation (attributes quoted, one space apart): an img without src.
IMAGE_WITHOUT_SOURCE = re.compile(r'<img(?![^>]*\ssrc=")[^>]*>')


def sanitize_html(html):
    """Return ``html`` reduced to the allow-list (links get rel="noopener")."""
    if not html:
        return ""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
    return IMAGE_WITHOUT_SOURCE.sub("", cleaned)
