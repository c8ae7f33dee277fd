"""The bench server: production's settings over plain HTTP on loopback, with the floor views.

Only `make bench` uses this module; production's URLconf never holds the floor views."""

import os
import warnings

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
# wrk sends thousands of requests a minute with one key: the throttle would answer 429.
os.environ.setdefault("API_THROTTLE_RATE", "100000000/min")
# The tracking webhooks' secrets, shared by the bench server and the load that signs for it.
os.environ.setdefault("TRACKING_WEBHOOK_SECRET", "bench-tracking-secret")
os.environ.setdefault("EASYPOST_WEBHOOK_SECRET", "bench-easypost-secret")
os.environ.setdefault("AFTERSHIP_WEBHOOK_SECRET", "bench-aftership-secret")

from aftersales.settings.production import *  # noqa: E402,F403

ROOT_URLCONF = "tests.benchmarks.web.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Plain HTTP on loopback: no redirect to HTTPS, cookies sent without TLS.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# No collectstatic for the bench: pages link static files by their plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# …so WhiteNoise finds no collected folder to serve; the pages measured link files, never fetch.
warnings.filterwarnings("ignore", "No directory at", UserWarning)
