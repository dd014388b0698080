"""The words of each document, shared by the DOCX and the PDF so that both say the same.

Layout rules from Decree 30/2020/NĐ-CP (Appendix I): the issuing body in capitals
under its superior; "Số:" with the number and symbol; the place and date in full,
with a 0 before days under 10 and before months 1 and 2; the enacting authority
("ỦY BAN NHÂN DÂN …", or "CHỦ TỊCH ỦY BAN NHÂN DÂN …" when the chair decides
alone); "Căn cứ" lines ending with ";" and the last with "."; the recipients;
the signatory as "TM." / "KT." over the title and the name.
"""

from .config import nfc

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
COLLECTIVE_BODY = "ỦY BAN NHÂN DÂN"
RECIPIENTS = ("Như Điều 3;", "Cổng thông tin điện tử;", "Lưu: VT.")
KINDS = ("recognition", "revocation")


def full_date(day):
    """'ngày 05 tháng 02 năm 2017' (Decree 30: a 0 before days < 10, months 1-2).

    A decision not yet signed has no date: the office writes it in by hand."""
    if day is None:
        return "ngày … tháng … năm …"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def number(value):
    """The number and symbol, or a gap the office fills in when there is none yet."""
    return nfc(value) or "…"


def upper(text):
    return nfc(text).upper()


def authority_lines(authority):
    """The issuing body in capitals, 'ỦY BAN NHÂN DÂN' on a line of its own."""
    name = upper(authority)
    prefix = COLLECTIVE_BODY + " "
    if name.startswith(prefix) and len(name) > len(prefix):
        return [COLLECTIVE_BODY, name[len(prefix) :]]
    return [name]


def enacting_authority(issuer):
    """Who decides: the committee (signed "TM.") or its chair (signed for the chair)."""
    name = upper(issuer.authority)
    if upper(issuer.signatory.on_behalf).startswith("TM."):
        return name
    return f"CHỦ TỊCH {name}"


def decider(issuer):
    """Whose decision it is, in a sentence: the committee, or its chair."""
    if upper(issuer.signatory.on_behalf).startswith("TM."):
        return issuer.authority
    return f"Chủ tịch {issuer.authority}"


def header(issuer, document_number, signed_on):
    return {
        "national_name": NATIONAL_NAME,
        "motto": MOTTO,
        "superior": upper(issuer.superior),
        "authority_lines": authority_lines(issuer.authority),
        "number_line": f"Số: {number(document_number)}",
        "place_date": f"{issuer.place}, {full_date(signed_on)}",
    }


def signature(issuer):
    signatory = issuer.signatory
    return {
        "on_behalf": upper(signatory.on_behalf),
        "title": upper(signatory.title),
        "name": signatory.name,
    }


def unit_rows(units):
    return [
        {
            "index": str(index),
            "code": nfc(unit.code),
            "name": nfc(unit.name),
            "commune": nfc(unit.commune),
            "title": nfc(unit.title),
        }
        for index, unit in enumerate(units, start=1)
    ]


def basis_lines(lines):
    """Each line ends with ';' and the last one with '.' (Decree 30)."""
    cleaned = [nfc(line).rstrip(";.") for line in lines if nfc(line)]
    return [
        line + ("." if index == len(cleaned) - 1 else ";")
        for index, line in enumerate(cleaned)
    ]


def decision_context(document, issuer):
    """Everything a decision says, as plain strings and lists of strings."""
    if document.kind not in KINDS:
        raise ValueError(f"unknown decision kind: {document.kind!r}")
    year = document.year
    count = len(document.units)
    decided = (
        f"Quyết định số {number(document.number)} {full_date(document.signed_on)}"
        f" của {decider(issuer)}"
    )
    if document.kind == "recognition":
        subject = f"Về việc công nhận danh hiệu kiểu mẫu năm {year}"
        consider = (
            "Xét đề nghị của Hội đồng thẩm định xây dựng con người, cơ quan,"
            f" đơn vị kiểu mẫu năm {year}"
        )
        first = (
            f"Công nhận {count} đơn vị đạt danh hiệu kiểu mẫu năm {year}"
            " (có danh sách kèm theo)."
        )
        second = (
            "Các đơn vị được công nhận có trách nhiệm duy trì, giữ vững và nâng cao"
            " chất lượng các tiêu chí kiểu mẫu. Quyết định này có hiệu lực kể từ"
            " ngày ký."
        )
        attached_title = f"Các đơn vị đạt danh hiệu kiểu mẫu năm {year}"
    else:
        subject = f"Về việc thu hồi danh hiệu kiểu mẫu năm {year}"
        consider = "Xét kết quả kiểm tra việc duy trì các tiêu chí kiểu mẫu"
        first = (
            f"Thu hồi danh hiệu kiểu mẫu năm {year} đã công nhận đối với"
            f" {count} đơn vị có tên dưới đây:"
        )
        second = (
            "Các đơn vị có tên tại Điều 1 tiếp tục thực hiện các tiêu chí kiểu mẫu"
            " và được xem xét công nhận lại khi đạt đủ tiêu chí. Quyết định này có"
            " hiệu lực kể từ ngày ký."
        )
        attached_title = ""
    third = (
        "Chánh Văn phòng, thủ trưởng các cơ quan, đơn vị có liên quan và các đơn vị"
        " có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."
    )
    return {
        **header(issuer, document.number, document.signed_on),
        "kind_title": "QUYẾT ĐỊNH",
        "subject": subject,
        "enacting": enacting_authority(issuer),
        "basis": basis_lines([*issuer.basis, *document.basis, consider]),
        "decides": "QUYẾT ĐỊNH:",
        "article1": ("Điều 1.", first),
        "reason": f"Lý do: {nfc(document.reason)}" if nfc(document.reason) else "",
        "later_articles": [("Điều 2.", second), ("Điều 3.", third)],
        "units": unit_rows(document.units),
        "attached": document.kind == "recognition",
        "attached_heading": "DANH SÁCH",
        "attached_title": attached_title,
        "attached_note": f"(Kèm theo {decided})",
        "columns": ("STT", "Tên đơn vị", "Thuộc xã", "Danh hiệu"),
        "recipients_label": "Nơi nhận:",
        "recipients": [f"- {line}" for line in RECIPIENTS],
        "signature": signature(issuer),
    }


def certificate_context(document, issuer):
    """Everything a certificate says."""
    unit = document.unit
    commune = nfc(unit.commune)
    return {
        **header(issuer, document.number, document.signed_on),
        "issuer_line": enacting_authority(issuer),
        "certifies": "CHỨNG NHẬN",
        "unit_name": nfc(unit.name),
        "unit_long": len(nfc(unit.name)) > 48,  # a smaller size keeps one page
        "unit_commune": commune[:1].upper() + commune[1:] if commune else "",
        "title_line": f"Đạt danh hiệu “{nfc(unit.title)}” năm {document.year}",
        "decision_line": (
            f"Theo Quyết định số {number(document.decision_number)}"
            f" {full_date(document.decision_signed_on)} của {decider(issuer)}"
        ),
        "signature": signature(issuer),
    }
