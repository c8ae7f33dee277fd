"""The WSGI application gunicorn and runserver serve.

Posts under /webhooks/ come from providers' machines (Shopify, EasyPost, AfterShip, Twilio, the
email providers), signed, with no cookie, no sign-in and no language to negotiate. They go to
Django without the browser's middleware (aftersales/handlers.py); every other request goes
through all of it."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.wsgi import get_wsgi_application

if TYPE_CHECKING:
    from wsgiref.types import StartResponse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.settings.local")
site = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402

from aftersales.handlers import WebhookHandler  # noqa: E402  (needs the settings)
from tickets.api.errors import WEBHOOK_PREFIX  # noqa: E402

webhooks = WebhookHandler()

# What the process has loaded by now lives as long as it does. The URLconf (and with it every
# view module) is loaded here rather than on the first request, and then all of it is moved out
# of the garbage collector's sight (gc.freeze): a full collection during a request scans only
# what requests made, a few milliseconds instead of 80 on a busy case's workspace.
get_resolver().url_patterns  # noqa: B018  (loads the URLconf)
gc.freeze()


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    path = environ.get("PATH_INFO", "")
    handler = webhooks if path.startswith(WEBHOOK_PREFIX) else site
    return handler(environ, start_response)
