"""HEAD requests are answered without a body, as gunicorn expects.

Django's test client drops a HEAD response's body itself (as runserver does), so
these tests call the WSGI application the way gunicorn does and read what it
hands back.
"""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from tests.news.helpers import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def wsgi():
    """Call the site as a WSGI server does: (status, headers, body bytes)."""
    application = get_wsgi_application()
    # As Django's test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def call(method, path):
        environ = {"REQUEST_METHOD": method, "PATH_INFO": path}
        environ["wsgi.input"] = io.BytesIO()
        setup_testing_defaults(environ)
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer.update(status=status, headers=dict(headers))

        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
        return answer["status"], answer["headers"], body

    yield call
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("path", ["/", "/tin-tuc/"])
def test_head_of_a_cached_page_has_no_body_and_the_get_length(wsgi, path):
    make_article("Hội nghị giao ban quý I")
    heads = [wsgi("HEAD", path) for _ in range(2)]  # rendered, then from the cache
    status, headers, body = wsgi("GET", path)
    assert status.startswith("200")
    assert "Hội nghị giao ban quý I" in body.decode()

    for head_status, head_headers, head_body in heads:
        assert head_status.startswith("200")
        assert head_body == b""
        assert head_headers["Content-Length"] == str(len(body))
        assert head_headers["Content-Type"] == headers["Content-Type"]


def test_get_keeps_its_body(wsgi):
    make_article("Hội nghị giao ban quý I")
    for _ in range(2):
        status, headers, body = wsgi("GET", "/tin-tuc/")
        assert status.startswith("200")
        assert headers["Content-Length"] == str(len(body))
        assert "Hội nghị giao ban quý I" in body.decode()


def test_head_of_a_missing_page_has_no_body(wsgi):
    status, _headers, body = wsgi("HEAD", "/khong-co-trang-nay/")
    assert status.startswith("404")
    assert body == b""


def test_head_of_a_streamed_file_has_no_body(rf):
    from django.http import FileResponse

    from kieumau.head_requests import HeadWithoutBodyMiddleware

    def view(request):
        return FileResponse(io.BytesIO(b"%PDF-1.4 minh chung"), filename="mc.pdf")

    response = HeadWithoutBodyMiddleware(view)(rf.head("/minh-chung/"))
    assert b"".join(response.streaming_content) == b""
    assert response["Content-Length"] == "19"
    response = HeadWithoutBodyMiddleware(view)(rf.get("/minh-chung/"))
    assert b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"
