"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings.local")

app = Celery("aftersales")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat keeps its schedule under var/, which exists on a fresh clone only once something made it.
Path(app.conf.beat_schedule_filename).parent.mkdir(parents=True, exist_ok=True)

if app.conf.broker_url == "filesystem://":
    # Kombu's filesystem transport needs its folders before the first message.
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        Path(app.conf.broker_transport_options[key]).mkdir(parents=True, exist_ok=True)
