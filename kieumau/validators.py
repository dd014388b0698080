"""Checks shared by several apps' ``Model.clean`` and forms."""

import datetime

from django.utils.translation import gettext_lazy as _

YEAR_RANGE = (1900, 2100)


def out_of_range_years(**moments):
    """{field: message} for each date or datetime whose year is out of YEAR_RANGE.

    A form accepts 01/01/0001 or 31/12/9999, but the seven hours to UTC (or one
    day more in a range) then overflow Python's dates and the save answers 500.
    """
    low, high = YEAR_RANGE
    return {
        name: _("Năm phải trong khoảng %(low)s–%(high)s.") % {"low": low, "high": high}
        for name, moment in moments.items()
        if moment is not None and not low <= moment.year <= high
    }


class YearRangeFormMixin:
    """A form whose every date and datetime field refuses years out of YEAR_RANGE.

    For forms of models that are not ours (Django's users), whose ``clean`` we
    cannot extend; our own models call ``out_of_range_years`` in ``Model.clean``.
    """

    def clean(self):
        cleaned = super().clean()
        moments = {
            name: value
            for name, value in cleaned.items()
            if isinstance(value, datetime.date)
        }
        for name, message in out_of_range_years(**moments).items():
            self.add_error(name, message)
        return cleaned
