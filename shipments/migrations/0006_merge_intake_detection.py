# Joins the migrations of the branches the simulator's branch merges (h/intake, h/detection,
# h/lost), so that it has one leaf.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("shipments", "0003_detection_indexes"),
        ("shipments", "0004_shipment_lost_outcome"),
    ]

    operations = []
