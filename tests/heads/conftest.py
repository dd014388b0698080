"""Helpers of the unit heads' tests: files, the import, the accounts it made."""

import pytest
from django.contrib.auth import get_user_model

from imports.services import import_file
from tests import factories
from tests.imports.conftest import csv_bytes, write_file, xlsx_bytes
from units.models import Unit, UnitKind

__all__ = ["write_file"]  # the import tests' fixture, used here too

HEADER = ["ma_don_vi", "ho_ten", "email", "so_dien_thoai"]


def heads_file(*rows, header=HEADER, xlsx=False):
    rows = [header, *rows]
    return xlsx_bytes(rows) if xlsx else csv_bytes(rows)


def run(*rows, header=HEADER, user=None, dry_run=False, xlsx=False):
    """Import a unit-heads file made of ``rows``; the Report."""
    return import_file(
        kind="heads",
        content=heads_file(*rows, header=header, xlsx=xlsx),
        filename="truong-don-vi.xlsx" if xlsx else "truong-don-vi.csv",
        user=user,
        dry_run=dry_run,
    )


def account(email):
    return get_user_model().objects.select_related("head_profile").get(email=email)


def heads_of(code):
    return sorted(Unit.objects.get(code=code).heads.values_list("email", flat=True))


@pytest.fixture
def units(db):
    """A commune with a village, and two agencies."""
    commune = factories.make_unit("XA-KHE", kind=UnitKind.XA, name="Xã Đông Khê")
    return {
        "XA-KHE": commune,
        "THON-1": factories.make_unit(
            "THON-1", kind=UnitKind.THON, name="Thôn 1", parent=commune
        ),
        "CQ-1": factories.make_unit("CQ-1", name="Cơ quan một"),
        "CQ-2": factories.make_unit("CQ-2", name="Cơ quan hai"),
    }
