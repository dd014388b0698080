"""A citizen opens the progress dashboard on a desktop and on a 360 px phone."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.registrations import figures_data

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize(("name", "width"), [("desktop", 1280), ("phone", 360)])
def test_dashboard_draws_its_charts_under_the_csp(live_server, page, name, width):
    figures_data.scenario()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error"
            and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/tien-do/2017/?quy=1")
    expect(
        page.get_by_role("heading", name="Tiến độ xây dựng kiểu mẫu năm 2017")
    ).to_be_visible()
    for canvas in ("#bieu-do-dang-ky", "#bieu-do-tieu-chi"):
        drawn = page.evaluate(
            "(sel) => !!(window.Chart && Chart.getChart(document.querySelector(sel)))",
            canvas,
        )
        assert drawn, canvas
    # The filter card lines up with the cards below it (no row gutters on a card).
    edges = page.evaluate(
        """(selectors) => selectors
            .map((sel) => document.querySelector(sel).getBoundingClientRect())
            .map((box) => [Math.round(box.left), Math.round(box.right)])""",
        ['form[aria-label="Lọc đơn vị"]', 'section[aria-labelledby="h-don-vi"]'],
    )
    assert edges[0] == edges[1]
    # The tables stay for screen readers; nothing overflows a phone's width.
    expect(page.get_by_role("cell", name="Thôn An Hòa")).to_be_visible()
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"dashboard-{name}.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    assert not errors


def test_unit_page_draws_its_history(live_server, page):
    figures_data.scenario()
    page.goto(f"{live_server.url}/tien-do/don-vi/THON-B/")
    expect(page.get_by_role("heading", name="Thôn An Hòa")).to_be_visible()
    assert page.evaluate(
        "!!Chart.getChart(document.querySelector('canvas.unit-chart'))"
    )


def test_high_contrast_dashboard_keeps_tables_and_charts_readable(live_server, page):
    figures_data.scenario()
    page.goto(f"{live_server.url}/tien-do/2017/?quy=1")
    page.get_by_role("button", name="Tăng tương phản").click()
    colours = page.evaluate(
        """() => {
            const table = 'section[aria-labelledby="h-don-vi"] td';
            const cell = document.querySelector(table);
            const chart = Chart.getChart(document.querySelector("#bieu-do-tieu-chi"));
            return [
                getComputedStyle(cell).backgroundColor,
                chart.scales.x.options.ticks.color,
            ];
        }"""
    )
    # Yellow links sat on white cells; the axis text was grey on black.
    assert colours == ["rgb(0, 0, 0)", "#fff"]
