"""Case visibility per group; the Integrations group for API keys' own accounts; supervisors
manage visibility, sign-in lockouts (django-axes) and two-factor devices (django-otp)."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# An integration's account reads and works cases like an agent, and feeds orders in.
INTEGRATION_PERMISSIONS = [
    "view_customer", "change_customer", "view_order", "view_orderline",
    "view_case", "add_case", "change_case", "view_message", "add_message",
    "view_attachment", "add_attachment", "view_caseevent", "view_compensation",
    "add_compensation", "change_compensation", "view_tag", "add_tag", "view_team",
    "view_notification", "view_slapolicy", "view_exchangerate",
    "add_customer", "add_order", "change_order", "add_orderline", "change_orderline",
]
# (app label, codename): supervisors set who sees which cases, unlock sign-ins and reset a
# colleague's two-factor device (deleting it: they enrol again).
SUPERVISOR_PERMISSIONS = [
    ("tickets", "view_groupcasevisibility"),
    ("tickets", "add_groupcasevisibility"),
    ("tickets", "change_groupcasevisibility"),
    ("tickets", "delete_groupcasevisibility"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
    ("axes", "view_accesslog"),
    ("axes", "view_accessfailurelog"),
    ("otp_totp", "view_totpdevice"),
    ("otp_totp", "delete_totpdevice"),
]


def _permissions(apps, pairs):
    Permission = apps.get_model("auth", "Permission")
    query = models.Q(pk__in=[])
    for app_label, codename in pairs:
        query |= models.Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def forwards(apps, schema_editor):
    for label in ("tickets", "axes", "otp_totp"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    supervisors, _ = Group.objects.get_or_create(name="Supervisors")
    supervisors.permissions.add(*_permissions(apps, SUPERVISOR_PERMISSIONS))

    integrations, _ = Group.objects.get_or_create(name="Integrations")
    integrations.permissions.add(
        *_permissions(apps, [("tickets", codename) for codename in INTEGRATION_PERMISSIONS])
    )
    apps.get_model("tickets", "GroupCaseVisibility").objects.get_or_create(
        group=integrations, defaults={"visibility": "all"}
    )
    # Accounts made for API keys so far ("api-<name>", no password) move over from Agents.
    User = apps.get_model("auth", "User")
    accounts = User.objects.filter(
        username__startswith="api-", password__startswith="!", api_keys__isnull=False
    ).distinct()
    for user in accounts:
        user.groups.add(integrations)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Integrations").delete()
    supervisors = Group.objects.filter(name="Supervisors").first()
    if supervisors is not None:
        supervisors.permissions.remove(*_permissions(apps, SUPERVISOR_PERMISSIONS))


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('tickets', '0009_order_lines_stores'),
        ('axes', '0010_accessattemptexpiration'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='GroupCaseVisibility',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('visibility', models.CharField(choices=[('all', 'All cases'), ('teams', "Their teams' cases and unassigned ones"), ('own', 'Only cases assigned to them')], default='all', max_length=10, verbose_name='sees')),
                ('group', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='case_visibility', to='auth.group', verbose_name='group')),
            ],
            options={
                'verbose_name': 'case visibility',
                'verbose_name_plural': 'case visibility',
                'ordering': ['group__name'],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
