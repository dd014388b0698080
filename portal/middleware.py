"""Visit counting (portal.counter) as a middleware, outside every view cache."""

from . import counter


class VisitCounterMiddleware:
    """Counts public page views; see portal.counter for what is counted and how."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        counter.count_if_page_view(request, response)
        return response
