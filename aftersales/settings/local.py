"""The embedded mode of `make run`: SQLite, files instead of mail and SMS, no Redis needed."""

import os

os.environ.setdefault("DEBUG", "true")
if os.environ["DEBUG"].lower() in {"1", "true", "yes", "on"}:
    # A fixed key is fine only while DEBUG is on; with DEBUG off SECRET_KEY must be set.
    os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")

from .base import *  # noqa: E402,F403
