"""Tracking intake: a tracking page per shipment (Shopify's tracking_url), an index for the
API's newest-first list, and the shipments permissions of the Agents and Supervisors groups
(tickets' migration 0002 made the groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Agents read shipments and tracking, add shipments and events (the API's POSTs) and work
# claims; Supervisors also keep the carriers and the detection thresholds.
AGENT_PERMISSIONS = [
    "view_carrier", "view_shipment", "add_shipment", "change_shipment",
    "view_trackingevent", "add_trackingevent", "view_finding", "view_routethresholds",
    "view_insuranceclaim", "add_insuranceclaim", "change_insuranceclaim",
]
SUPERVISOR_EXTRA = [
    "add_carrier", "change_carrier", "add_routethresholds", "change_routethresholds",
    "delete_routethresholds",
]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("shipments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="shipments")
    agents, _ = Group.objects.get_or_create(name="Agents")
    agents.permissions.add(*perms.filter(codename__in=AGENT_PERMISSIONS))
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    supervisors.permissions.add(*perms.filter(codename__in=AGENT_PERMISSIONS + SUPERVISOR_EXTRA))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="shipments")
    for group in Group.objects.filter(name__in=["Agents", "Supervisors"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("shipments", "0001_base"),
        ("tickets", "0019_compensation_queue_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="shipment",
            name="tracking_url",
            field=models.URLField(blank=True, max_length=500, verbose_name="tracking page"),
        ),
        migrations.AddIndex(
            model_name="shipment",
            index=models.Index(fields=["-created_at", "-id"], name="shipment_newest"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
