"""gunicorn.conf.py: read from the environment, refuses bad values, freezes the heap."""

import gc
import runpy
from pathlib import Path

import pytest

CONF = str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")


def load(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONF)


def test_defaults_are_sync_workers_with_a_preloaded_app(monkeypatch):
    conf = load(monkeypatch)
    assert conf["worker_class"] == "sync"
    assert conf["preload_app"] is True
    assert conf["bind"] == ["127.0.0.1:8001"]
    assert conf["workers"] == 3


def test_two_binds_and_worker_count_come_from_the_environment(monkeypatch):
    conf = load(
        monkeypatch,
        GUNICORN_BIND="127.0.0.1:8001, 127.0.0.1:8002",
        GUNICORN_WORKERS="4",
    )
    assert conf["bind"] == ["127.0.0.1:8001", "127.0.0.1:8002"]
    assert conf["workers"] == 4


@pytest.mark.parametrize("value", ["0", "-2", "abc", "1.5"])
def test_a_bad_worker_count_stops_the_start(monkeypatch, value):
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS"):
        load(monkeypatch, GUNICORN_WORKERS=value)


def test_the_master_freezes_the_preloaded_heap_before_forking(monkeypatch):
    conf = load(monkeypatch)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        conf["when_ready"](server=None)
        assert gc.get_freeze_count() > 1000
    finally:
        gc.unfreeze()
