"""Markup rules of WCAG that axe checks in the browser (tests/browser/), kept here too.

The text-size buttons show "A-", "A", "A+": their accessible name must contain that
visible text (2.5.3 label in name), so it is the text plus a visually hidden
explanation, not an aria-label that replaces it.
"""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_text_size_buttons_names_contain_their_visible_text(client):
    html = client.get("/tin-tuc/").content.decode()
    buttons = re.findall(r"<button[^>]*data-font=[^>]*>(.*?)</button>", html, re.S)
    assert len(buttons) == 3
    for inner, visible, hint in zip(
        buttons,
        ["A-", "A", "A+"],
        ["giảm cỡ chữ", "cỡ chữ mặc định", "tăng cỡ chữ"],
        strict=True,
    ):
        assert inner == f'{visible}<span class="visually-hidden"> ({hint})</span>'
    tags = re.findall(r"<button[^>]*data-font=[^>]*>", html)
    assert not [t for t in tags if "aria-label" in t]
