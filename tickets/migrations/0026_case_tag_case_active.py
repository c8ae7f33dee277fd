from django.db import migrations, models

# The list's tag filter among the active cases without reading every case ever tagged.
#
# At a million cases a tag on 10,000 of them, 276 of them active, cost the list two queries of
# 8-10 ms each: both hashed every tagged case and scanned every active one to meet them. So
# Case.tags gets a model of its own (CaseTag, the same table: only Django's state changes),
# and on PostgreSQL each row carries whether its case is active (case_active), kept by two
# triggers as migration 0023 keeps the messages' flag:
# - before a tag is put on a case (or moved to another): from its case's status;
# - after a case's status crosses between active and not: on all of the case's tags;
# and a partial index, case_tag_active, holds the tags of active cases only. SQLite filters by
# the tag alone: the column stays false there.
# The active statuses as the partial indexes of 0015 spell them (frozen here, as migrations are).
ACTIVE_STATUSES = ["new", "open", "waiting_on_carrier", "waiting_on_customer", "waiting_on_return"]
ACTIVE = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)

FORWARD = [
    f"""
    UPDATE tickets_case_tags t SET case_active = true
    FROM tickets_case c WHERE c.id = t.case_id AND c.status IN ({ACTIVE})
    """,  # noqa: S608  (ACTIVE is the constant above)
    f"""
    CREATE OR REPLACE FUNCTION tickets_case_tag_case_active() RETURNS trigger
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
    CREATE TRIGGER tickets_case_tag_case_active
    BEFORE INSERT OR UPDATE OF case_id ON tickets_case_tags
    FOR EACH ROW EXECUTE FUNCTION tickets_case_tag_case_active()
    """,
    f"""
    CREATE OR REPLACE FUNCTION tickets_case_tags_active() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE tickets_case_tags SET case_active = (NEW.status IN ({ACTIVE}))
        WHERE case_id = NEW.id;
        RETURN NULL;
    END
    $$
    """,  # noqa: S608
    f"""
    CREATE TRIGGER tickets_case_tags_active
    AFTER UPDATE OF status ON tickets_case
    FOR EACH ROW
    WHEN ((OLD.status IN ({ACTIVE})) IS DISTINCT FROM (NEW.status IN ({ACTIVE})))
    EXECUTE FUNCTION tickets_case_tags_active()
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS tickets_case_tags_active ON tickets_case",
    "DROP FUNCTION IF EXISTS tickets_case_tags_active()",
    "DROP TRIGGER IF EXISTS tickets_case_tag_case_active ON tickets_case_tags",
    "DROP FUNCTION IF EXISTS tickets_case_tag_case_active()",
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
        ("tickets", "0025_customer_country_id"),
    ]

    operations = [
        # Django's own table of Case.tags, as it is: its columns, indexes and unique pair.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CaseTag",
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
                        (
                            "case",
                            models.ForeignKey(
                                on_delete=models.deletion.CASCADE,
                                related_name="+",
                                to="tickets.case",
                            ),
                        ),
                        (
                            "tag",
                            models.ForeignKey(
                                on_delete=models.deletion.CASCADE,
                                related_name="+",
                                to="tickets.tag",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "tickets_case_tags",
                        "unique_together": {("case", "tag")},
                    },
                ),
                migrations.AlterField(
                    model_name="case",
                    name="tags",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="cases",
                        through="tickets.CaseTag",
                        to="tickets.tag",
                        verbose_name="tags",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="casetag",
            name="case_active",
            field=models.BooleanField(db_default=False, editable=False),
        ),
        migrations.RunPython(upkeep_create, upkeep_drop, elidable=False),
        migrations.AddIndex(
            model_name="casetag",
            index=models.Index(
                condition=models.Q(case_active=True),
                fields=["tag", "case"],
                name="case_tag_active",
            ),
        ),
    ]
