"""Certificate numbers are never given twice, not even to two decisions drawn up
at the same moment: the second waits for the first and numbers after it."""

import datetime
import threading

import pytest
from django.db import connection, transaction

from recognition.models import CertificateYear, Decision, DecisionKind
from recognition.services.decisions import next_certificate_numbers
from tests import factories

SIGNED = datetime.date(2017, 12, 28)


@pytest.mark.django_db
def test_each_year_of_signing_numbers_from_one_under_its_own_row():
    with transaction.atomic():
        assert next_certificate_numbers(SIGNED, "GCN-UBND", 2) == [
            "1/GCN-UBND",
            "2/GCN-UBND",
        ]
    with transaction.atomic():
        assert next_certificate_numbers(datetime.date(2018, 1, 2), "GCN-UBND", 1) == [
            "1/GCN-UBND"
        ]
    assert sorted(CertificateYear.objects.values_list("year", flat=True)) == [
        2017,
        2018,
    ]


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite (in-memory test database) cannot have concurrent writers",
)
@pytest.mark.django_db(transaction=True)
def test_a_second_decision_waits_for_the_first_and_numbers_after_it():
    title = factories.make_title("DH-CQ", name="Cơ quan kiểu mẫu")
    registration = factories.make_registration(
        factories.make_unit("DV-1", name="Đơn vị một"), title, 2017
    )
    decision = Decision.objects.create(
        kind=DecisionKind.REVOCATION,
        number="5/QĐ-UBND",
        signed_on=SIGNED,
        year=2017,
        title=title,
        reason="Lý do.",
    )
    CertificateYear.objects.create(year=2017)  # as after the year's first decision
    first_numbered, first_may_commit = threading.Event(), threading.Event()
    taken = {}

    def first():
        try:
            with transaction.atomic():
                taken["first"] = next_certificate_numbers(SIGNED, "GCN-UBND", 1)
                decision.entries.create(
                    registration=registration, certificate_number=taken["first"][0]
                )
                first_numbered.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second():
        try:
            with transaction.atomic():
                taken["second"] = next_certificate_numbers(SIGNED, "GCN-UBND", 2)
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_numbered.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(1)
    assert two.is_alive(), "the second took its numbers while the first held them"
    first_may_commit.set()
    one.join(10)
    two.join(10)
    assert taken == {
        "first": ["1/GCN-UBND"],
        "second": ["2/GCN-UBND", "3/GCN-UBND"],
    }
