from django.db import migrations

# The case list's search and the home page's counts at a million cases, on PostgreSQL (SQLite,
# the small embedded database, searches by scanning):
# - message_body_fts: full-text search of message text, on the very expression the list's
#   search compares (django.contrib.postgres SearchVector("body", config="simple"));
# - case_active_kind: the home page's active cases by kind and status, read from this partial
#   index alone (case_active has no kind).
# The active statuses as the partial indexes of 0015 spell them (frozen here, as migrations are).
ACTIVE_STATUSES = ["new", "open", "waiting_on_carrier", "waiting_on_customer", "waiting_on_return"]
ACTIVE = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)
INDEXES = {
    "message_body_fts": (
        'CREATE INDEX IF NOT EXISTS "message_body_fts" ON "tickets_message" '
        "USING gin (to_tsvector('simple'::regconfig, COALESCE(\"body\", '')))"
    ),
    "case_active_kind": (
        'CREATE INDEX IF NOT EXISTS "case_active_kind" ON "tickets_case" ("kind", "status") '
        f'WHERE "status" IN ({ACTIVE})'
    ),
}


def indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES.values():
        schema_editor.execute(sql)


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0015_dashboard_base"),
    ]

    operations = [
        migrations.RunPython(indexes_create, indexes_drop, elidable=False),
    ]
