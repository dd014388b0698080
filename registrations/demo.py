"""Demo data of this app for `manage.py load_demo` (idempotent)."""


def load(*, stdout):
    """Create or update this app's demo rows."""
