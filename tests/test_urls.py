"""The public paths of CONTRACT §3 are a promise: pin each one both ways."""

import pytest
from django.urls import resolve, reverse

PUBLIC_PATHS = [
    ("portal:home", {}, "/"),
    ("news:list", {}, "/tin-tuc/"),
    ("news:detail", {"slug": "hoi-nghi-giao-ban"}, "/tin-tuc/hoi-nghi-giao-ban/"),
    ("news:section", {"slug": "thong-bao"}, "/chuyen-muc/thong-bao/"),
    ("news:search", {}, "/tim-kiem/"),
    ("news:rss", {}, "/rss/"),
    ("news:sitemap", {}, "/sitemap.xml"),
    ("news:robots", {}, "/robots.txt"),
    ("registrations:dashboard", {}, "/tien-do/"),
    ("registrations:dashboard-year", {"year": 2017}, "/tien-do/2017/"),
    ("registrations:summary-api", {}, "/api/tong-hop/"),
    ("roll:index", {}, "/don-vi-kieu-mau/"),
    ("polls:list", {}, "/binh-chon/"),
    ("site-map", {}, "/so-do-trang/"),
    ("doclibrary:list", {}, "/van-ban/"),
    ("doclibrary:detail", {"slug": "1052-qd-ubnd-2016"}, "/van-ban/1052-qd-ubnd-2016/"),
    (
        "doclibrary:download",
        {"slug": "1052-qd-ubnd-2016"},
        "/van-ban/1052-qd-ubnd-2016/tai-ve/",
    ),
    ("portal:english", {}, "/en/"),
    ("portal:visits-api", {}, "/api/truy-cap/"),
    ("healthz", {}, "/healthz"),
    ("recognition:decision-public", {"pk": 7}, "/quyet-dinh/7/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), PUBLIC_PATHS)
def test_public_path_is_pinned(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    match = resolve(path)
    assert match.view_name == name
    # The sitemap view also receives its sitemaps as extra keyword arguments.
    assert {key: match.kwargs[key] for key in kwargs} == kwargs


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("login", {}),
        ("logout", {}),
        ("password_reset", {}),
        ("password_reset_done", {}),
        ("password_reset_confirm", {"uidb64": "MQ", "token": "abc-def"}),
        ("password_reset_complete", {}),
        ("admin:index", {}),
        ("admin:login", {}),
        ("imports:index", {}),
    ],
)
def test_the_public_patterns_listed_first_shadow_no_other_page(name, kwargs):
    assert resolve(reverse(name, kwargs=kwargs)).view_name == name
