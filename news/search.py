"""Accent- and tone-placement-insensitive search over published articles.

The query is folded exactly as the stored keys are (kieumau.text.fold: 'ĐÔNG KHÊ',
'Đông Khê' in NFC or NFD and 'dong khe' all become 'dong khe'; 'Hòa' and 'Hoà'
become 'hoa'). Every word must occur in the folded title or in the folded lead and
body; articles whose title holds every word come first, then the newest. The lookup
is a plain ``LIKE '%word%'`` on the folded columns, so SQLite and PostgreSQL give the
same results, and PostgreSQL serves it from the pg_trgm GIN indexes (migration 0003).
"""

import unicodedata
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kieumau.text import fold

from .models import Article, Section, plain_text

MAX_QUERY_LENGTH = 200
MAX_WORDS = 8
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class SearchForm(forms.Form):
    q = forms.CharField(label="Từ khóa", required=False, strip=True)
    chuyen_muc = forms.ModelChoiceField(
        label="Chuyên mục",
        queryset=Section.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Tất cả chuyên mục",
    )
    tu_ngay = forms.DateField(
        label="Từ ngày",
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=forms.TextInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."},
    )
    den_ngay = forms.DateField(
        label="Đến ngày",
        required=False,
        input_formats=["%d/%m/%Y"],
        widget=forms.TextInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
        error_messages={"invalid": "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."},
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            data["q"] = (data.get("q") or "")[:MAX_QUERY_LENGTH]
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", "“Đến ngày” phải sau hoặc bằng “Từ ngày”.")
        return cleaned


def query_words(query):
    """The folded words of ``query`` (at most MAX_WORDS, duplicates removed)."""
    words = []
    for word in fold((query or "")[:MAX_QUERY_LENGTH]).split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def search_articles(words, *, section=None, date_from=None, date_to=None):
    """Published articles matching every folded word, title matches first."""
    qs = Article.objects.published().select_related("section")
    title_hit = Q()
    for word in words:
        qs = qs.filter(Q(search_title__contains=word) | Q(search_text__contains=word))
        title_hit &= Q(search_title__contains=word)
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


def highlight(text, words):
    """Escape ``text``; wrap each accent-insensitive match of ``words`` in <mark>."""
    text = unicodedata.normalize("NFC", text or "")
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in _fold_char(char):
            folded.append(piece)
            origin.append(index)
    folded = "".join(folded)
    marked = [False] * len(text)
    # The whole phrase first, so "Đông Khê" is one <mark>, not two.
    for word in [" ".join(words), *words] if len(words) > 1 else words:
        start = folded.find(word)
        while start != -1 and word:
            for position in range(start, start + len(word)):
                marked[origin[position]] = True
            start = folded.find(word, start + len(word))
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


def excerpt(article, words, length=240):
    """The lead, or the body around the first match when the lead has no match."""
    lead = article.lead or ""
    if lead and (not words or any(w in fold(lead) for w in words)):
        text = lead
        if len(text) > length:
            text = text[:length].rsplit(" ", 1)[0] + "…"
        return highlight(text, words)
    body = plain_text(article.body)
    folded = "".join(_fold_char(c)[:1] or " " for c in body)  # one char per char
    hits = [folded.find(w) for w in words if folded.find(w) != -1]
    start = max(0, min(hits) - 60) if hits else 0
    text = body[start : start + length]
    if start:
        text = "…" + text.split(" ", 1)[-1]
    if start + length < len(body):
        text += "…"
    return highlight(text, words)
