"""The portal's own settings plus one extra URL: the benchmark's ceiling view.

Used only by bench/load.py (DJANGO_SETTINGS_MODULE=bench.settings): the ceiling is
measured through exactly the same settings, middleware and server as the pages.
"""

from kieumau.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
