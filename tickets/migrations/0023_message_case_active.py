from django.db import migrations, models

# Search by message text among the active cases without reading every matching message.
#
# At a million cases a common word matches tens of thousands of messages, and the case list's
# search (of the active cases, by default) read each of them from the heap for its case_id before
# the semi-join kept the few on active cases: 140 ms for one word. So on PostgreSQL each message
# carries whether its case is active (case_active), kept by two triggers:
# - before a message is inserted, or moved to another case (a merge): from its case's status;
# - after a case's status crosses between active and not: on all of the case's messages;
# and a partial GIN index, message_body_fts_active, holds only the messages of active cases
# (the expression of message_body_fts, migration 0016). SQLite searches by scanning: the column
# stays false there.
# The active statuses as the partial indexes of 0015 spell them (frozen here, as migrations are).
ACTIVE_STATUSES = ["new", "open", "waiting_on_carrier", "waiting_on_customer", "waiting_on_return"]
ACTIVE = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)

FORWARD = [
    f"""
    UPDATE tickets_message m SET case_active = true
    FROM tickets_case c WHERE c.id = m.case_id AND c.status IN ({ACTIVE})
    """,  # noqa: S608  (ACTIVE is the constant above)
    f"""
    CREATE OR REPLACE FUNCTION tickets_message_case_active() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.case_active := EXISTS (
            SELECT 1 FROM tickets_case WHERE id = NEW.case_id AND status IN ({ACTIVE})
        );
        RETURN NEW;
    END
    $$
    """,  # noqa: S608
    """
    CREATE TRIGGER tickets_message_case_active
    BEFORE INSERT OR UPDATE OF case_id ON tickets_message
    FOR EACH ROW EXECUTE FUNCTION tickets_message_case_active()
    """,
    f"""
    CREATE OR REPLACE FUNCTION tickets_case_messages_active() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tickets_message SET case_active = (NEW.status IN ({ACTIVE}))
        WHERE case_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,  # noqa: S608
    f"""
    CREATE TRIGGER tickets_case_messages_active
    AFTER UPDATE OF status ON tickets_case
    FOR EACH ROW
    WHEN ((OLD.status IN ({ACTIVE})) IS DISTINCT FROM (NEW.status IN ({ACTIVE})))
    EXECUTE FUNCTION tickets_case_messages_active()
    """,
    """
    CREATE INDEX IF NOT EXISTS message_body_fts_active ON tickets_message
    USING gin (to_tsvector('simple'::regconfig, COALESCE(body, ''))) WHERE case_active
    """,
]
BACKWARD = [
    "DROP INDEX IF EXISTS message_body_fts_active",
    "DROP TRIGGER IF EXISTS tickets_case_messages_active ON tickets_case",
    "DROP FUNCTION IF EXISTS tickets_case_messages_active()",
    "DROP TRIGGER IF EXISTS tickets_message_case_active ON tickets_message",
    "DROP FUNCTION IF EXISTS tickets_message_case_active()",
]


def upkeep_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def upkeep_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0022_order_line_category"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="case_active",
            field=models.BooleanField(db_default=False, editable=False),
        ),
        migrations.RunPython(upkeep_create, upkeep_drop, elidable=False),
    ]
