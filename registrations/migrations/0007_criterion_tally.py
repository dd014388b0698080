"""The staff report's tallies (registrations.models.tally) and the triggers that
mark a quarter's tallies stale when its progress rows or any indicator change.

Triggers rather than signals: the imports write progress with one bulk upsert, the
bulk entry with bulk_create/bulk_update, deletions cascade from units and
indicators; none of them sends a signal, all of them fire a trigger. PostgreSQL
marks once per statement (transition tables), SQLite once per row.
"""

import django.db.models.deletion
from django.db import migrations, models

PROGRESS = "registrations_progress"
STATE = "registrations_tallyquarter"
INDICATOR = "registrations_indicator"

POSTGRESQL = [
    f"""CREATE FUNCTION km_tally_progress_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO {STATE} (year, quarter, fresh)
      SELECT DISTINCT year, quarter, false FROM new_rows
      ON CONFLICT (year, quarter) DO UPDATE SET fresh = false;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO {STATE} (year, quarter, fresh)
      SELECT DISTINCT year, quarter, false FROM old_rows
      ON CONFLICT (year, quarter) DO UPDATE SET fresh = false;
  END IF;
  RETURN NULL;
END $$""",
    f"""CREATE TRIGGER km_tally_progress_insert AFTER INSERT ON {PROGRESS}
REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION km_tally_progress_changed()""",
    f"""CREATE TRIGGER km_tally_progress_update AFTER UPDATE ON {PROGRESS}
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION km_tally_progress_changed()""",
    f"""CREATE TRIGGER km_tally_progress_delete AFTER DELETE ON {PROGRESS}
REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION km_tally_progress_changed()""",
    f"""CREATE FUNCTION km_tally_catalogue_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE {STATE} SET fresh = false WHERE fresh;
  RETURN NULL;
END $$""",
    f"""CREATE TRIGGER km_tally_indicator_changed
AFTER INSERT OR UPDATE OR DELETE ON {INDICATOR}
FOR EACH STATEMENT EXECUTE FUNCTION km_tally_catalogue_changed()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS km_tally_indicator_changed ON {INDICATOR}",
    f"DROP TRIGGER IF EXISTS km_tally_progress_delete ON {PROGRESS}",
    f"DROP TRIGGER IF EXISTS km_tally_progress_update ON {PROGRESS}",
    f"DROP TRIGGER IF EXISTS km_tally_progress_insert ON {PROGRESS}",
    "DROP FUNCTION IF EXISTS km_tally_catalogue_changed()",
    "DROP FUNCTION IF EXISTS km_tally_progress_changed()",
]


def _sqlite_mark(row):
    return (
        f"INSERT INTO {STATE} (year, quarter, fresh) "
        f"VALUES ({row}.year, {row}.quarter, 0) "
        "ON CONFLICT (year, quarter) DO UPDATE SET fresh = 0;"
    )


SQLITE = [
    f"""CREATE TRIGGER km_tally_progress_insert AFTER INSERT ON {PROGRESS}
BEGIN {_sqlite_mark("NEW")} END""",
    f"""CREATE TRIGGER km_tally_progress_update AFTER UPDATE ON {PROGRESS}
BEGIN {_sqlite_mark("OLD")} {_sqlite_mark("NEW")} END""",
    f"""CREATE TRIGGER km_tally_progress_delete AFTER DELETE ON {PROGRESS}
BEGIN {_sqlite_mark("OLD")} END""",
    *(
        f"""CREATE TRIGGER km_tally_indicator_{event.lower()}
AFTER {event} ON {INDICATOR}
BEGIN UPDATE {STATE} SET fresh = 0 WHERE fresh; END"""
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS km_tally_{name}"
    for name in (
        "progress_insert",
        "progress_update",
        "progress_delete",
        "indicator_insert",
        "indicator_update",
        "indicator_delete",
    )
]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL_DROP if vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0006_quarterreport_review_permission"),
        ("units", "0002_vietnamese_field_labels"),
    ]

    operations = [
        migrations.CreateModel(
            name="TallyQuarter",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                ("quarter", models.PositiveSmallIntegerField(verbose_name="quý")),
                (
                    "fresh",
                    models.BooleanField(default=False, verbose_name="đã cập nhật"),
                ),
            ],
            options={
                "verbose_name": "trạng thái bảng đếm quý",
                "verbose_name_plural": "trạng thái bảng đếm quý",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("year", "quarter"), name="tally_quarter_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CriterionTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                ("quarter", models.PositiveSmallIntegerField(verbose_name="quý")),
                (
                    "valued",
                    models.PositiveIntegerField(verbose_name="số chỉ tiêu có giá trị"),
                ),
                ("met", models.PositiveIntegerField(verbose_name="số chỉ tiêu đạt")),
                (
                    "criterion",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="registrations.criterion",
                        verbose_name="tiêu chí",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="units.unit",
                        verbose_name="đơn vị",
                    ),
                ),
            ],
            options={
                "verbose_name": "bảng đếm tiêu chí",
                "verbose_name_plural": "bảng đếm tiêu chí",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("year", "quarter", "unit", "criterion"),
                        name="criterion_tally_unique",
                    )
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
