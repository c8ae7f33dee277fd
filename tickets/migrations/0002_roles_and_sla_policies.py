"""Groups Agents and Supervisors with their permissions, and default SLA policies."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Agents work cases; Supervisors also approve large compensation and manage the setup.
AGENT_PERMISSIONS = [
    "view_customer", "change_customer", "view_order", "view_orderline",
    "view_case", "add_case", "change_case", "view_message", "add_message",
    "view_attachment", "add_attachment", "view_caseevent", "view_compensation",
    "add_compensation", "change_compensation", "view_tag", "add_tag", "view_team",
    "view_notification", "view_slapolicy", "view_exchangerate",
]
SUPERVISOR_EXTRA = [
    "approve_compensation", "add_customer", "add_order", "change_order", "add_orderline",
    "change_orderline", "change_tag", "delete_tag", "add_team", "change_team",
    "add_slapolicy", "change_slapolicy", "add_exchangerate", "change_exchangerate",
]

# (first response, resolution) in minutes. A lost parcel or wrong item is acted on fastest.
SLA = {
    "defect": {"urgent": (60, 1440), "high": (240, 2880), "normal": (480, 4320), "low": (1440, 7200)},
    "wrong_item": {"urgent": (60, 720), "high": (120, 1440), "normal": (240, 2880), "low": (720, 4320)},
    "shipment_issue": {"urgent": (60, 1440), "high": (120, 2880), "normal": (240, 4320), "low": (720, 7200)},
    "general": {"urgent": (120, 1440), "high": (240, 2880), "normal": (720, 4320), "low": (1440, 10080)},
}


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("tickets")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="tickets")
    agents, _ = Group.objects.get_or_create(name="Agents")
    agents.permissions.add(*perms.filter(codename__in=AGENT_PERMISSIONS))
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    supervisors.permissions.add(*perms.filter(codename__in=AGENT_PERMISSIONS + SUPERVISOR_EXTRA))

    SLAPolicy = apps.get_model("tickets", "SLAPolicy")
    for kind, by_priority in SLA.items():
        for priority, (first_response, resolution) in by_priority.items():
            SLAPolicy.objects.get_or_create(
                kind=kind,
                priority=priority,
                defaults={"first_response_minutes": first_response, "resolution_minutes": resolution},
            )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Agents", "Supervisors"]).delete()
    apps.get_model("tickets", "SLAPolicy").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
