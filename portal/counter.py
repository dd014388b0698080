"""Visit counter (truy cập). Implemented with the poll and counter issue."""


def count_if_page_view(request, response):
    """Count ``request`` when it is a public page view by a person."""
    return False
