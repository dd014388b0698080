import os
import subprocess
import sys
from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.utils import translation


class DateForm(forms.Form):
    day = forms.DateField()


def test_vietnamese_date_input_is_day_first():
    with translation.override("vi"):
        form = DateForm({"day": "05/03/2017"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == date(2017, 3, 5)
        assert DateForm({"day": "25/03/2017"}).is_valid()
        assert DateForm({"day": "2017-03-25"}).is_valid()


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ


def _settings_exit(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"PYTEST_VERSION", "DEBUG"}
    }
    clean.pop("SECRET_KEY", None)
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import kieumau.settings"],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY is required"),
        ({"DEBUG": "maybe", "SECRET_KEY": "x"}, "DEBUG must be true or false"),
        ({"DEBUG": "true", "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({"DEBUG": "true", "REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"DEBUG": "true", "PROGRESS_LOCK_DAYS": "thirty"}, "PROGRESS_LOCK_DAYS"),
        (
            {"DEBUG": "true", "SITE_BANNER_PATH": "https://cdn.example/logo.png"},
            "SITE_BANNER_PATH",
        ),
    ],
)
def test_bad_environment_fails_loudly_at_start(env, message):
    result = _settings_exit(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_good_environment_starts():
    result = _settings_exit(
        DEBUG="false", SECRET_KEY="k" * 50, ALLOWED_HOSTS="a.vn,b.vn"
    )
    assert result.returncode == 0, result.stderr


def _manage_debug(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"PYTEST_VERSION", "DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    clean.update(env, DATABASE_URL="sqlite:///:memory:")
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


def test_manage_py_in_an_unconfigured_checkout_runs_in_development_mode():
    result = _manage_debug()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("True")


def test_manage_py_with_a_secret_key_stays_in_production_mode():
    result = _manage_debug(SECRET_KEY="k" * 50, ALLOWED_HOSTS="a.vn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False")
