"""Quarterly progress entry: the per-unit screen, the per-quarter list, save_quarter."""

import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from registrations import services
from registrations.models import Indicator, Progress, QuarterSheet
from tests import factories
from tests.conftest import login

# Inside 2017 Q1's entry window (locks 30 days after 31/03/2017).
OPEN = "2017-03-20 10:00 +07:00"


@pytest.fixture
def title(db):
    return factories.make_catalogue(code="CQKM")


@pytest.fixture
def registered(unit_a, title):
    factories.make_registration(unit_a, title, year=2017)
    return unit_a


def indicators(title):
    return {
        i.code.split("-")[-1]: i
        for i in Indicator.objects.filter(criterion__title=title)
    }


def entry_url(unit, year=2017, quarter=1):
    return reverse(
        "admin:registrations_progress_entry", args=[unit.code, year, quarter]
    )


def field(indicator):
    return f"ct_{indicator.pk}"


@time_machine.travel(OPEN, tick=False)
def test_entry_screen_shows_indicators_grouped_with_previous_value_and_target(
    client, district_staff, registered, title
):
    ind = indicators(title)
    factories.make_progress(registered, ind["TL"], 2016, 3, "70")
    factories.make_progress(registered, ind["TL"], 2016, 4, "75,5".replace(",", "."))
    factories.make_progress(registered, ind["TL"], 2017, 2, "99")  # after: ignored

    response = login(client, district_staff).get(entry_url(registered))

    assert response.status_code == 200
    html = response.content.decode()
    assert "CQKM-TC1" in html and "CQKM-TC2" in html
    assert "75,5" in html and "Quý IV/2016" in html
    assert "≥ 80 %" not in html  # no unit of measure set on the factory indicator
    assert "≥ 80" in html and "≤ 3" in html
    assert 'name="version"' in html


@time_machine.travel(OPEN, tick=False)
def test_saving_writes_values_with_decimal_comma_and_shows_met(
    client, district_staff, registered, title
):
    ind = indicators(title)
    login(client, district_staff)

    response = client.post(
        entry_url(registered),
        {
            "version": 0,
            field(ind["CK"]): "1",
            field(ind["TL"]): "85,5",
            field(ind["SL"]): "4",
        },
        follow=True,
    )

    assert response.status_code == 200
    values = dict(
        Progress.objects.filter(unit=registered, year=2017, quarter=1).values_list(
            "indicator__code", "value"
        )
    )
    assert values == {"CQKM-CK": 1, "CQKM-TL": Decimal("85.5"), "CQKM-SL": 4}
    html = response.content.decode()
    assert "Đã lưu tiến độ Quý I/2017" in html
    assert "Đạt 2/3" not in html  # the summary counts met indicators
    assert "đạt 2/3" in html
    assert html.count("km-met-no") == 1  # SL 4 > 3 is not met
    assert QuarterSheet.objects.get(unit=registered).version == 1


@time_machine.travel(OPEN, tick=False)
def test_every_save_writes_history_rows_with_the_user(
    client, district_staff, registered, title
):
    ind = indicators(title)
    login(client, district_staff)
    client.post(entry_url(registered), {"version": 0, field(ind["TL"]): "50"})
    client.post(entry_url(registered), {"version": 1, field(ind["TL"]): "60"})

    history = Progress.history.filter(indicator=ind["TL"]).order_by("history_date")
    assert [h.value for h in history] == [50, 60]
    assert {h.history_user for h in history} == {district_staff}
    assert [h.history_type for h in history] == ["+", "~"]


@time_machine.travel(OPEN, tick=False)
def test_not_entered_clears_a_stored_value(client, district_staff, registered, title):
    ind = indicators(title)
    login(client, district_staff)
    client.post(entry_url(registered), {"version": 0, field(ind["CK"]): "0"})
    client.post(entry_url(registered), {"version": 1, field(ind["CK"]): ""})

    assert not Progress.objects.filter(indicator=ind["CK"]).exists()
    assert Progress.history.filter(indicator=ind["CK"]).latest().history_type == "-"


