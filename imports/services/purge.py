"""Housekeeping of uploaded files kept in the database (``ImportBatch``).

A batch that was never confirmed changed nothing, so after a short grace period
it goes altogether. A confirmed batch is the audit trail of who imported what and
when (its kind, file name, size, report and user stay for good); only its bytes,
the bulk of the row, are dropped once they are old enough.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from ..models import BatchStatus, ImportBatch

UNCONFIRMED_DAYS = 2
IMPORTED_DAYS = 30


@dataclass(frozen=True)
class PurgeResult:
    deleted: int  # unconfirmed batches removed
    deleted_bytes: int
    emptied: int  # confirmed batches whose bytes were dropped
    emptied_bytes: int


def _stale_unconfirmed(now, days):
    return ImportBatch.objects.filter(
        status__in=[BatchStatus.PREVIEWED, BatchStatus.REJECTED],
        imported_at__isnull=True,
        uploaded_at__lt=now - timedelta(days=days),
    )


def _old_imported(now, days):
    return ImportBatch.objects.filter(
        status=BatchStatus.IMPORTED,
        content_purged_at__isnull=True,
        imported_at__lt=now - timedelta(days=days),
    )


def _count(queryset):
    # One aggregate per set; never loads the bytes themselves.
    totals = queryset.order_by().aggregate(n=Count("pk"), size=Sum("size"))
    return totals["n"] or 0, totals["size"] or 0


@transaction.atomic
def purge_import_batches(
    *,
    imported_days=IMPORTED_DAYS,
    unconfirmed_days=UNCONFIRMED_DAYS,
    dry_run=False,
    now=None,
):
    """Delete stale unconfirmed batches; drop the bytes of old confirmed ones."""
    now = now or timezone.now()
    unconfirmed = _stale_unconfirmed(now, unconfirmed_days)
    imported = _old_imported(now, imported_days)
    deleted, deleted_bytes = _count(unconfirmed)
    emptied, emptied_bytes = _count(imported)
    if not dry_run:
        # A confirmation holding its row lock (confirm_batch) makes the DELETE
        # wait and then re-check the status, so a batch being imported stays.
        unconfirmed.delete()
        imported.update(content=b"", content_purged_at=now)
    return PurgeResult(deleted, deleted_bytes, emptied, emptied_bytes)
