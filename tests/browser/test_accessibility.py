"""axe-core over the public pages and a unit head's pages, at 1366 and 390 px.

The demo is loaded (with its trial accounts) and every page below is checked by
axe-core 4 (vendored from the npm registry in tests/browser/vendor/axe-core/, with
its MPL-2.0 licence; nothing of it ships with the portal). The test fails on any
violation axe rates serious or critical, and names each rule, its targets and its
help; on any "Refused to …" message of the Content Security Policy; and on a radio
button or checkbox whose edge is under 3:1 against white (WCAG 1.4.11, which axe
does not check).

How axe gets into a page under the enforced CSP: the site allows scripts only from
'self', so ``page.add_script_tag(path=...)``, which writes axe's source into an
inline <script>, is refused, and ``bypass_csp=True`` would check a page other than
the one readers get (inline code would then run). Instead Playwright's router
answers a same-origin address the portal does not serve (``/__axe__/axe.min.js``)
with the vendored file, and ``add_script_tag(url=...)`` loads it as an ordinary
'self' script: the policy stays exactly as in production, and the portal serves no
test code. ``axe.run`` is then called through Playwright's ``evaluate``, which the
page's CSP does not govern.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from doclibrary.models import Document
from news.models import Article
from polls.models import Question
from portal.demo_users import DEMO_PASSWORD
from registrations import periods

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe__/axe.min.js"
WIDTHS = (1366, 390)
HEAD = "truong.dongkhe"  # the demo's head of xã Đông Khê
HEAD_UNIT = "XA-DONG-KHE"
DEMO_UNIT = "PHONG-GDDT"  # registered for 2017, with progress

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# Serious and critical violations only, small enough to send back.
RUN_AXE = """async () => {
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            targets: v.nodes.slice(0, 8).map((n) => n.target.join(" ")),
            summary: v.nodes.length ? v.nodes[0].failureSummary : "",
        }));
}"""

# Radio buttons and checkboxes whose border is under 3:1 against white.
FAINT_CONTROLS = """() => {
    const channel = (c) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const luminance = (rgb) => {
        const [r, g, b] = rgb.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    return [...document.querySelectorAll("input[type=radio], input[type=checkbox]")]
        .filter((el) => el.offsetParent !== null)
        .map((el) => {
            const colour = getComputedStyle(el).borderTopColor;
            const ratio = 1.05 / (luminance(colour) + 0.05);
            return { name: el.name, colour, ratio: Math.round(ratio * 100) / 100 };
        })
        .filter((c) => c.ratio < 3);
}"""


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


def public_pages():
    article = Article.objects.published().order_by("-published_at").first()
    return [
        "/",
        "/tin-tuc/",
        article.get_absolute_url(),
        article.section.get_absolute_url(),
        "/tim-kiem/?q=kieu+mau",
        Document.objects.published().order_by("pk").first().get_absolute_url(),
        Question.objects.order_by("pk").first().get_absolute_url(),
        "/tien-do/",
        "/tien-do/2017/",
        f"/tien-do/don-vi/{DEMO_UNIT}/",
        "/binh-chon/",
        "/so-do-trang/",
        "/dang-nhap/",
        "/van-ban/",
        "/en/",
        "/don-vi-kieu-mau/",
    ]


def head_pages():
    year, quarter = periods.current()
    return [
        "/dang-ky/",
        f"/dang-ky/{HEAD_UNIT}/",
        f"/dang-ky/{HEAD_UNIT}/tien-do/{year}/{quarter}/",
        "/tai-khoan/",
    ]


def check(page, base, paths, problems):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(f"{base}{path}")
            where = f"{path} at {width} px"
            if response.status != 200:
                problems.append(f"{where}: HTTP {response.status}")
                continue
            page.add_script_tag(url=f"{base}{AXE_PATH}")
            for v in page.evaluate(RUN_AXE):
                problems.append(
                    f"{where}: {v['impact']} {v['id']} — {v['help']}\n"
                    f"    targets: {', '.join(v['targets'])}\n"
                    f"    {v['summary']}".rstrip()
                )
            for control in page.evaluate(FAINT_CONTROLS):
                problems.append(
                    f"{where}: the border of {control['name']!r} ({control['colour']})"
                    f" is {control['ratio']}:1 against white, under 3:1"
                )


def test_public_and_unit_head_pages_have_no_serious_axe_violation(live_server, page):
    call_command("load_demo", users=True, stdout=io.StringIO())
    problems = []
    page.route(
        f"**{AXE_PATH}",
        lambda route: route.fulfill(path=AXE, content_type="text/javascript"),
    )
    page.on(
        "console",
        lambda msg: (
            problems.append(f"{page.url}: {msg.text}")
            if "Refused" in msg.text or "Content Security Policy" in msg.text
            else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"{page.url}: {exc}"))

    check(page, live_server.url, public_pages(), problems)

    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(HEAD)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/dang-ky/")
    check(page, live_server.url, head_pages(), problems)

    assert not problems, "\n".join(problems)
