"""The head's own profile (/tai-khoan/) and the staff's list of heads."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from heads.models import HeadProfile
from kieumau.dates import VIETNAM
from tests import factories
from tests.conftest import login

from .conftest import account, run

pytestmark = pytest.mark.django_db

PROFILE = reverse("heads:profile")
LIST = reverse("heads:list")
T0 = datetime.datetime(2026, 2, 10, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def head(units):
    assert run(["XA-KHE", "Lê Văn Hùng", "hung.le@dongson.example", "0912 345 678"]).ok
    return account("hung.le@dongson.example")


def test_a_head_sees_their_own_profile_and_units(client, head):
    response = login(client, head).get(PROFILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "hung.le" in html and "Xã Đông Khê" in html
    assert response.context["form"].initial == {
        "ho_ten": "Lê Văn Hùng",
        "email": "hung.le@dongson.example",
        "so_dien_thoai": "0912 345 678",
    }


def test_a_head_changes_name_address_and_phone(client, head):
    login(client, head)
    response = client.post(
        PROFILE,
        {
            "ho_ten": "Lê Văn Hùng",
            "email": "Hung.Moi@dongson.example",
            "so_dien_thoai": "0236.3822.111",
        },
        follow=True,
    )
    assert "Đã lưu thông tin tài khoản." in response.content.decode()
    head.refresh_from_db()
    profile = HeadProfile.objects.get(user=head)
    assert head.email == "hung.moi@dongson.example"
    assert profile.phone == "0236.3822.111"
    assert profile.file_email == "hung.le@dongson.example"  # the file's, kept apart
    assert profile.history.first().history_user == head


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"ho_ten": "", "email": "a@b.vn"}, "Xin nhập họ và tên."),
        ({"ho_ten": "A", "email": "khong-hop-le"}, "Địa chỉ email không hợp lệ."),
        ({"ho_ten": "A", "email": "a@b.vn", "so_dien_thoai": "12"}, "8–15 chữ số"),
        ({"ho_ten": "A", "email": "lan.pham@dongson.example"}, "tài khoản khác"),
    ],
)
def test_profile_mistakes_are_told_in_vietnamese(client, head, units, data, error):
    assert run(["CQ-1", "Phạm Thị Lan", "lan.pham@dongson.example", ""]).ok
    response = login(client, head).post(PROFILE, data)
    assert response.status_code == 200
    assert error in response.content.decode()


def test_the_profile_is_only_the_signed_in_heads_own(client, head, editor, unit_head):
    assert client.get(PROFILE).status_code == 302
    assert login(client, editor).get(PROFILE).status_code == 403
    # Another head sees their own, never someone else's: there is no id to ask.
    response = login(client, unit_head).get(PROFILE)
    assert response.status_code == 200
    assert "hung.le" not in response.content.decode()


def test_the_profile_page_makes_few_queries(
    client, head, django_assert_max_num_queries
):
    login(client, head)
    client.get(PROFILE)
    with django_assert_max_num_queries(8):
        assert client.get(PROFILE).status_code == 200


def test_a_head_changes_their_password(client, head):
    head.set_password("mat-khau-cu-du-dai-2026")
    head.save()
    login(client, head)
    url = reverse("heads:password-change")
    response = client.post(
        url,
        {
            "old_password": "mat-khau-cu-du-dai-2026",
            "new_password1": "mat-khau-moi-du-dai-2026",
            "new_password2": "mat-khau-moi-du-dai-2026",
        },
        follow=True,
    )
    assert "Đã đổi mật khẩu." in response.content.decode()


# --- the staff's list -------------------------------------------------------------


def test_staff_list_heads_with_units_and_invitation_state(client, head, district_staff):
    factories.make_user("da.kich.hoat", email="x@dongson.example")
    active = account("x@dongson.example")
    head.headed_units.first().heads.add(active)
    response = login(client, district_staff).get(LIST)
    assert response.status_code == 200
    rows = {row["user"].username: row for row in response.context["rows"]}
    assert rows["hung.le"]["state_label"] == "Chờ gửi lời mời"
    assert rows["hung.le"]["units"][0].code == "XA-KHE"
    assert rows["da.kich.hoat"]["state_label"] == "Đã kích hoạt"
    html = response.content.decode()
    assert reverse("heads:resend", args=[head.pk]) in html
    assert reverse("heads:letter", args=[head.pk]) in html
    assert reverse("heads:resend", args=[active.pk]) not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "hung"}, ["hung.le"]),
        ({"q": "dong khe"}, ["hung.le"]),
        ({"q": "CQ-1"}, ["lan.pham"]),
        ({"trang_thai": "chua-moi"}, ["hung.le", "lan.pham"]),
        ({"trang_thai": "da-kich-hoat"}, []),
    ],
)
def test_staff_filter_the_list(client, head, district_staff, query, expected):
    assert run(["CQ-1", "Phạm Thị Lan", "lan.pham@dongson.example", ""]).ok
    response = login(client, district_staff).get(LIST, query)
    assert sorted(row["user"].username for row in response.context["rows"]) == expected


def test_expired_invitations_are_shown_as_such(client, head, district_staff):
    from heads import services

    with time_machine.travel(T0, tick=False):
        services.send_invitation(head.head_profile)
    with time_machine.travel(T0 + datetime.timedelta(days=8), tick=False):
        response = login(client, district_staff).get(LIST, {"trang_thai": "het-han"})
    assert [row["state_label"] for row in response.context["rows"]] == [
        "Lời mời đã hết hạn"
    ]


@pytest.mark.parametrize("query", [{"trang_thai": "x"}, {"q": "a" * 300}])
def test_bad_filters_answer_400(client, district_staff, query):
    assert login(client, district_staff).get(LIST, query).status_code == 400


def test_only_staff_see_the_list(client, head, editor):
    assert client.get(LIST).status_code == 302
    assert login(client, head).get(LIST).status_code == 403
    assert login(client, editor).get(LIST).status_code == 403


@pytest.mark.parametrize("n", [10, 120])
def test_the_list_makes_the_same_queries_for_10_or_120_heads(
    client, units, district_staff, django_assert_max_num_queries, n
):
    rows = [
        [f"U-{i}", f"Trưởng đơn vị {i}", f"truong{i}@dongson.example", ""]
        for i in range(n)
    ]
    for i in range(n):
        factories.make_unit(f"U-{i}")
    assert run(*rows).ok
    login(client, district_staff)
    client.get(LIST)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert len(response.context["rows"]) == min(n, 50)
    assert client.get(LIST, {"page": 3}).status_code == 200


def test_the_menu_leads_heads_to_their_account_and_staff_to_the_heads(
    client, head, district_staff
):
    html = login(client, head).get("/dang-ky/").content.decode()
    assert f'href="{PROFILE}"' in html and f'href="{LIST}"' not in html
    html = login(client, district_staff).get("/bao-cao/").content.decode()
    assert f'href="{LIST}"' in html and f'href="{PROFILE}"' not in html
