"""Vietnamese text helpers shared by every app.

- ``nfc``: store text composed (files and browsers may send NFD).
- ``fold``: accent-free lower-case search key. Đ/đ have no Unicode decomposition, so
  they are mapped by hand; tone placement (Hòa/Hoà) folds to the same key.
- ``vi_sort_key``: Vietnamese alphabetical order (a ă â b c d đ e ê …, tones as a
  secondary key), for SQLite; PostgreSQL sorts with the ICU collation ``vi-x-icu``.
- ``slugify_vi``: ASCII slugs (Django's slugify drops Đ).
"""

import re
import unicodedata

from django.utils.text import slugify

_D = str.maketrans({"đ": "d", "Đ": "D"})

# Combining marks that make a separate letter in the Vietnamese alphabet.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
# Tones, in dictionary order after the level tone: huyền, hỏi, ngã, sắc, nặng.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def nfc(value):
    """Return ``value`` composed (NFC) and stripped; None stays None."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value)).strip()


def fold(value):
    """Accent-insensitive, case-insensitive key: 'ĐÔNG Khê' -> 'dong khe'."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).translate(_D))
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(stripped.lower().split())


def slugify_vi(value, max_length=200):
    """ASCII slug of a Vietnamese title: 'Hội nghị giao ban' -> 'hoi-nghi-giao-ban'."""
    # "quý I/2017" -> "quy-i-2017": separators become word breaks, not nothing.
    spaced = re.sub(r"[/\\.,:;|+&]+", " ", fold(value))
    return slugify(spaced)[:max_length].strip("-")


def vi_sort_key(value):
    """A string that sorts in Vietnamese dictionary order under plain binary order."""
    primary, tones = [], []
    for char in unicodedata.normalize("NFD", (value or "").lower()):
        if char in _LETTER_MARKS and primary:
            primary[-1] = primary[-1][:-1] + str(_LETTER_MARKS[char])
        elif char in _TONES:
            if tones:
                tones[-1] = str(_TONES[char])
        elif unicodedata.category(char) == "Mn":
            continue
        elif char == "đ":
            primary.append("d~1")  # đ sorts after every d…
            tones.append("0")
        else:
            primary.append(f"{char}~0" if char.isalpha() else f"{char} 0")
            tones.append("0")
    return ("".join(primary) + "\x01" + "".join(tones))[:255]
