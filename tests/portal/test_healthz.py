from unittest import mock

import pytest
from django.db.utils import OperationalError
from django_redis.cache import RedisCache


def test_healthz_answers_ok_with_one_line_per_part(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0] == "ok"
    assert lines[1] == "database: ok"
    assert lines[2].startswith("cache: ")


def test_healthz_answers_503_when_database_is_down(client, db):
    with mock.patch("portal.views.connection") as conn:
        conn.cursor.side_effect = OperationalError("down")
        response = client.get("/healthz")
    assert response.status_code == 503
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["unavailable", "database: unreachable"]


def test_healthz_says_degraded_not_503_when_redis_is_down(client, db):
    # Redis down: the site still works (slower), so 200, but an operator sees it.
    with (
        mock.patch("portal.views.caches", {"default": mock.Mock(spec=RedisCache)}),
        mock.patch("portal.views.get_redis_connection") as redis,
    ):
        redis.return_value.ping.side_effect = ConnectionError("refused")
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content.decode().splitlines() == [
        "degraded",
        "database: ok",
        "cache: unreachable",
    ]


@pytest.mark.parametrize("database_up", [True, False])
def test_healthz_instance_answers_whenever_the_process_answers(client, db, database_up):
    with mock.patch("portal.views.connection") as conn:
        if not database_up:
            conn.cursor.side_effect = OperationalError("down")
        response = client.get("/healthz?instance")
    assert response.status_code == 200
    assert response.content == b"ok\n"
