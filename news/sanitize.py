"""Allow-list HTML sanitising of article bodies (nh3, the Rust ammonia cleaner).

Whatever an editor pastes, only these tags and attributes survive. Scripts, styles,
event handlers, iframes and ``javascript:``/``data:`` URLs are dropped, so the body
can be rendered with ``|safe``.
"""

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


def sanitize_html(html):
    """Return ``html`` reduced to the allow-list (links get rel="noopener")."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
        strip_comments=True,
    )
