"""pytest: the embedded defaults, fast hashing, eager tasks unless a test starts a real worker."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")

from .base import *  # noqa: E402,F403
from .base import DATABASES, VAR_DIR  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Only a test's own worker process (tasks not eager, EMAIL_URL pointing at the test's SMTP
# server) sends real mail; pytest itself never does, whatever the shell exports.
if not (os.environ.get("EMAIL_URL") and os.environ["CELERY_TASK_ALWAYS_EAGER"] == "false"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "tickets.sms.LocMemBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# SQLite tests use a file so that a real worker process can read what a test wrote; one per
# process, so that two test runs side by side never share one.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
# Serve static files from the app folders as runserver would: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests clear the cache (throttle counters); never let that flush the Redis the broker uses.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions in the database with Redis or without, so that a page's query count is one number.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Every test process, and every worker a test starts, runs on the session's clock (TEST_NOW).
from tests import clock  # noqa: E402

clock.start()
