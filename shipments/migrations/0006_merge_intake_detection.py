# Joins the intake's and detection's migrations (branches h/intake and h/detection), so that the
# simulator's branch, which merges both, has one leaf.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shipments", "0002_shipment_tracking_url"),
        ("shipments", "0003_detection_indexes"),
    ]

    operations = []
