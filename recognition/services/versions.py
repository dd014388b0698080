"""Optimistic concurrency for the app's rows: ``UPDATE … WHERE version = expected``."""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _


class StaleVersionError(ValidationError):
    """The row changed after the form was loaded."""


def claim_version(instance, expected_version):
    """Bump ``instance``'s version in the database if it still is the expected one."""
    expected = instance.version if expected_version is None else expected_version
    claimed = (
        type(instance)
        .objects.filter(pk=instance.pk, version=expected)
        .update(version=F("version") + 1)
    )
    if not claimed:
        raise StaleVersionError(
            _(
                "Dữ liệu này vừa được người khác thay đổi sau khi bạn mở trang. "
                "Hãy tải lại trang để xem dữ liệu mới rồi làm lại."
            ),
            code="stale",
        )
    instance.version = expected + 1
