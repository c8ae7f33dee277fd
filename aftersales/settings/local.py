"""The embedded mode of `make run`: SQLite, files instead of mail and SMS, no Redis needed."""

import os

os.environ.setdefault("DEBUG", "true")
if os.environ["DEBUG"].lower() in {"1", "true", "yes", "on"}:
    # A fixed key is fine only while DEBUG is on; with DEBUG off SECRET_KEY must be set.
    os.environ.setdefault("SECRET_KEY", "local-development-only-not-secret")

# `make run` serves on RUN_ADDR (host:port, or a port); without SITE_URL, links in email and
# SMS point there. A wildcard bind address is not one a browser can open: use loopback.
if "SITE_URL" not in os.environ:
    host, _, port = os.environ.get("RUN_ADDR", "127.0.0.1:8000").rpartition(":")
    host = "127.0.0.1" if host in {"", "0.0.0.0", "[::]", "::"} else host  # noqa: S104
    os.environ["SITE_URL"] = f"http://{host}:{port}"

from .base import *  # noqa: E402,F403
