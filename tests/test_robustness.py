"""Robustness sweep: every URL of the site, fed hostile input, never answers 5xx.

The sweep walks the resolver tree of kieumau.urls (so a URL added tomorrow is
covered without touching this file), fills each path converter with hostile
values, then crawls the links the site itself shows, and asks each kind of page
again with hostile query strings; as an anonymous visitor, a unit head, district
staff and a superuser (who reaches every admin page). Then it posts back every
form those pages showed (one of each kind per route), its fields filled with
hostile values, with the page's own CSRF token (the client enforces CSRF). Error
pages must be the Vietnamese ones and must never show a traceback.
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from tests.conftest import login

HOSTILE_VALUES = [
    "99999999999999999999999",
    "-1",
    "0",
    "Đông Khê",
    "' OR 1=1 --",
    "{{7*7}}",
    "{% debug %}",
    "../../etc/passwd",
    "x" * 5000,
    "a\x00b",
    "bad--slug--",
    "<script>alert(1)</script>",
]

HOSTILE_QUERIES = [
    "page=-1",
    "page=abc",
    "page=" + "9" * 20,
    "page=0",
    "nam=abc",
    "nam=-1",
    "nam=" + "9" * 20,
    "quy=7",
    "nam=2017&quy=abc",
    "q=" + quote("<script>alert(1)</script>"),
    "q=" + quote("' OR 1=1 --"),
    "q=" + "a" * 5000,
    "q=%00",
    "nam=2017&quy=%00",
    "q=" + quote("{{7*7}} {% debug %}"),
    "p=-1&o=999&e=1",
    "nam=2017&quy=1&page=2&page=x",
    "nam=%C2%B2&page=%C2%B2",  # "²": isdigit() is true, int() refuses it
]

# The signed-in sweeps ask their own pages (staff screens, a unit head's pages) with
# one query string of each kind: the parameters are parsed by the same few helpers
# (``registrations.periods``, the paginators, the search forms), which the anonymous
# sweep feeds every variant above.
SIGNED_IN_QUERIES = [
    "page=abc",
    "page=" + "9" * 20,
    "nam=abc",
    "nam=" + "9" * 20,
    "quy=7",
    "nam=2017&quy=%00",
    "q=" + quote("<script>alert(1)</script>"),
    "q=" + "a" * 5000,
    "nam=%C2%B2&page=%C2%B2",
]

# The admin is Django's own, well-trodden code: a few values per admin URL keep
# the sweep quick while still catching a custom view or a broken third-party one.
ADMIN_VALUES = ["99999999999999999999999", "' OR 1=1 --", "a\x00b", "x" * 300]
ADMIN_QUERIES = ["p=-1&o=999&e=1", "q=%00", "q=" + quote("' OR 1=1 --"), "page=abc"]
ADMIN_PREFIX = f"/{settings.ADMIN_PATH}/"

MAX_URLS_PER_ROUTE = 3  # enough to see a list and a couple of detail pages
MAX_PAGES = 600

# One form of each kind per route is posted back, once per set of hostile values,
# not a product of fields and values: a public form once per HOSTILE_VALUES, every
# field the same value; an admin form twice, its fields taking ADMIN_VALUES in
# turn (each field two of them). Every other post also overwrites the hidden
# fields (formset counts, "next", ids). Signing out and the delete confirmations
# would end or empty the sweep.
SKIPPED_FORM_ACTIONS = re.compile(r"dang-xuat|/logout/$|/delete/$")
CSRF_REFUSED = "Không thể gửi biểu mẫu"  # templates/403_csrf.html

TRACEBACK_MARKERS = (
    "Traceback (most recent call last)",
    'File "/',
    "django.db.utils",
    "psycopg2.",
    "sqlite3.",
    "Exception Value",
)

ERROR_MARKERS = {
    404: "Không tìm thấy",
    403: "403",
    400: 'lang="vi"',
}


def _walk(resolver, prefix=""):
    """Yield the route of every URL pattern (route syntax or regex)."""
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        route = prefix + (
            str(pattern) if hasattr(pattern, "converters") else pattern.regex.pattern
        )
        if isinstance(entry, URLResolver):
            yield from _walk(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


_CONVERTER = re.compile(r"<(?:(?P<kind>[^>:]+):)?(?P<name>\w+)>")
_REGEX_GROUP = re.compile(r"\(\?P<\w+>(?:[^()]|\([^()]*\))*\)")


def _fill(route, value):
    """A concrete path for ``route`` with every parameter set to ``value``."""

    def segment(kind):
        return quote(value, safe="/" if kind == "path" else "")

    if "(?P<" in route or route.startswith("^"):
        path = _REGEX_GROUP.sub(lambda m: segment("str"), route)
        path = re.sub(r"[\^$]", "", path).replace("\\", "")
        if any(ch in path for ch in "()[]*+?|"):
            return None  # an unnamed regex we cannot fill by hand
    else:
        path = _CONVERTER.sub(lambda m: segment(m.group("kind") or "str"), route)
    return "/" + path.lstrip("/")


def resolver_paths(*, admin_values=ADMIN_VALUES):
    """Every route, plain ones as they are and parameterised ones filled."""
    plain, filled = [], []
    for route in _walk(get_resolver()):
        if "<" in route or "(?P<" in route:
            is_admin = ("/" + route).startswith(ADMIN_PREFIX)
            for value in admin_values if is_admin else HOSTILE_VALUES:
                path = _fill(route, value)
                if path:
                    filled.append(path)
        else:
            path = _fill(route, "")
            if path:
                plain.append(path)
    return plain, filled


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append(href)


class _Forms(HTMLParser):
    """The POST forms of a page: their action and fields, as a browser sees them."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self.current = {
                    "action": attrs.get("action") or "",
                    "multipart": "multipart" in (attrs.get("enctype") or ""),
                    "fields": [],
                }
            return
        if self.current is None or not attrs.get("name"):
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
        elif tag in ("select", "textarea"):
            kind = tag
        elif tag == "button":
            kind = "submit"
        else:
            return
        if kind in ("reset", "image"):
            return
        self.current["fields"].append((attrs["name"], kind, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def _post_forms(page, html):
    """(action path, form) for each POST form of ``page`` the sweep may send."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        parts = urlsplit(form["action"] or page)
        if parts.scheme or parts.netloc:
            continue
        action = parts.path or urlsplit(page).path
        if not action.startswith("/"):
            continue
        if parts.query:
            action += f"?{parts.query}"
        if SKIPPED_FORM_ACTIONS.search(urlsplit(action).path):
            continue
        yield action, form


def _value_sets(action):
    """(values, offset, hidden too) for each post of the form at ``action``."""
    if action.startswith(ADMIN_PREFIX):
        return [(ADMIN_VALUES, 0, False), (ADMIN_VALUES, len(ADMIN_VALUES) // 2, True)]
    return [([value], 0, n % 2 == 1) for n, value in enumerate(HOSTILE_VALUES)]


def _hostile_data(form, values, offset, *, hidden_too):
    """What a browser would post, the n-th field filled with values[n + offset]."""
    data = {}
    for n, (name, kind, page_value) in enumerate(form["fields"]):
        value = values[(n + offset) % len(values)]
        if name == "csrfmiddlewaretoken" or kind == "submit":
            data.setdefault(name, page_value)
        elif kind == "hidden" and not hidden_too:
            data.setdefault(name, page_value)
        elif kind == "file":
            data[name] = SimpleUploadedFile(
                "hostile.csv", value.encode("utf-8"), content_type="text/csv"
            )
        else:
            data[name] = value
    return data


def _internal_links(html):
    parser = _Links()
    parser.feed(html)
    for href in parser.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _route_of(path):
    try:
        return resolve(urlsplit(path).path).route
    except Resolver404:
        return None


def _problems(path, response):
    problems = []
    status = response.status_code
    if status >= 500:
        problems.append(f"{status}")
    content_type = response.get("Content-Type", "")
    body = b"" if getattr(response, "streaming", False) else response.content
    text = body.decode("utf-8", "replace")
    for marker in TRACEBACK_MARKERS:
        if marker in text:
            problems.append(f"leaks {marker!r}")
    if urlsplit(path).path.startswith("/api/") and status == 400:
        # CONTRACT §3: the API answers anything invalid with {"loi": "…"}.
        if not content_type.startswith("application/json") or '"loi"' not in text:
            problems.append("400 from the API without its JSON error")
    if content_type.startswith("text/html"):
        if "<script>alert(1)</script>" in text:
            problems.append("reflects a script tag unescaped")
        expected = ERROR_MARKERS.get(status)
        if expected and expected not in text:
            problems.append(f"{status} page without {expected!r}")
        # 405 from @require_POST has no body at all: nothing to translate.
        if status >= 400 and text.strip() and 'lang="vi"' not in text:
            problems.append(f"{status} page is not the Vietnamese one")
    return problems


def sweep(client, *, signed_in=False, admin_paths=True):
    """Ask every URL and post every form; return (problems, statistics).

    ``admin_paths``: False leaves the admin's routes filled with hostile values to
    the superuser's sweep (the admin parses an object id the same way for everyone,
    before or after its permission check); the admin pages are still crawled.
    """
    problems = []
    seen = set()
    downloads = set()
    per_route = Counter()
    statuses = Counter()
    forms = {}  # (route, field names) -> (action, form): one of each kind

    def ask(path):
        if path in seen or len(seen) >= MAX_PAGES * 4:
            return None
        seen.add(path)
        response = client.get(path)
        statuses[response.status_code] += 1
        for problem in _problems(path, response):
            problems.append(f"GET {path[:160]!r}: {problem}")
        return response

    plain, filled = resolver_paths(admin_values=ADMIN_VALUES if admin_paths else ())
    for path in filled:
        ask(path)

    # Crawl what the site links to, a few pages per kind of page.
    queue = deque(["/", *plain])
    crawled = []
    while queue and len(crawled) < MAX_PAGES:
        path = queue.popleft()
        route = _route_of(path)
        if route is None or per_route[route] >= MAX_URLS_PER_ROUTE:
            continue
        if "dang-xuat" in path:
            continue  # signing out would end the sweep's session
        per_route[route] += 1
        response = ask(path)
        if response is None:
            continue
        crawled.append(path)
        is_html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and not is_html:
            # A download (PDF, workbook): one of a route is enough, they are slow.
            per_route[route] = MAX_URLS_PER_ROUTE
            downloads.add(route)
        if response.status_code == 200 and is_html:
            html = response.content.decode("utf-8", "replace")
            queue.extend(_internal_links(html))
            for action, form in _post_forms(path, html):
                # Formset rows are numbered: a change page with two rows and
                # one with three are the same kind of form.
                names = frozenset(
                    re.sub(r"\d+", "#", name) for name, _kind, _value in form["fields"]
                )
                forms.setdefault((_route_of(action), names), (action, form))

    # Every kind of page again with hostile query strings; a signed-in sweep leaves
    # out the pages a visitor who is not signed in also gets (the anonymous sweep
    # asks those) and the downloads (their views read the same parameters as the
    # page that links them, which is asked).
    first_of_route = {}
    for path in crawled:
        first_of_route.setdefault(_route_of(path), urlsplit(path).path)
    anonymous = _client() if signed_in else None
    for route, path in first_of_route.items():
        if route in downloads:
            continue
        if anonymous is not None and anonymous.get(path).status_code == 200:
            continue
        if path.startswith(ADMIN_PREFIX):
            queries = ADMIN_QUERIES
        else:
            queries = SIGNED_IN_QUERIES if signed_in else HOSTILE_QUERIES
        for query in queries:
            ask(f"{path}?{query}")

    # Every kind of form, posted back with hostile values and a valid CSRF token.
    posted = Counter()
    for action, form in sorted(forms.values(), key=lambda item: item[0]):
        for values, offset, hidden_too in _value_sets(action):
            data = _hostile_data(form, values, offset, hidden_too=hidden_too)
            response = client.post(action, data)
            posted[response.status_code] += 1
            for problem in _problems(action, response):
                problems.append(
                    f"POST {action[:120]!r} ({values[0][:20]!r}): {problem}"
                )
            if response.status_code == 403 and CSRF_REFUSED in response.content.decode(
                "utf-8", "replace"
            ):
                problems.append(f"POST {action[:120]!r}: CSRF token refused")
    return problems, {
        "asked": len(seen),
        "routes": len(per_route),
        "forms": len(forms),
        "posted": sum(posted.values()),
        **statuses,
        **{f"POST {status}": n for status, n in posted.items()},
    }


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _client():
    return Client(raise_request_exception=False, enforce_csrf_checks=True)


def _run(client, *, signed_in=True, admin_paths=True):
    problems, stats = sweep(client, signed_in=signed_in, admin_paths=admin_paths)
    print(f"sweep: {stats}")  # shown with -s or on failure
    assert stats["asked"] > 100, stats
    assert not problems, f"{len(problems)} problems ({stats}):\n" + "\n".join(
        problems[:40]
    )
    return stats


def test_sweep_as_anonymous_visitor(demo):
    stats = _run(_client(), signed_in=False)
    assert stats.get(200, 0) > 10


def test_sweep_as_unit_head(demo, unit_head):
    _run(login(_client(), unit_head))


def test_sweep_as_district_staff(demo, district_staff):
    _run(login(_client(), district_staff), admin_paths=False)


def test_sweep_as_superuser_reaches_every_admin_page(demo, superuser):
    stats = _run(login(_client(), superuser))
    assert stats["routes"] > 30, stats


@pytest.mark.parametrize(
    "url",
    [
        "/api/tong-hop/?nam=2017&quy=%00",
        "/api/tong-hop/?nam=%002017",
        "/api/tong-hop/?x=a%00b",
        "/api/truy-cap/?x=%00",
        "/api/tong-hop/%00/",
    ],
)
def test_api_answers_a_nul_character_with_its_json_error(db, url):
    response = _client().get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"loi": "Tham số không hợp lệ."}


def test_pages_still_answer_a_nul_character_with_the_vietnamese_400_page(db):
    response = _client().get("/tien-do/?nam=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert 'lang="vi"' in response.content.decode()


def test_resolver_walk_covers_the_public_contract():
    plain, filled = resolver_paths()
    for path in (
        "/",
        "/tin-tuc/",
        "/tien-do/",
        "/api/tong-hop/",
        "/healthz",
        "/van-ban/",
        "/don-vi-kieu-mau/",
    ):
        assert path in plain
    assert any(p.startswith("/tin-tuc/") and p != "/tin-tuc/" for p in filled)
    assert any(p.startswith(f"/{settings.ADMIN_PATH}/") for p in filled)


def test_pages_render_with_hashed_static_files(demo, superuser, tmp_path, settings):
    """In production {% static %} reads collectstatic's manifest: a template naming
    a missing file would answer 500 there, never in development. Collect for real
    and render the main pages through that manifest."""
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "static" / "staticfiles.json").exists()

    client = _client()
    plain, _filled = resolver_paths()
    pages = [p for p in plain if not p.startswith(ADMIN_PREFIX)]
    for path in pages:
        response = client.get(path)
        assert response.status_code < 500, path
    login(client, superuser)
    for path in (ADMIN_PREFIX, f"{ADMIN_PREFIX}news/article/add/", "/bao-cao/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"staticfiles" not in response.content
    home = _client().get("/").content.decode()
    assert re.search(r"/static/css/site\.[0-9a-f]{12}\.css", home)
