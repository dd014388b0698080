"""Admin search that also works without diacritics ("dong khe" finds "Đông Khê")."""

from kieumau.text import fold

# The catalogue (titles, criteria, indicators) is a few hundred rows at most, so
# its names are folded in Python; anything larger needs a stored key instead.
FOLD_IN_PYTHON_MAX_ROWS = 5000


class FoldedSearchMixin:
    """Adds accent-free matches to the admin's own search results.

    ``folded_key_fields``: lookups of stored accent-free keys (``Unit.search_name``),
    matched in the database. ``folded_text_fields``: plain text fields of a small
    table, folded in Python (no stored key, no migration for a bounded catalogue).
    """

    folded_key_fields = ()
    folded_text_fields = ()

    def get_search_results(self, request, queryset, search_term):
        base = queryset
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        key = fold(search_term)
        if not key:
            return queryset, may_have_duplicates
        for field in self.folded_key_fields:
            queryset |= base.filter(**{f"{field}__contains": key})
        if self.folded_text_fields:
            rows = base.values_list("pk", *self.folded_text_fields)[
                :FOLD_IN_PYTHON_MAX_ROWS
            ]
            pks = [
                pk for pk, *texts in rows if any(key in fold(text) for text in texts)
            ]
            queryset |= base.filter(pk__in=pks)
        return queryset, may_have_duplicates
