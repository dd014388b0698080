"""The staff's screens: access, the appraisal sheet, decisions and their files."""

import datetime
import io

import pytest
from django.urls import reverse

from recognition import decision_views
from recognition.documents import PdfUnavailable
from recognition.models import (
    Appraisal,
    CouncilMember,
    Decision,
    DecisionKind,
    Outcome,
    Verdict,
)
from recognition.services import (
    attach_scan,
    create_decision,
    open_appraisals,
    publish_decision,
    save_appraisal,
)
from tests import factories

from .conftest import meet_everything, pdf_upload


@pytest.fixture
def opened(programme, district_staff):
    meet_everything(programme["reg_a"].unit, programme["indicators"])
    open_appraisals(council=programme["council"], by=district_staff)
    return {**programme, "a": Appraisal.objects.get(registration=programme["reg_a"])}


def staff_urls(opened):
    council = opened["council"]
    return [
        reverse("recognition:councils"),
        reverse("recognition:council", args=[council.pk]),
        reverse("recognition:appraisal", args=[opened["a"].pk]),
        reverse("recognition:decision-create", args=[council.pk]),
        reverse("recognition:revocation-create"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, opened):
    for url in staff_urls(opened):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("persona", ["unit_head", "editor"])
def test_unit_heads_and_editors_are_refused(client, opened, persona, request):
    client.force_login(request.getfixturevalue(persona))
    for url in staff_urls(opened):
        assert client.get(url).status_code == 403, url


def test_district_staff_see_every_screen(client, opened, district_staff):
    client.force_login(district_staff)
    for url in staff_urls(opened):
        assert client.get(url).status_code == 200, url


def test_the_sheet_shows_the_accepted_value_and_its_quarter(
    client, opened, district_staff
):
    client.force_login(district_staff)
    page = client.get(reverse("recognition:appraisal", args=[opened["a"].pk]))
    text = page.content.decode()
    assert "(≥ 80): 90, quý 3/2017 — đạt" in text
    assert "đến hết quý 3/2017" in text


def sheet_data(appraisal, **changes):
    data = {
        "version": appraisal.version,
        "members_present": "3",
        "members_in_favour": "3",
        "outcome": "",
    }
    for verdict in appraisal.verdicts.all():
        data[f"override_{verdict.criterion_id}"] = ""
        data[f"reason_{verdict.criterion_id}"] = ""
    data.update(changes)
    return data


def test_an_override_without_reason_shows_a_vietnamese_error(
    client, opened, district_staff
):
    client.force_login(district_staff)
    a = opened["a"]
    criterion_id = a.verdicts.first().criterion_id
    url = reverse("recognition:appraisal", args=[a.pk])
    response = client.post(url, sheet_data(a, **{f"override_{criterion_id}": "0"}))
    assert response.status_code == 200
    assert "Cần ghi lý do khi hội đồng điều chỉnh" in response.content.decode()
    assert not Verdict.objects.filter(override_met__isnull=False).exists()

    response = client.post(
        url,
        sheet_data(
            a,
            **{f"override_{criterion_id}": "0", f"reason_{criterion_id}": "Sai số."},
            outcome="not_achieved",
        ),
    )
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.outcome == Outcome.NOT_ACHIEVED


def test_the_sheet_shows_each_verdicts_history_with_its_reason(
    client, opened, district_staff
):
    client.force_login(district_staff)
    a = opened["a"]
    verdict = a.verdicts.select_related("criterion").first()
    reason = "Biên bản kiểm tra thực tế ngày 15/12/2017."
    url = reverse("recognition:appraisal", args=[a.pk])
    overridden = {
        f"override_{verdict.criterion_id}": "0",
        f"reason_{verdict.criterion_id}": reason,
    }
    assert client.post(url, sheet_data(a, **overridden)).status_code == 302
    text = client.get(url).content.decode()
    history = text.split("Lịch sử kết luận từng tiêu chí", 1)[1]
    assert f"“{verdict.criterion.name}” — hội đồng kết luận chưa đạt" in history
    assert f"lý do: {reason}" in history
    assert district_staff.get_username() in history
    assert f"“{verdict.criterion.name}” — theo số liệu: đạt" in history


def test_a_stale_sheet_is_refused_on_the_page(client, opened, district_staff):
    client.force_login(district_staff)
    a = opened["a"]
    url = reverse("recognition:appraisal", args=[a.pk])
    seen = sheet_data(a, outcome="recommend")
    assert client.post(url, sheet_data(a, outcome="not_achieved")).status_code == 302
    response = client.post(url, seen)
    assert response.status_code == 200
    assert "vừa được người khác thay đổi" in response.content.decode()
    a.refresh_from_db()
    assert a.outcome == Outcome.NOT_ACHIEVED


@pytest.mark.parametrize("n", [5, 25])
def test_the_council_page_makes_the_same_queries_whatever_the_units(
    client, programme, district_staff, django_assert_max_num_queries, n
):
    for _ in range(n):
        factories.make_registration(factories.make_unit(), programme["title"], 2017)
    open_appraisals(council=programme["council"], by=district_staff)
    client.force_login(district_staff)
    url = reverse("recognition:council", args=[programme["council"].pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def recommend(client, appraisal):
    url = reverse("recognition:appraisal", args=[appraisal.pk])
    assert (
        client.post(url, sheet_data(appraisal, outcome="recommend")).status_code == 302
    )


def test_staff_draw_up_and_publish_a_decision(client, opened, district_staff):
    client.force_login(district_staff)
    recommend(client, opened["a"])
    council = opened["council"]
    url = reverse("recognition:decision-create", args=[council.pk])
    response = client.post(
        url,
        {"number": "123/QD-UBND", "signed_on": "2017-12-28", "registrations": []},
    )
    text = response.content.decode()
    assert "123/QĐ-UBND" in text and "Cần chọn ít nhất một đơn vị." in text
    response = client.post(
        url,
        {
            "number": "123/QĐ-UBND",
            "signed_on": "2017-12-28",
            "registrations": [opened["reg_a"].pk],
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == decision.get_absolute_url()
    public = reverse("recognition:decision-public", args=[decision.pk])
    assert client.get(public).status_code == 404

    page = decision.get_absolute_url()
    response = client.post(
        page, {"version": decision.version, "scan": pdf_upload()}, follow=True
    )
    assert "Đã tải lên bản quyết định đã ký." in response.content.decode()
    decision.refresh_from_db()
    publish = reverse("recognition:decision-publish", args=[decision.pk])
    response = client.post(publish, {"version": decision.version}, follow=True)
    assert "Đã công bố" in response.content.decode()
    opened["reg_a"].refresh_from_db()
    assert opened["reg_a"].status == "recognised"
    client.logout()
    response = client.get(public)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.fixture
def decision(opened, client, district_staff):
    client.force_login(district_staff)
    recommend(client, opened["a"])
    client.post(
        reverse("recognition:decision-create", args=[opened["council"].pk]),
        {
            "number": "123/QĐ-UBND",
            "signed_on": datetime.date(2017, 12, 28).isoformat(),
            "registrations": [opened["reg_a"].pk],
        },
    )
    return Decision.objects.get()


def test_the_decision_and_certificate_download_as_docx(client, decision):
    docx = pytest.importorskip("docx")
    response = client.get(
        reverse("recognition:decision-file", args=[decision.pk, "docx"])
    )
    assert response.status_code == 200
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(response.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Cơ quan A" in text
    entry = decision.entries.get()
    response = client.get(
        reverse("recognition:certificate", args=[decision.pk, entry.pk])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_a_pdf_without_its_libraries_is_a_vietnamese_page_not_a_500(
    client, decision, monkeypatch
):
    def unavailable(document):
        raise PdfUnavailable("Thiếu thư viện tạo PDF: cài gói libpango-1.0-0.")

    monkeypatch.setattr(decision_views, "decision_pdf", unavailable)
    monkeypatch.setattr(decision_views, "certificates_pdf", unavailable)
    for url in (
        reverse("recognition:decision-file", args=[decision.pk, "pdf"]),
        reverse("recognition:certificates", args=[decision.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 503
        assert "Thiếu thư viện tạo PDF" in response.content.decode()


def test_an_unknown_file_format_is_not_found(client, decision):
    url = reverse("recognition:decision-file", args=[decision.pk, "exe"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("n", [3, 20])
def test_the_decision_page_makes_the_same_queries_whatever_the_units(
    client, programme, district_staff, django_assert_max_num_queries, n
):
    for _ in range(n):
        unit = factories.make_unit()
        factories.make_registration(unit, programme["title"], 2017)
        meet_everything(unit, programme["indicators"])
    open_appraisals(council=programme["council"], by=district_staff)
    recommended = []
    for appraisal in Appraisal.objects.select_related("registration"):
        if all(v.met for v in appraisal.verdicts.all()):
            save_appraisal(
                appraisal=appraisal,
                overrides={},
                members_present=3,
                members_in_favour=3,
                outcome=Outcome.RECOMMEND,
                by=district_staff,
            )
            recommended.append(appraisal.registration)
    assert len(recommended) == n
    council = programme["council"]
    decision = create_decision(
        kind=DecisionKind.RECOGNITION,
        number="123/QĐ-UBND",
        signed_on=datetime.date(2017, 12, 28),
        title=council.title,
        year=2017,
        council=council,
        registrations=recommended,
        by=district_staff,
    )
    client.force_login(district_staff)
    with django_assert_max_num_queries(12):
        page = client.get(decision.get_absolute_url())
    assert page.status_code == 200
    assert f"Số {n}/GCN-UBND" in page.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("recognition:councils")).status_code == 200


def test_staff_draw_up_a_revocation_with_its_reason(client, decision, opened):
    attach_scan(decision=decision, upload=pdf_upload(), by=decision.created_by)
    publish_decision(decision=decision, by=decision.created_by)
    scope = {"title": opened["title"].pk, "year": 2017}
    url = reverse("recognition:revocation-create")
    page = client.get(url, {"title": "x", "year": "abc"})
    assert page.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ." in page.content.decode()
    query = f"{url}?title={scope['title']}&year=2017"
    form = {
        "number": "45/QĐ-UBND",
        "signed_on": "2018-10-02",
        "registrations": [opened["reg_a"].pk],
        "reason": "",
    }
    page = client.post(query, form)
    assert "Quyết định thu hồi phải ghi lý do thu hồi." in page.content.decode()
    response = client.post(query, {**form, "reason": "Không duy trì tiêu chí 1."})
    revocation = Decision.objects.get(kind="revocation")
    assert response["Location"] == revocation.get_absolute_url()
    assert revocation.reason == "Không duy trì tiêu chí 1."


def test_the_admin_shows_a_decision_with_its_scan(client, decision, superuser):
    attach_scan(decision=decision, upload=pdf_upload(), by=decision.created_by)
    client.force_login(superuser)
    url = reverse("admin:recognition_decision_change", args=[decision.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert decision.get_absolute_url() in page.content.decode()


def test_an_id_no_column_can_hold_is_a_form_error(client, opened, district_staff):
    client.force_login(district_staff)
    url = reverse("recognition:decision-create", args=[opened["council"].pk])
    form = {"number": "1/QĐ-UBND", "signed_on": "2017-12-28"}
    page = client.post(url, {**form, "registrations": ["9" * 20]})
    assert page.status_code == 200
    assert "Có lựa chọn không hợp lệ." in page.content.decode()


def test_the_council_page_shows_its_sheets_fifty_a_page(
    client, programme, district_staff
):
    for number in range(1, 52):
        unit = factories.make_unit(f"DV-{number:03}", name=f"Đơn vị số {number:03}")
        factories.make_registration(unit, programme["title"], 2017)
    open_appraisals(council=programme["council"], by=district_staff)
    client.force_login(district_staff)
    url = reverse("recognition:council", args=[programme["council"].pk])
    first = client.get(url).content.decode()
    assert "Trang 1/2" in first and "Đơn vị số 048" in first
    last = client.get(url, {"page": "abc"}).content.decode()
    assert "Trang 1/2" in last
    second = client.get(url, {"page": "2"}).content.decode()
    assert "Đơn vị số 051" in second and "Đơn vị số 048" not in second


def test_removing_a_member_asks_first_then_keeps_who_removed_them(
    client, opened, district_staff
):
    council = opened["council"]
    member = CouncilMember.objects.create(
        council=council, name="Trần Văn Lâm", position="Phòng Nội vụ", order=5
    )
    url = reverse("recognition:member-delete", args=[council.pk, member.pk])
    client.force_login(district_staff)
    council_page = client.get(reverse("recognition:council", args=[council.pk]))
    assert f'href="{url}"' in council_page.content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Xóa thành viên khỏi hội đồng?" in confirm.content.decode()
    assert CouncilMember.objects.filter(pk=member.pk).exists()  # asking removes nothing
    done = client.post(url, follow=True)
    assert "Đã xóa Trần Văn Lâm khỏi hội đồng." in done.content.decode()
    assert not CouncilMember.objects.filter(pk=member.pk).exists()
    removal = CouncilMember.history.get(id=member.pk, history_type="-")
    assert (removal.name, removal.history_user) == ("Trần Văn Lâm", district_staff)


@pytest.mark.parametrize("persona", ["unit_head", "editor"])
def test_only_staff_remove_a_member_and_only_from_its_own_council(
    client, opened, persona, request, programme, district_staff
):
    council = opened["council"]
    member = CouncilMember.objects.create(council=council, name="Lê Thị Mai")
    url = reverse("recognition:member-delete", args=[council.pk, member.pk])
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url).status_code == 403
    client.force_login(district_staff)
    elsewhere = reverse("recognition:member-delete", args=[council.pk + 1, member.pk])
    assert client.post(elsewhere).status_code == 404
    assert CouncilMember.objects.filter(pk=member.pk).exists()
