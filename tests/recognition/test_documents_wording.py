"""The words of the decisions and certificates (recognition.documents), shared by the
DOCX and the PDF; the samples here are used by the DOCX and PDF tests too."""

import unicodedata
from datetime import date

import pytest
from django.conf import settings as django_settings

from recognition.documents import (
    CertificateDocument,
    DecisionDocument,
    DecisionUnit,
)
from recognition.documents.config import issuer
from recognition.documents.wording import (
    authority_lines,
    certificate_context,
    decision_context,
    full_date,
)

# Names with đ/Đ, ư, ơ, ấ, ỹ, and one with characters XML and HTML must escape.
UNITS = (
    DecisionUnit("DK-TH", "Thôn Thành Huy", "xã Đông Khê", "Thôn kiểu mẫu"),
    DecisionUnit("DT-PH", "Thôn Phấn Hưng", "xã Đông Thịnh", "Thôn kiểu mẫu"),
    DecisionUnit("DH-LM", "Thôn Hữu Lễ Mỹ", "xã Đông Hòa", "Thôn kiểu mẫu"),
    DecisionUnit("CQ-VP", "Văn phòng HĐND và UBND huyện", "", "Cơ quan kiểu mẫu"),
    DecisionUnit("CQ-CCB", "Hội Cựu chiến binh & <Đoàn>", "", "Cơ quan kiểu mẫu"),
)
RECOGNITION = DecisionDocument(
    kind="recognition",
    number="123/QĐ-UBND",
    signed_on=date(2017, 12, 15),
    year=2017,
    units=UNITS,
)
REVOCATION = DecisionDocument(
    kind="revocation",
    number="7/QĐ-UBND",
    signed_on=date(2019, 2, 5),
    year=2017,
    units=UNITS[1:2],
    reason="Không còn duy trì tiêu chí nhà văn hóa thôn trong hai quý liên tiếp.",
    basis=("Căn cứ Quyết định số 123/QĐ-UBND ngày 15 tháng 12 năm 2017",),
)
CERTIFICATES = tuple(
    CertificateDocument(
        number=f"{index}/GCN-UBND",
        signed_on=date(2017, 12, 20),
        unit=unit,
        year=2017,
        decision_number="123/QĐ-UBND",
        decision_signed_on=date(2017, 12, 15),
    )
    for index, unit in enumerate(UNITS[:3], start=15)
)
RECOGNITION_LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN",
    "HUYỆN ĐÔNG SƠN",
    "Số: 123/QĐ-UBND",
    "Đông Sơn, ngày 15 tháng 12 năm 2017",
    "QUYẾT ĐỊNH",
    "Về việc công nhận danh hiệu kiểu mẫu năm 2017",
    "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG SƠN",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "QUYẾT ĐỊNH:",
    "Điều 1. Công nhận 5 đơn vị đạt danh hiệu kiểu mẫu năm 2017"
    " (có danh sách kèm theo).",
    "Nơi nhận:",
    "- Như Điều 3;",
    "TM. ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "Nguyễn Văn A",
    "DANH SÁCH",
    "(Kèm theo Quyết định số 123/QĐ-UBND ngày 15 tháng 12 năm 2017"
    " của Ủy ban nhân dân huyện Đông Sơn)",
]
CERTIFICATE_LINES = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ỦY BAN NHÂN DÂN HUYỆN ĐÔNG SƠN",
    "CHỨNG NHẬN",
    "Thôn Thành Huy",
    "Xã Đông Khê",
    "Đạt danh hiệu “Thôn kiểu mẫu” năm 2017",
    "Số: 15/GCN-UBND",
    "Đông Sơn, ngày 20 tháng 12 năm 2017",
    "TM. ỦY BAN NHÂN DÂN",
    "Nguyễn Văn A",
]


def nfc(text):
    return unicodedata.normalize("NFC", text)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 12, 15), "ngày 15 tháng 12 năm 2017"),
        (date(2018, 2, 5), "ngày 05 tháng 02 năm 2018"),
        (date(2018, 1, 31), "ngày 31 tháng 01 năm 2018"),
        (date(2018, 3, 9), "ngày 09 tháng 3 năm 2018"),
    ],
)
def test_dates_are_written_in_full_with_decree_30s_leading_zeros(day, expected):
    assert full_date(day) == expected


def test_an_unsigned_decision_leaves_the_date_to_be_written_in():
    unsigned = DecisionDocument("recognition", "", None, 2017, UNITS[:1])
    context = decision_context(unsigned, issuer())
    assert context["place_date"] == "Đông Sơn, ngày … tháng … năm …"
    assert context["number_line"] == "Số: …"
    assert context["attached_note"].startswith("(Kèm theo Quyết định số … ngày … tháng")


