"""Charts coloured by what a figure means, each with its table (issue 19, item 5)."""

import json
import re
from pathlib import Path

import pytest

from registrations import charts
from tests.registrations import figures_data

pytestmark = pytest.mark.django_db

GREEN, AMBER, RED = charts.MET.color, charts.PARTLY.color, charts.LOW.color
CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "reports.css"


@pytest.fixture
def data():
    return figures_data.scenario()


def _json(html, element_id):
    match = re.search(
        rf'<script id="{element_id}" type="application/json">(.*?)</script>',
        html,
        re.S,
    )
    return json.loads(match.group(1))


def _table(html, table_id):
    """The body rows of a table as lists of cell texts (tags stripped)."""
    start = html.index(f'id="{table_id}"')
    table = html[start : html.index("</table>", start)]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _canvas(html, canvas_id):
    return re.search(rf'<canvas id="{canvas_id}"[^>]*>', html).group(0)


@pytest.mark.parametrize(
    ("met", "total", "expected"),
    [
        (3, 3, charts.MET),
        (99, 100, charts.PARTLY),
        (1, 2, charts.PARTLY),
        (49, 100, charts.LOW),
        (0, 1, charts.LOW),
        (0, 0, charts.LOW),
    ],
)
def test_a_figure_falls_in_its_band_exactly_at_the_edges(met, total, expected):
    assert charts.band(met, total) is expected


def test_band_colours_are_readable_against_white_and_black():
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    def contrast(a, b):
        low, high = sorted([luminance(a), luminance(b)])
        return (high + 0.05) / (low + 0.05)

    for colour in [*(b.color for b in charts.BANDS), charts.COUNT_COLOR]:
        assert contrast(colour, "#ffffff") >= 3, colour
    for colour in [*(b.color_dark for b in charts.BANDS), charts.COUNT_COLOR_DARK]:
        assert contrast(colour, "#000000") >= 3, colour


def test_the_stylesheet_paints_each_band_in_the_charts_colour():
    css = CSS.read_text()
    for b in charts.BANDS:
        assert f".band-{b.key} {{ background: {b.color}; }}" in css
        assert f"progress.km-progress-{b.key} {{ accent-color: {b.color}; }}" in css
        assert (
            f"body.high-contrast .band-{b.key} {{ background: {b.color_dark}; }}" in css
        )


def test_lagging_criteria_are_coloured_by_their_rate(client, data):
    html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    chart = _json(html, "du-lieu-bieu-do")["criteria"]
    # Q1/2017: sport 0/1, house 1/2, income 1/2, poverty 2/2 (figures_data).
    assert chart["labels"] == [
        "Khu thể thao",
        "Nhà văn hóa thôn",
        "Thu nhập",
        "Tỷ lệ hộ nghèo",
    ]
    assert chart["values"] == [0.0, 50.0, 50.0, 100.0]
    assert chart["bands"] == ["thap", "mot-phan", "mot-phan", "dat"]
    assert chart["colors"] == [RED, AMBER, AMBER, GREEN]
    assert chart["colors_dark"] == [
        charts.LOW.color_dark,
        charts.PARTLY.color_dark,
        charts.PARTLY.color_dark,
        charts.MET.color_dark,
    ]
    # The legend names every colour in words.
    legend = html[html.index('class="chart-legend"') :]
    legend = legend[: legend.index("</ul>")]
    for b in charts.BANDS:
        assert f"band-{b.key}" in legend and b.label in legend


def test_the_criteria_table_has_the_charts_numbers_and_says_the_band(client, data):
    html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    chart = _json(html, "du-lieu-bieu-do")["criteria"]
    rows = _table(html, "bang-tieu-chi")
    assert len(rows) == len(chart["labels"])
    for row, label, value, b in zip(
        rows, chart["labels"], chart["values"], chart["bands"], strict=True
    ):
        band = next(each for each in charts.BANDS if each.key == b)
        assert row[0] == f"{label} ({band.label})"
        assert row[3] == f"{value:.1f}%".replace(".", ",")
    assert [r[2] for r in rows] == ["0/1", "1/2", "1/2", "2/2"]
    start = html.index('id="bang-tieu-chi"')
    assert "<caption" in html[start : html.index("</table>", start)]


def test_the_kinds_table_has_the_charts_numbers(client, data):
    html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    chart = _json(html, "du-lieu-bieu-do")["kinds"]
    rows = _table(html, "bang-dang-ky")
    assert [r[0] for r in rows] == chart["labels"]
    assert [int(r[1]) for r in rows] == chart["values"] == [1, 0, 2, 0, 0, 0]
    # Counts carry no judgement: one neutral colour.
    assert chart["color"] == charts.COUNT_COLOR


def test_each_chart_is_an_image_with_a_summary_for_screen_readers(client, data):
    html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    kinds = _canvas(html, "bieu-do-dang-ky")
    assert 'role="img"' in kinds
    assert "Thôn, khu phố: 2" in kinds and "Cơ quan, đơn vị: 1" in kinds
    criteria = _canvas(html, "bieu-do-tieu-chi")
    assert 'role="img"' in criteria
    assert "4 tiêu chí thấp nhất, từ 0,0 % (Khu thể thao)" in criteria
    assert "đến 100,0 % (Tỷ lệ hộ nghèo)" in criteria
    assert "1 đạt 100 %, 2 đạt từ 50 % đến dưới 100 %, 1 đạt dưới 50 %" in criteria


def test_each_units_progress_bar_takes_the_colour_of_its_band(client, data):
    html = client.get("/tien-do/2017/", {"quy": 1}).content.decode()
    table = html[html.index('id="h-don-vi"') :]

    def progress_class(name):
        bar = re.search(
            rf'<progress class="([^"]+)"[^>]*aria-label="Tiến độ {name}"', table
        )
        return bar.group(1)

    assert progress_class("Thôn Ấp Ba") == "km-progress km-progress-dat"  # 3/3
    assert progress_class("Thôn An Hòa") == "km-progress km-progress-thap"  # 1/3
    assert progress_class("Bảo hiểm xã hội huyện") == "km-progress km-progress-thap"


def test_a_units_history_is_coloured_by_quarter_with_its_table(client, data):
    html = client.get("/tien-do/don-vi/THON-A/").content.decode()
    chart = _json(html, "du-lieu-don-vi")[0]
    assert chart["total"] == 3
    assert len(chart["values"]) == len(chart["colors"]) == len(chart["labels"])
    for value, colour in zip(chart["values"], chart["colors"], strict=True):
        expected = charts.band(value, chart["total"]).color
        assert colour == expected
    assert chart["values"][-1] == 3 and chart["colors"][-1] == GREEN
    canvas = re.search(r'<canvas class="unit-chart"[^>]*>', html).group(0)
    assert 'role="img"' in canvas
    assert f"đến 3/3 ({chart['labels'][-1]})" in canvas
    start = html.index('<caption class="visually-hidden">Số tiêu chí đạt theo quý')
    table = html[start : html.index("</table>", start)]
    rows = re.findall(r'<tr><th scope="row"[^>]*>(.*?)</th><td[^>]*>(.*?)</td>', table)
    assert [r[0] for r in rows] == chart["labels"]
    assert [r[1] for r in rows] == [f"{v}/3" for v in chart["values"]]
    swatches = re.findall(r'band-swatch band-([a-z-]+)"', table)
    assert swatches == chart["bands"]
