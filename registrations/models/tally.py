"""Each unit's values of a quarter counted by criterion: the staff report's input.

The need stock Django does not meet: at a province's size (5,000 units, 100,000
values a quarter) grouping a quarter's values by unit and criterion and judging
each one against its indicator takes PostgreSQL about 100 ms, and ``/bao-cao/``
needs two quarters (this one and the one before): over the 300 ms a staff screen
may take (issue #16, ``bench/staff.py``). A tally is that grouping kept in a
table: one row per unit and criterion with a value in the quarter.

Tallies are derived data, never edited: ``figures.tallies.ensure(year, quarter)``
rebuilds a quarter whose ``TallyQuarter`` row is missing or not ``fresh``, and
database triggers (migration 0007) clear ``fresh`` on every insert, update or
delete of a progress row of that quarter, and of every quarter on any change to
an indicator. Triggers see every write path (the admin, the imports' bulk upsert,
bulk entry, accepted reports, deletions cascading from a unit), raw SQL included.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TallyQuarter(models.Model):
    """Whether a quarter's tallies match its progress rows (``fresh``)."""

    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    fresh = models.BooleanField(_("đã cập nhật"), default=False)

    class Meta:
        verbose_name = _("trạng thái bảng đếm quý")
        verbose_name_plural = _("trạng thái bảng đếm quý")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter"], name="tally_quarter_unique"
            )
        ]

    def __str__(self):
        return f"quý {self.quarter}/{self.year}"


class CriterionTally(models.Model):
    """A unit's values in a quarter for one criterion's indicators, and those met.

    No foreign-key constraint: a rebuild writes a quarter's rows at once, and a
    unit or indicator deleted takes its progress rows with it, which marks their
    quarters stale (the next rebuild drops the tallies).
    """

    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    criterion = models.ForeignKey(
        "registrations.Criterion",
        verbose_name=_("tiêu chí"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    valued = models.PositiveIntegerField(_("số chỉ tiêu có giá trị"))
    met = models.PositiveIntegerField(_("số chỉ tiêu đạt"))

    class Meta:
        verbose_name = _("bảng đếm tiêu chí")
        verbose_name_plural = _("bảng đếm tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "unit", "criterion"],
                name="criterion_tally_unique",
            )
        ]

    def __str__(self):
        return f"{self.unit_id} · {self.criterion_id} · quý {self.quarter}/{self.year}"
