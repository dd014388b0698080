import pytest

from news.sanitize import sanitize_html
from tests.news.helpers import make_article

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    '<a href="  javascript:alert(1)">bấm</a>',
    '<iframe src="https://evil.example/"></iframe>',
    "<svg onload=alert(1)><circle/></svg>",
    '<p style="background:url(javascript:alert(1))">chữ</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<body onload="alert(1)">',
    '<div onclick="alert(1)">chữ</div>',
    "<style>body{display:none}</style>",
    '<object data="evil.swf"></object>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name="x"></form>',
    '<a href="vbscript:msgbox(1)">x</a>',
]
DANGER = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "javascript:",
    "vbscript:",
    "<iframe",
    "<svg",
    "style=",
    "<style",
    "data:",
    "<object",
    "<form",
    "<input",
    "<body",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizer_removes_every_dangerous_part(payload):
    cleaned = sanitize_html(payload).lower()
    for needle in DANGER:
        assert needle not in cleaned, (payload, cleaned)


def test_allowed_markup_survives():
    html = (
        "<h2>Mục</h2><p><strong>đậm</strong> <em>nghiêng</em> <u>gạch</u> <s>xóa</s>"
        "<br></p><blockquote>trích</blockquote><ul><li>a</li></ul><ol><li>b</li></ol>"
        '<figure><img src="/media/a.jpg" alt="ảnh" width="400" height="300">'
        "<figcaption>chú thích</figcaption></figure>"
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody>"
        "</table>"
    )
    assert sanitize_html(html) == html


def test_links_keep_href_and_title_and_get_rel_noopener():
    cleaned = sanitize_html(
        '<a href="https://dongson.example/" title="Huyện" target="_blank">x</a>'
    )
    assert (
        cleaned
        == '<a href="https://dongson.example/" title="Huyện" rel="noopener">x</a>'
    )


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_stored_and_rendered_article_is_harmless(client, payload):
    article = make_article("Bài thử", body=f"<p>Trước</p>{payload}<p>Sau</p>")
    article.refresh_from_db()
    for needle in DANGER:
        assert needle not in article.body.lower()
    html = client.get(article.get_absolute_url()).content.decode()
    start = html.index('<div class="article-body">')
    body = html[start : html.index("</div>", start)].lower()
    for needle in DANGER:
        assert needle not in body, (payload, body)
    assert "trước" in body


@pytest.mark.parametrize(
    "html, kept",
    [
        ('<p>a<img src="javascript:alert(1)" alt="x">b</p>', "<p>ab</p>"),
        ('<p>a<img alt="a src=x">b</p>', "<p>ab</p>"),
        ('<img src="data:image/png;base64,AA">', ""),
        (
            '<p><img src="/media/a.png" alt="ảnh"></p>',
            '<p><img src="/media/a.png" alt="ảnh"></p>',
        ),
    ],
)
def test_an_image_left_without_an_address_is_dropped(html, kept):
    assert sanitize_html(html) == kept
