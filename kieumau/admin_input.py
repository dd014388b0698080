"""Admin input from the URL or a form that Django's admin would answer with a 500.

Mix ``SafeInputMixin`` into every ModelAdmin (or inline) that has
``autocomplete_fields`` or a ``date_hierarchy``; ``tests/test_admin_input.py``
fails on one that does not.

- Ids of related records: an autocomplete widget looks up the ids it is given
  (``?unit=abc`` prefilling an add form, or ``unit=abc`` posted back with a form
  error) with ``filter(pk__in=...)``, which raises ValueError on a word and
  overflows on a 30-digit number. The widgets here skip such ids, so the posted
  form shows its Vietnamese error ("Hãy chọn một lựa chọn hợp lệ…"); an add form
  prefilled with one leaves the field empty and says so.
- The date hierarchy: Django turns ``?published_at__year=…`` into a datetime and
  catches ValueError only, not the OverflowError of a 20-digit year or the
  ValueError of the year after 9999. Such a date goes back to the whole list
  (``?e=1``), as Django does for any other lookup it cannot use.
- Many-to-many ids posted in a form: Django looks them up with ``pk__in``, where a
  30-digit number overflows on SQLite; it is refused first, with Django's own
  Vietnamese message.
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext


def is_usable_key(target_field, value, using=None):
    """Whether ``value`` can name a row by ``target_field`` without a database error.

    It says nothing about whether the row exists: that is the form's question.
    """
    text = str(value)
    if "\x00" in text:  # PostgreSQL cannot compare text holding NUL
        return False
    try:
        python = target_field.to_python(text)
    except (ValidationError, ValueError, TypeError):
        return False
    if isinstance(python, int):
        ops = connections[using or DEFAULT_DB_ALIAS].ops
        try:
            low, high = ops.integer_field_range(target_field.get_internal_type())
        except KeyError:  # not one of the backend's integer types
            return True
        return (low is None or python >= low) and (high is None or python <= high)
    return True


class _UsableKeysMixin:
    """Render only the selected ids that can be looked up (see the module's doc)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        value = [v for v in value if is_usable_key(target, v, self.db)]
        return super().optgroups(name, value, attr)


class SafeAutocompleteSelect(_UsableKeysMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_UsableKeysMixin, AutocompleteSelectMultiple):
    pass


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an unusable id before the database sees it in ``pk__in``.

    Django checks each id with a lookup of its own, which catches a word but not a
    number too large for the column (SQLite raises OverflowError, a 500).
    """

    def clean(self, value):
        if isinstance(value, list | tuple):
            opts = self.queryset.model._meta
            target = (
                opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            )
            for item in value:
                if not is_usable_key(target, item, self.queryset.db):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super().clean(value)


def date_hierarchy_is_usable(field, query):
    """Whether ChangeList can build its date range from ``query`` (a QueryDict).

    Mirrors what Django's ChangeList computes: the start of the year, month or
    day asked for and the start of the next one, in the current time zone, both
    of which the database must be able to compare in UTC.
    """
    parts = [query.getlist(f"{field}__{part}") for part in ("year", "month", "day")]
    for values in parts:
        for text in values:
            if not (text.isascii() and text.isdigit() and len(text) <= 4):
                return False
    year, month, day = (int(values[-1]) if values else None for values in parts)
    if year is None:
        return True  # the hierarchy is not in use
    try:
        zone = timezone.get_current_timezone()
        start = datetime.datetime(year, month or 1, day or 1, tzinfo=zone)
        if day:
            end = start + datetime.timedelta(days=1)
        elif month:
            end = (start + datetime.timedelta(days=32)).replace(day=1)
        else:
            end = start.replace(year=year + 1)
        for moment in (start, end):
            moment.astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        return False
    return True


class SafeInputMixin:
    """For ModelAdmin and InlineModelAdmin: see the module's docstring."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(
            request
        ):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        set_aside = []
        for name, value in list(initial.items()):
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue
            if not (field.many_to_one or field.many_to_many or field.one_to_one):
                continue
            values = value if isinstance(value, list) else [value]
            if not all(is_usable_key(field.target_field, v) for v in values):
                del initial[name]
                set_aside.append(str(field.verbose_name))
        if set_aside:
            messages.warning(
                request,
                gettext("Bỏ qua giá trị điền sẵn không hợp lệ của: %(fields)s.")
                % {"fields": ", ".join(set_aside)},
            )
        return initial

    def get_changelist_instance(self, request):
        if self.date_hierarchy and not date_hierarchy_is_usable(
            self.date_hierarchy, request.GET
        ):
            raise IncorrectLookupParameters(self.date_hierarchy)
        return super().get_changelist_instance(request)
