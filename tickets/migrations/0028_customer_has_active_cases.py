from django.db import migrations, models

# The case list's search by customer name or email among the active cases, without reading
# every customer who matches.
#
# At a million cases, "Bernard" matched 2,364 of 200,000 customers through the trigram index
# of 0013: PostgreSQL re-read their rows (1,634 heap blocks) and probed the active cases of
# each, 5 ms, to find the 288 active cases of the 271 who had any. So on PostgreSQL each
# customer carries whether any of their cases is active (has_active_cases), kept by triggers
# on the cases (after a case is made active, stops or starts being active, moves to another
# customer, or is deleted while active), and two partial trigram indexes hold the names and
# emails of those customers only (an eighth of them here; the search took 0.6-1.0 ms). SQLite
# leaves the column false and its search never asks for it.
#
# The trigger locks the customer's row before it looks at the customer's cases: each statement
# of the function then sees every change committed before the lock, so two transactions that
# change one customer's cases at once leave the flag right whichever commits last. It takes the
# lock an UPDATE of a plain column takes (FOR NO KEY UPDATE), which does not wait for the
# KEY SHARE lock a foreign-key check holds on the customer's row (of a case or an order written
# for them) until its transaction ends: FOR UPDATE would wait for each such transaction.

FORWARD = [
    """
    UPDATE tickets_customer c SET has_active_cases = true
    WHERE EXISTS (SELECT 1 FROM tickets_case k WHERE k.customer_id = c.id AND k.active)
    """,
    """
    CREATE OR REPLACE FUNCTION tickets_customer_has_active_cases() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        customer_pk bigint;
    BEGIN
        FOR customer_pk IN
            SELECT DISTINCT pk FROM unnest(ARRAY[OLD.customer_id, NEW.customer_id]) pk
            WHERE pk IS NOT NULL
        LOOP
            PERFORM 1 FROM tickets_customer WHERE id = customer_pk FOR NO KEY UPDATE;
            UPDATE tickets_customer SET has_active_cases = NOT has_active_cases
            WHERE id = customer_pk AND has_active_cases <> EXISTS (
                SELECT 1 FROM tickets_case WHERE customer_id = customer_pk AND active
            );
        END LOOP;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER tickets_customer_has_active_cases_insert
    AFTER INSERT ON tickets_case
    FOR EACH ROW WHEN (NEW.active)
    EXECUTE FUNCTION tickets_customer_has_active_cases()
    """,
    """
    CREATE TRIGGER tickets_customer_has_active_cases_update
    AFTER UPDATE OF status, customer_id ON tickets_case
    FOR EACH ROW
    WHEN ((OLD.active OR NEW.active) AND (
        OLD.active IS DISTINCT FROM NEW.active OR OLD.customer_id IS DISTINCT FROM NEW.customer_id
    ))
    EXECUTE FUNCTION tickets_customer_has_active_cases()
    """,
    """
    CREATE TRIGGER tickets_customer_has_active_cases_delete
    AFTER DELETE ON tickets_case
    FOR EACH ROW WHEN (OLD.active)
    EXECUTE FUNCTION tickets_customer_has_active_cases()
    """,
    *(
        f'CREATE INDEX IF NOT EXISTS "customer_{column}_trgm_active" ON "tickets_customer" '
        f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops) WHERE "has_active_cases"'
        for column in ("name", "email")
    ),
]
BACKWARD = [
    'DROP INDEX IF EXISTS "customer_email_trgm_active"',
    'DROP INDEX IF EXISTS "customer_name_trgm_active"',
    "DROP TRIGGER IF EXISTS tickets_customer_has_active_cases_delete ON tickets_case",
    "DROP TRIGGER IF EXISTS tickets_customer_has_active_cases_update ON tickets_case",
    "DROP TRIGGER IF EXISTS tickets_customer_has_active_cases_insert ON tickets_case",
    "DROP FUNCTION IF EXISTS tickets_customer_has_active_cases()",
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
        ("tickets", "0027_case_active_column"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="has_active_cases",
            field=models.BooleanField(db_default=False, editable=False),
        ),
        migrations.RunPython(upkeep_create, upkeep_drop, elidable=False),
    ]
