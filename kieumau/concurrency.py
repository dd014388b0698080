"""Optimistic concurrency for versioned rows: ``UPDATE … WHERE version = expected``.

A form carries the version of the row it was loaded from; saving claims the next
version only if nobody else did meanwhile, so two people editing the same row never
silently overwrite each other: the second is told, in Vietnamese, to reload.
"""

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _


class StaleVersionError(ValidationError):
    """The row changed after the form was loaded."""


def stale_message():
    return _(
        "Dữ liệu này vừa được người khác thay đổi sau khi bạn mở trang. "
        "Hãy tải lại trang để xem dữ liệu mới rồi làm lại."
    )


def claim_version(instance, expected_version, message=None):
    """Bump ``instance``'s version in the database if it still is the expected one.

    ``expected_version`` is the version the form showed (None: the instance's own).
    Raises ``StaleVersionError`` with ``message`` (or a generic one) if another save
    came first; on success ``instance.version`` is the claimed version.
    """
    expected = instance.version if expected_version is None else expected_version
    claimed = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, version=expected)
        .update(version=F("version") + 1)
    )
    if not claimed:
        raise StaleVersionError(message or stale_message(), code="stale")
    instance.version = expected + 1
