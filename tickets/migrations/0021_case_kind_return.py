"""The `return` case kind (change-of-mind returns, owned by the returns app beside `defect`),
with the same default SLA targets as a defect claim."""

from django.db import migrations, models

# (first response, resolution) in minutes, as 0002 set them for "defect".
SLA = {"urgent": (60, 1440), "high": (240, 2880), "normal": (480, 4320), "low": (1440, 7200)}


def forwards(apps, schema_editor):
    SLAPolicy = apps.get_model("tickets", "SLAPolicy")
    for priority, (first_response, resolution) in SLA.items():
        SLAPolicy.objects.get_or_create(
            kind="return",
            priority=priority,
            defaults={"first_response_minutes": first_response, "resolution_minutes": resolution},
        )


def backwards(apps, schema_editor):
    apps.get_model("tickets", "SLAPolicy").objects.filter(kind="return").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('tickets', '0020_case_sla_and_customer_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='kind',
            field=models.CharField(choices=[('defect', 'Defective product'), ('return', 'Return'), ('wrong_item', 'Wrong item'), ('shipment_issue', 'Delayed or lost shipment'), ('general', 'General question')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='routingrule',
            name='kind',
            field=models.CharField(blank=True, choices=[('defect', 'Defective product'), ('return', 'Return'), ('wrong_item', 'Wrong item'), ('shipment_issue', 'Delayed or lost shipment'), ('general', 'General question')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='slapolicy',
            name='kind',
            field=models.CharField(choices=[('defect', 'Defective product'), ('return', 'Return'), ('wrong_item', 'Wrong item'), ('shipment_issue', 'Delayed or lost shipment'), ('general', 'General question')], max_length=20, verbose_name='kind'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
