"""Answer HEAD requests without a body.

Django's WSGI handler sends a HEAD response's body as it would a GET's (its test
client and runserver drop it themselves, gunicorn does not): gunicorn then logs
"WSGI app sent body bytes on a no-body response" for every HEAD, which monitors
and link checkers send often. The headers stay those of the GET, Content-Length
included (RFC 9110 §9.3.2).
"""


class HeadWithoutBodyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            response.streaming_content = []
        else:
            if not response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
