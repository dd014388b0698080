"""What the dashboard's and unit pages' charts show, coloured by what a figure means.

A rate or a unit's progress (CONTRACT §2) falls in one of three bands: everything met
(100 %: the criterion is met by every registered unit, the unit meets all its
title's criteria), half or more, and under half. The band, not the page, picks the
colour, so a bar, its legend, the progress bar of the units' table and the table's
words agree. The colours are at least 3:1 against white (WCAG 1.4.11 for graphics)
and again against black for the high-contrast view; ``static/css/reports.css``
repeats them for the legend and the progress bars (a test keeps the two in step).
"""

from dataclasses import dataclass

from django.utils.formats import number_format


@dataclass(frozen=True, slots=True)
class Band:
    key: str
    label: str
    color: str
    color_dark: str


MET = Band("dat", "Đạt 100 %", "#146c2e", "#6fdc8c")
PARTLY = Band("mot-phan", "Đạt từ 50 % đến dưới 100 %", "#b35900", "#ffb74d")
LOW = Band("thap", "Đạt dưới 50 %", "#a4161a", "#ff8a80")
BANDS = (MET, PARTLY, LOW)

# Counts (registrations by kind) carry no judgement: one neutral blue.
COUNT_COLOR = "#0b4f9c"
COUNT_COLOR_DARK = "#8ab4f8"


def band(met, total):
    """The band of ``met`` out of ``total`` (exact, no rounding at the edges)."""
    if total and met >= total:
        return MET
    if total and 2 * met >= total:
        return PARTLY
    return LOW


def _percent(value):
    return f"{number_format(value, 1)} %"


def _band_counts(bands):
    words = [
        f"{sum(1 for b in bands if b is each)} {each.label.lower()}" for each in BANDS
    ]
    return ", ".join(words)


def dashboard_chart(kind_rows, criteria):
    """The dashboard's two charts: registrations by kind, the lowest rates."""
    bands = [band(c.met, c.registrations) for c in criteria]
    kinds_summary = "; ".join(f"{label}: {count}" for label, count in kind_rows)
    criteria_summary = ""
    if criteria:
        lowest, highest = criteria[0], criteria[-1]
        criteria_summary = (
            f"Biểu đồ cột ngang tỷ lệ đơn vị đạt của {len(criteria)} tiêu chí "
            f"thấp nhất, từ {_percent(lowest.percent)} ({lowest.name}) đến "
            f"{_percent(highest.percent)} ({highest.name}); {_band_counts(bands)}. "
            "Số liệu đầy đủ trong bảng bên cạnh."
        )
    return {
        "kinds": {
            "labels": [r[0] for r in kind_rows],
            "values": [r[1] for r in kind_rows],
            "color": COUNT_COLOR,
            "color_dark": COUNT_COLOR_DARK,
            "summary": (
                f"Biểu đồ cột ngang số đơn vị đăng ký theo loại: {kinds_summary}. "
                "Số liệu trong bảng bên cạnh."
            ),
        },
        "criteria": {
            "labels": [c.name for c in criteria],
            "values": [round(c.percent, 2) for c in criteria],
            "bands": [b.key for b in bands],
            "colors": [b.color for b in bands],
            "colors_dark": [b.color_dark for b in bands],
            "summary": criteria_summary,
        },
    }


def unit_chart(title, history):
    """A unit's criteria met per quarter, each bar coloured by its band."""
    bands = [band(h["met"], h["total"]) for h in history]
    total = history[-1]["total"] if history else 0
    summary = ""
    if history:
        first, last = history[0], history[-1]
        summary = (
            f"Biểu đồ cột số tiêu chí đạt của danh hiệu {title} theo quý, "
            f"từ {first['met']}/{first['total']} ({first['label']}) đến "
            f"{last['met']}/{last['total']} ({last['label']}). "
            "Số liệu trong bảng bên dưới."
        )
    return {
        "title": title,
        "labels": [h["label"] for h in history],
        "values": [h["met"] for h in history],
        "total": total,
        "bands": [b.key for b in bands],
        "colors": [b.color for b in bands],
        "colors_dark": [b.color_dark for b in bands],
        "summary": summary,
    }