def test_control_characters_are_dropped_from_the_words():
    unit = DecisionUnit("X", "Thôn\x0b Đồng\x00 Tâm\n", "", "Thôn kiểu mẫu")
    context = decision_context(
        DecisionDocument("recognition", "1/QĐ-UBND", date(2017, 1, 2), 2017, (unit,)),
        issuer(),
    )
    assert context["units"][0]["name"] == "Thôn Đồng Tâm"


def test_the_committee_is_written_in_capitals_on_two_lines():
    assert authority_lines("Ủy ban nhân dân xã Đông Khê") == [
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐÔNG KHÊ",
    ]
    assert authority_lines("Văn phòng HĐND và UBND huyện") == [
        "VĂN PHÒNG HĐND VÀ UBND HUYỆN"
    ]


def test_the_issuing_body_defaults_to_the_sites_authority():
    assert django_settings.DOCUMENT_AUTHORITY == django_settings.SITE_AUTHORITY


def test_the_issuer_comes_from_settings_and_is_composed(settings):
    settings.DOCUMENT_AUTHORITY = unicodedata.normalize(
        "NFD", "Ủy ban nhân dân xã Đông Khê"
    )
    settings.DOCUMENT_SUPERIOR = "UBND huyện Đông Sơn"
    settings.DOCUMENT_PLACE = "Đông Khê"
    settings.DOCUMENT_SIGNATORY_NAME = "Lê Thị Bích"
    settings.DOCUMENT_SIGNATORY_TITLE = "Phó Chủ tịch"
    settings.DOCUMENT_SIGNATORY_ON_BEHALF = "KT. Chủ tịch"
    context = decision_context(RECOGNITION, issuer())
    assert context["authority_lines"] == ["ỦY BAN NHÂN DÂN", "XÃ ĐÔNG KHÊ"]
    assert context["superior"] == "UBND HUYỆN ĐÔNG SƠN"
    assert context["place_date"] == "Đông Khê, ngày 15 tháng 12 năm 2017"
    # Signed for the chair: the chair decides, not the committee.
    assert context["enacting"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ ĐÔNG KHÊ"
    assert context["attached_note"].endswith(
        "của Chủ tịch Ủy ban nhân dân xã Đông Khê)"
    )
    assert context["signature"] == {
        "on_behalf": "KT. CHỦ TỊCH",
        "title": "PHÓ CHỦ TỊCH",
        "name": "Lê Thị Bích",
    }


def test_basis_lines_end_with_semicolons_and_the_last_with_a_full_stop(settings):
    settings.DOCUMENT_BASIS = ["Căn cứ Luật A;", "Căn cứ Luật B."]
    basis = decision_context(REVOCATION, issuer())["basis"]
    assert basis == [
        "Căn cứ Luật A;",
        "Căn cứ Luật B;",
        "Căn cứ Quyết định số 123/QĐ-UBND ngày 15 tháng 12 năm 2017;",
        "Xét kết quả kiểm tra việc duy trì các tiêu chí kiểu mẫu.",
    ]


def test_a_revocation_names_its_units_and_reason_without_an_attached_list():
    context = decision_context(REVOCATION, issuer())
    assert context["subject"] == "Về việc thu hồi danh hiệu kiểu mẫu năm 2017"
    assert context["attached"] is False
    assert [row["name"] for row in context["units"]] == ["Thôn Phấn Hưng"]
    assert context["reason"] == "Lý do: " + REVOCATION.reason


def test_an_unknown_kind_of_decision_is_refused():
    with pytest.raises(ValueError, match="unknown decision kind"):
        decision_context(
            DecisionDocument("khen-thuong", "1/QĐ", date(2017, 1, 1), 2017, UNITS),
            issuer(),
        )


def test_a_missing_emblem_file_leaves_the_certificate_without_one(settings, tmp_path):
    settings.DOCUMENT_EMBLEM_PATH = str(tmp_path / "missing.png")
    assert issuer().emblem is None
    context = certificate_context(CERTIFICATES[0], issuer())
    assert context["unit_name"] == "Thôn Thành Huy"
    assert context["decision_line"] == (
        "Theo Quyết định số 123/QĐ-UBND ngày 15 tháng 12 năm 2017"
        " của Ủy ban nhân dân huyện Đông Sơn"
    )


def test_the_demo_emblem_is_a_committed_local_file():
    assert issuer().emblem is not None
    assert issuer().emblem.name == "emblem-demo-placeholder.png"
    assert issuer().emblem.read_bytes().startswith(b"\x89PNG")
