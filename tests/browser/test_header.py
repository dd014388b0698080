"""The signed-in header on a 1366 px office screen: one line, whatever the role.

The widest header is a district staff member who also heads a unit: every public
link, "Đăng ký của đơn vị", the "Công việc" menu and a long full name in the user
menu. On a 1366 px screen all of it stays on the navigation bar's one line, and the
page is no wider than the screen. Screenshots go to test-artifacts/header-*.
"""

import pytest

from tests import factories
from tests.browser import test_journeys
from tests.browser.screens import assert_fits
from tests.browser.test_journeys import shot, sign_in

OFFICE = {"width": 1366, "height": 768}
problems = test_journeys.problems  # the same fixture: console errors, CSP, failed loads

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROW_MIDDLES = """() => {
  const items = [...document.querySelectorAll(
    '.site-nav .navbar-nav > .nav-item, .site-nav .user-menu')];
  return items.map((el) => {
    const box = el.getBoundingClientRect();
    return Math.round(box.top + box.height / 2);
  });
}"""


@pytest.fixture
def widest_user(db, unit_a):
    user = factories.make_user(
        "canbo_truong",
        groups=["Cán bộ huyện", "Trưởng đơn vị"],
        is_staff=True,
        first_name="Nguyễn Thị Phương",
        last_name="Thảo",
    )
    unit_a.heads.add(user)
    return user


@pytest.mark.parametrize("path", ["/", "/bao-cao/", "/dang-ky/"])
def test_the_signed_in_header_is_one_line_at_1366px(
    live_server, page, widest_user, problems, path
):
    page.set_viewport_size(OFFICE)
    sign_in(page, live_server, widest_user)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")
    nav = page.locator(".site-nav")
    for name in ("Trang chủ", "Đăng ký của đơn vị"):
        assert nav.get_by_role("link", name=name).is_visible(), name
    assert nav.get_by_role("button", name="Công việc").is_visible()
    assert nav.locator(".user-menu").is_visible()
    middles = page.evaluate(ROW_MIDDLES)
    # One line: every item's middle within a few pixels (a second line would sit
    # a whole item's height, about 40 px, lower).
    assert len(middles) >= 8, middles
    assert max(middles) - min(middles) <= 12, f"the header wraps on {path}: {middles}"
    assert_fits(page)
    shot(page, f"header-1366{path.strip('/').replace('/', '-') or '-home'}")
    assert not problems
