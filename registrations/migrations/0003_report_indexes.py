"""A covering index for the quarter's figures (registrations.figures).

The main query of ``figures.rules.criteria_met_querysets`` reads every value in
the reported quarter: with the quarter's (unit, indicator, value) in the index it
is an index-only range scan instead of one heap visit per row, scattered over the
whole table (bench/summary.py shows the plans). The index lives in the database
only: Django's model Meta cannot declare INCLUDE columns portably (SQLite has no
INCLUDE, so there ``value`` is a trailing key column, which covers the same way).
"""

from django.db import migrations

NAME = "progress_quarter_values"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON registrations_progress "
            "(year, quarter, unit_id, indicator_id) INCLUDE (value)"
        )
    else:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON registrations_progress "
            "(year, quarter, unit_id, indicator_id, value)"
        )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0002_roles")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
