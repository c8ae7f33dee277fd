from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_apikey", "add_apikey", "change_apikey"]


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("tickets")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    supervisors = Group.objects.get(name="Supervisors")
    supervisors.permissions.add(
        *Permission.objects.filter(content_type__app_label="tickets", codename__in=CODENAMES)
    )


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="Supervisors").permissions.remove(
        *Permission.objects.filter(content_type__app_label="tickets", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_api_keys")]

    operations = [migrations.RunPython(forwards, backwards)]