@time_machine.travel(OPEN, tick=False)
@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        ("TL", "101", "Tỷ lệ phải trong khoảng 0–100."),
        ("TL", "-1", "Tỷ lệ phải trong khoảng 0–100."),
        ("SL", "-2", "Số lượng không được âm."),
        ("SL", "mười", "không phải là một số"),
        ("TL", "1,2,3", "không phải là một số"),
        ("CK", "có lẽ", "Chọn “Đạt”, “Chưa đạt” hoặc “Chưa nhập”."),
    ],
)
def test_invalid_values_are_refused_in_vietnamese_and_nothing_is_saved(
    client, district_staff, registered, title, code, raw, message
):
    ind = indicators(title)
    login(client, district_staff)

    response = client.post(
        entry_url(registered),
        {"version": 0, field(ind["TL"]): "90", field(ind[code]): raw},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Progress.objects.exists()


@time_machine.travel(OPEN, tick=False)
def test_second_of_two_concurrent_forms_is_refused_with_what_changed(
    client, district_staff, supervisor, registered, title
):
    ind = indicators(title)
    first, second = client, client.__class__()
    login(first, district_staff)
    login(second, supervisor)
    # Both load the screen at version 0.
    assert 'value="0"' in first.get(entry_url(registered)).content.decode()
    assert 'value="0"' in second.get(entry_url(registered)).content.decode()

    first.post(entry_url(registered), {"version": 0, field(ind["TL"]): "85"})
    response = second.post(
        entry_url(registered), {"version": 0, field(ind["TL"]): "40"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "đã được người khác lưu" in html
    assert "chưa nhập → 85" in html and "85,0000" not in html
    assert "canbo" in html  # who changed it
    assert Progress.objects.get(indicator=ind["TL"]).value == 85
    assert QuarterSheet.objects.get(unit=registered).version == 1


@time_machine.travel(OPEN, tick=False)
def test_save_quarter_refuses_indicators_of_another_title(registered, district_staff):
    other = factories.make_catalogue(code="KHAC")
    foreign = Indicator.objects.filter(criterion__title=other).first()
    with pytest.raises(ValidationError):
        services.save_quarter(
            unit=registered,
            year=2017,
            quarter=1,
            values={foreign.pk: "1"},
            expected_version=0,
            by=district_staff,
        )
    assert not Progress.objects.exists()


@time_machine.travel(OPEN, tick=False)
def test_unit_without_active_registration_shows_empty_state(
    client, district_staff, unit_b
):
    response = login(client, district_staff).get(entry_url(unit_b))
    assert response.status_code == 200
    assert "chưa có đăng ký đang hiệu lực" in response.content.decode()


@pytest.mark.parametrize(
    "path_args", [("NO-SUCH", 2017, 1), ("UNIT-A", 2017, 5), ("UNIT-A", 1999, 1)]
)
def test_entry_screen_answers_404_for_unknown_unit_or_period(
    client, district_staff, unit_a, path_args
):
    url = reverse("admin:registrations_progress_entry", args=path_args)
    assert login(client, district_staff).get(url).status_code == 404


# ---- screen (b): one quarter, every unit


def overview_url(**params):
    url = reverse("admin:registrations_progress_quarters")
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


@time_machine.travel(OPEN, tick=False)
def test_overview_counts_entered_and_met_per_unit(
    client, district_staff, registered, unit_b, title
):
    ind = indicators(title)
    factories.make_registration(unit_b, title, year=2018)
    factories.make_progress(registered, ind["CK"], 2017, 1, "1")
    factories.make_progress(registered, ind["SL"], 2017, 1, "7")
    factories.make_progress(unit_b, ind["CK"], 2016, 4, "1")  # another quarter

    response = login(client, district_staff).get(overview_url(nam=2017, quy=1))

    assert response.status_code == 200
    rows = {r.unit.code: r for r in response.context["rows"]}
    assert (rows["UNIT-A"].total, rows["UNIT-A"].entered, rows["UNIT-A"].met) == (
        3,
        2,
        1,
    )
    assert (rows["UNIT-B"].entered, rows["UNIT-B"].met, rows["UNIT-B"].missing) == (
        0,
        0,
        3,
    )
    assert entry_url(registered) in response.content.decode()


@time_machine.travel(OPEN, tick=False)
def test_overview_counts_a_unit_with_two_registrations_once(
    client, district_staff, registered, unit_b, title
):
    second_title = factories.make_catalogue(code="CQKM2")
    factories.make_registration(registered, second_title, year=2018)
    factories.make_registration(unit_b, title, year=2018)
    for unit in (registered, unit_b):  # both complete for the first title only
        for indicator in Indicator.objects.filter(criterion__title=title):
            factories.make_progress(unit, indicator, 2017, 1, "1")
    login(client, district_staff)

    response = client.get(overview_url(nam=2017, quy=1))

    assert len(response.context["rows"]) == 3
    assert (response.context["units"], response.context["registrations"]) == (2, 3)
    assert response.context["complete"] == 1  # unit A still misses its second title
    html = response.content.decode()
    assert "2 đơn vị có đăng ký đang hiệu lực (3 đăng ký)" in html
    assert "1 đơn vị đã nhập đủ" in html


@pytest.mark.parametrize(
    "params",
    [{"nam": "abc", "quy": 1}, {"nam": 2017, "quy": 7}, {"nam": -1, "quy": 1}],
)
def test_overview_answers_400_for_bad_parameters(client, district_staff, params):
    response = login(client, district_staff).get(overview_url(**params))
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def _make_units(n, title):
    for _ in range(n):
        unit = factories.make_unit()
        factories.make_registration(unit, title, year=2017)


@pytest.mark.parametrize("n", [10, 50])
def test_overview_query_count_does_not_grow_with_units(
    client, district_staff, title, django_assert_max_num_queries, n
):
    _make_units(n, title)
    login(client, district_staff)
    with django_assert_max_num_queries(9):  # totals in Python: 4 reads
        response = client.get(overview_url(nam=2017, quy=1))
    assert len(response.context["rows"]) == n


@time_machine.travel(OPEN, tick=False)
def test_entry_screen_query_count_is_bounded(
    client, district_staff, registered, title, django_assert_max_num_queries
):
    criterion = title.criteria.first()
    for _ in range(20):
        factories.make_indicator(criterion)
    login(client, district_staff)
    with django_assert_max_num_queries(12):
        response = client.get(entry_url(registered))
    assert response.status_code == 200


@time_machine.travel(OPEN, tick=False)
def test_overview_can_show_only_units_still_missing_values(
    client, district_staff, registered, unit_b, title
):
    factories.make_registration(unit_b, title, year=2018)
    for indicator in Indicator.objects.filter(criterion__title=title):
        factories.make_progress(registered, indicator, 2017, 1, "1")
    login(client, district_staff)

    everyone = client.get(overview_url(nam=2017, quy=1))
    missing = client.get(overview_url(nam=2017, quy=1, thieu="on"))
    villages = client.get(overview_url(nam=2017, quy=1, loai="thon"))

    assert {r.unit.code for r in everyone.context["rows"]} == {"UNIT-A", "UNIT-B"}
    assert everyone.context["complete"] == 1
    assert [r.unit.code for r in missing.context["rows"]] == ["UNIT-B"]
    assert villages.context["rows"] == []
    assert "Không có đơn vị nào" in villages.content.decode()


@time_machine.travel(OPEN, tick=False)
def test_missing_version_is_refused_with_a_message(
    client, district_staff, registered, title
):
    ind = indicators(title)
    response = login(client, district_staff).post(
        entry_url(registered), {field(ind["TL"]): "90"}
    )
    assert "Biểu mẫu đã cũ hoặc không hợp lệ" in response.content.decode()
    assert not Progress.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_sheet_never_both_win():
    import threading

    from django.db import connection

    from registrations import periods

    if connection.vendor != "postgresql":
        pytest.skip("row locks of concurrent transactions need PostgreSQL")
    title = factories.make_catalogue(code="CQKM")
    unit = factories.make_unit("UNIT-RACE")
    factories.make_registration(unit, title, year=2027)
    indicator = Indicator.objects.get(code="CQKM-TL")
    year, quarter = periods.current()
    users = [factories.make_user(f"race{i}") for i in range(2)]
    barrier, results = threading.Barrier(2), []

    def save(user, value):
        try:
            barrier.wait(timeout=10)
            services.save_quarter(
                unit=unit,
                year=year,
                quarter=quarter,
                values={indicator.pk: value},
                expected_version=0,
                by=user,
            )
            results.append(("saved", value))
        except services.QuarterConflictError:
            results.append(("refused", value))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(users[0], "10")),
        threading.Thread(target=save, args=(users[1], "20")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(kind for kind, _ in results) == ["refused", "saved"]
    winner = next(value for kind, value in results if kind == "saved")
    assert Progress.objects.get(indicator=indicator).value == Decimal(winner)
    assert QuarterSheet.objects.get(unit=unit).version == 1


@time_machine.travel(OPEN, tick=True)
def test_conflict_lists_changes_made_by_a_file_import_too(
    client, district_staff, registered, title
):
    from django.db.models import F

    ind = indicators(title)
    login(client, district_staff)
    page = client.get(entry_url(registered))
    loaded_at = page.context["form"].initial["loaded_at"]
    # A file import meanwhile: history rows with its own reason, sheet version bumped.
    row = Progress(unit=registered, indicator=ind["SL"], year=2017, quarter=1)
    row.value = 2
    row._change_reason = "nhập tệp"
    row.save()
    QuarterSheet.objects.create(unit=registered, year=2017, quarter=1)
    QuarterSheet.objects.update(version=F("version") + 1)

    response = client.post(
        entry_url(registered),
        {"version": 0, "loaded_at": loaded_at, field(ind["SL"]): "1"},
    )

    changes = response.context["conflict"]
    assert [(c["indicator"].code, c["old"], c["new"]) for c in changes] == [
        ("CQKM-SL", None, 2)
    ]
    assert Progress.objects.get(indicator=ind["SL"]).value == 2


@time_machine.travel(OPEN, tick=False)
def test_overview_without_period_shows_the_current_quarter(
    client, district_staff, registered
):
    login(client, district_staff)
    for url in (overview_url(), overview_url(thieu="on")):
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["quarter_label"] == "Quý I/2017"
        assert [r.unit.code for r in response.context["rows"]] == ["UNIT-A"]


def test_progress_list_shows_values_as_people_write_them(
    client, district_staff, registered, title
):
    ind = indicators(title)
    factories.make_progress(registered, ind["TL"], 2017, 1, "95")
    factories.make_progress(registered, ind["SL"], 2017, 1, "2.5")
    factories.make_progress(registered, ind["CK"], 2017, 1, "1")
    url = reverse("admin:registrations_progress_changelist")
    html = login(client, district_staff).get(url).content.decode()
    assert "95,0000" not in html and "2,5000" not in html
    cells = re.findall(r'<td class="field-value_shown">(.*?)</td>', html)
    assert sorted(cells) == ["2,5", "95", "Đạt"]
