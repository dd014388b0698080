#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kieumau.settings")
    if "DEBUG" not in os.environ and "SECRET_KEY" not in os.environ:
        # A developer's checkout with nothing configured: development mode. A server
        # always has SECRET_KEY in its environment, so this never applies there, and
        # gunicorn (kieumau.wsgi) never takes this path.
        os.environ["DEBUG"] = "true"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
