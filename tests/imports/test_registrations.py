"""Import of registrations: upsert per unit and title, with history of the year."""

import datetime

import pytest

from registrations.models import Registration, RegistrationStatus
from tests import factories
from tests.imports.conftest import run_import, snapshot
from units.models import UnitKind

pytestmark = pytest.mark.django_db

HEADER = ["ma_don_vi", "nam_dang_ky", "ngay_dang_ky", "ma_danh_hieu"]


@pytest.fixture
def setup(db):
    agency_title = factories.make_title("DH-CQ", kind=UnitKind.CO_QUAN)
    school_title = factories.make_title(
        "DH-MN", kind=UnitKind.TRUONG, school_level="mam_non"
    )
    return {
        "agency": factories.make_unit("CQ-1"),
        "other": factories.make_unit("CQ-2"),
        "school": factories.make_unit("MN-1", kind=UnitKind.TRUONG),
        "agency_title": agency_title,
        "school_title": school_title,
    }


@pytest.mark.parametrize("name", ["registrations.csv", "registrations.xlsx"])
def test_registrations_file_creates_active_registrations(setup, write_file, name):
    rows = [
        HEADER,
        ["CQ-1", "2017", "03/10/2016", "DH-CQ"],
        ["MN-1", "2018", "2016-10-05", ""],  # title found from kind and level
        ["CQ-2", "2016", "", ""],  # past years are the programme's records
    ]
    result = run_import("registrations", write_file(rows, name=name))
    assert result.ok, result.err
    agency = Registration.objects.get(unit=setup["agency"])
    assert (agency.year, agency.registered_on, agency.status) == (
        2017,
        datetime.date(2016, 10, 3),
        RegistrationStatus.SUBMITTED,
    )
    school = Registration.objects.get(unit=setup["school"])
    assert (school.title, school.year) == (setup["school_title"], 2018)
    assert Registration.objects.get(unit=setup["other"]).registered_on is None


def test_new_year_replaces_the_target_year_and_keeps_history(setup, write_file):
    user = factories.make_user("canbo", groups=["Cán bộ huyện"], is_staff=True)
    registration = factories.make_registration(
        setup["agency"], setup["agency_title"], 2019
    )
    rows = [HEADER, ["CQ-1", "2018", "", ""]]
    result = run_import("registrations", write_file(rows), "--user", "canbo")
    assert result.ok, result.err
    registration.refresh_from_db()
    assert (registration.year, registration.updated_by) == (2018, user)
    assert Registration.objects.count() == 1
    years = list(registration.history.order_by("history_id").values_list("year"))
    assert years == [(2019,), (2018,)]
    assert registration.history.latest().history_user == user
    assert registration.version == 2  # a form still showing 2019 gets a conflict


def test_reimporting_registrations_adds_no_history(setup, write_file):
    path = write_file([HEADER, ["CQ-1", "2018", "01/02/2017", ""]])
    assert run_import("registrations", path).ok
    before = snapshot()
    result = run_import("registrations", path)
    assert result.ok
    assert "giữ nguyên 1" in result.out
    assert snapshot() == before


def test_dry_run_writes_no_registration(setup, write_file):
    before = snapshot()
    result = run_import(
        "registrations", write_file([HEADER, ["CQ-1", "2018"]]), "--dry-run"
    )
    assert result.ok
    assert "Sẽ tạo mới 1" in result.out
    assert snapshot() == before


BAD_ROWS = [
    (["CQ-404", "2018"], "row 3: ma_don_vi: không tìm thấy đơn vị “CQ-404”"),
    (
        ["CQ-2", "1999"],
        "row 3: nam_dang_ky: năm phải là số nguyên từ 2000 đến 2100 (nhận được “1999”)",
    ),
    (
        ["CQ-2", "2101"],
        "row 3: nam_dang_ky: năm phải là số nguyên từ 2000 đến 2100 (nhận được “2101”)",
    ),
    (["CQ-2", ""], "row 3: nam_dang_ky: bắt buộc, không được để trống"),
    (
        ["CQ-2", "2018", "31/02/2017"],
        "row 3: ngay_dang_ky: ngày “31/02/2017” không hợp lệ "
        "(dùng dd/mm/yyyy hoặc yyyy-mm-dd)",
    ),
    (
        ["CQ-2", "2018", "", "DH-404"],
        "row 3: ma_danh_hieu: không tìm thấy danh hiệu “DH-404”",
    ),
    (
        ["CQ-2", "2018", "", "DH-MN"],
        "row 3: ma_danh_hieu: danh hiệu “DH-MN” không áp dụng cho đơn vị “CQ-2”",
    ),
    (["CQ-1", "2019"], "row 3: ma_don_vi: trùng đơn vị “CQ-1” và danh hiệu “DH-CQ”"),
]


@pytest.mark.parametrize(("row", "expected"), BAD_ROWS)
def test_bad_registration_row_is_reported_and_nothing_is_written(
    setup, write_file, row, expected
):
    before = snapshot()
    rows = [HEADER, ["CQ-1", "2018"], row]
    result = run_import("registrations", write_file(rows))
    assert not result.ok
    assert len(result.lines) == 1, result.lines
    assert result.lines[0].startswith(expected)
    assert snapshot() == before


def test_unit_with_no_or_several_titles_needs_a_title_code(setup, write_file):
    factories.make_title("DH-CQ-2", kind=UnitKind.CO_QUAN)
    factories.make_unit("XA-1", kind=UnitKind.XA)
    rows = [HEADER, ["CQ-1", "2018"], ["XA-1", "2018"]]
    result = run_import("registrations", write_file(rows))
    assert result.lines == [
        "row 2: ma_danh_hieu: có nhiều danh hiệu phù hợp (DH-CQ, DH-CQ-2), "
        "hãy ghi rõ mã danh hiệu",
        "row 3: ma_danh_hieu: không có danh hiệu nào cho xã trong năm 2018",
    ]
    assert not Registration.objects.exists()


def test_recognised_registration_keeps_its_year(setup, write_file):
    factories.make_registration(
        setup["agency"],
        setup["agency_title"],
        2017,
        status=RegistrationStatus.RECOGNISED,
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2017, 12, 20),
    )
    before = snapshot()
    result = run_import("registrations", write_file([HEADER, ["CQ-1", "2018"]]))
    assert result.lines == [
        "row 2: nam_dang_ky: không đổi được năm của đăng ký đang ở trạng thái "
        "“Đã công nhận”"
    ]
    assert snapshot() == before
