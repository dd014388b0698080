"""Accent- and tone-placement-insensitive search over published articles.

The query is folded exactly as the stored keys are (news.models.search_key on top of
kieumau.text.fold: 'ĐÔNG KHÊ', 'Đông Khê' in NFC or NFD and 'dong khe' all become
'dong khe'; 'Hòa' and 'Hoà' become 'hoa'). Every word must occur as a whole word
(a Vietnamese syllable) in the folded title or in the folded lead and body: 'hoa'
finds Hòa, Hoà, hóa, not hoàn. Articles whose title holds every word come first,
then the newest. The lookup is a plain ``LIKE '% word %'`` on the folded columns, so
SQLite and PostgreSQL give the same results, and PostgreSQL serves it from the
pg_trgm GIN indexes (migration 0003).
"""

import unicodedata
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kieumau.validators import out_of_range_years

from .models import Article, Section, plain_text, search_key

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=forms.TextInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."},
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Từ khóa", required=False, strip=True)
    chuyen_muc = forms.ModelChoiceField(
        label="Chuyên mục",
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Tất cả chuyên mục",
        error_messages={"invalid_choice": "Chuyên mục không tồn tại."},
    )
    tu_ngay = _date_field("Từ ngày")
    den_ngay = _date_field("Đến ngày")

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            data["q"] = (data.get("q") or "")[:MAX_QUERY_LENGTH]
        super().__init__(data, **kwargs)

    def _clean_date(self, name):
        value = self.cleaned_data.get(name)
        # 01/01/0001 or 31/12/9999 parse, but the query's time zone or its day
        # more would overflow.
        errors = out_of_range_years(**{name: value})
        if errors:
            raise forms.ValidationError(errors[name])
        return value

    def clean_tu_ngay(self):
        return self._clean_date("tu_ngay")

    def clean_den_ngay(self):
        return self._clean_date("den_ngay")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
        return cleaned


def query_words(query):
    """The folded words of ``query`` (at most MAX_WORDS, duplicates removed)."""
    words = []
    for word in search_key((query or "")[:MAX_QUERY_LENGTH]).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_articles(words, *, section=None, date_from=None, date_to=None):
    """Published articles matching every folded word, title matches first."""
    qs = Article.objects.published().select_related("section")
    title_hit = Q()
    for word in words:
        padded = f" {word} "
        qs = qs.filter(
            Q(search_title__contains=padded) | Q(search_text__contains=padded)
        )
        title_hit &= Q(search_title__contains=padded)
    if section is not None:
        qs = qs.filter(section=section)
    if date_from is not None:
        qs = qs.filter(published_at__gte=datetime.combine(date_from, time.min, VIETNAM))
    if date_to is not None:
        end = datetime.combine(date_to + timedelta(days=1), time.min, VIETNAM)
        qs = qs.filter(published_at__lt=end)
    return qs.annotate(
        title_hit=Case(
            When(title_hit, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    ).order_by("-title_hit", "-published_at", "-id")


def _fold_char(char):
    decomposed = unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def _find_words(folded, word):
    """Start positions of ``word`` in ``folded`` as a whole word (or words)."""
    start = folded.find(word)
    while start != -1 and word:
        end = start + len(word)
        before = folded[start - 1] if start else " "
        after = folded[end] if end < len(folded) else " "
        if not before.isalnum() and not after.isalnum():
            yield start
        start = folded.find(word, start + 1)


def _folded_with_origin(text):
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in _fold_char(char) or " ":
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


def highlight(text, words):
    """Escape ``text``; wrap each accent-insensitive match of ``words`` in <mark>."""
    text = unicodedata.normalize("NFC", text or "")
    folded, origin = _folded_with_origin(text)
    marked = [False] * len(text)
    # The whole phrase first, so "Đông Khê" is one <mark>, not two.
    for word in [" ".join(words), *words] if len(words) > 1 else words:
        for start in _find_words(folded, word):
            for position in range(start, start + len(word)):
                marked[origin[position]] = True
    out, inside = [], False
    for char, hit in zip(text, marked, strict=True):
        if hit and not inside:
            out.append("<mark>")
        elif not hit and inside:
            out.append("</mark>")
        inside = hit
        out.append(escape(char))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text is escaped)


def _first_match(text, words):
    folded, origin = _folded_with_origin(text)
    hits = [next(_find_words(folded, w), None) for w in words]
    hits = [origin[h] for h in hits if h is not None]
    return min(hits) if hits else None


def excerpt(article, words, length=240):
    """The lead, or the body around the first match when the lead has no match."""
    lead = article.lead or ""
    if lead and (not words or _first_match(lead, words) is not None):
        text = lead
        if len(text) > length:
            text = text[:length].rsplit(" ", 1)[0] + "…"
        return highlight(text, words)
    body = plain_text(article.body, separator=" · ")
    first = _first_match(body, words)
    start = max(0, first - 60) if first else 0
    text = body[start : start + length]
    if start:
        text = "…" + text.split(" ", 1)[-1]
    if start + length < len(body):
        text += "…"
    return highlight(text, words)
