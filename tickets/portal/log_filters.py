"""Keep magic-link tokens out of the logs: Django's request and CSRF loggers and runserver name
the path of a refused request, and a link's path holds its token."""

import logging
import re

TOKEN_IN_PATH = re.compile(r"(/portal/link/)[^/\s\"'?]+")


class RedactPortalLinkTokens(logging.Filter):
    """Rewrites /portal/link/<token>/ as /portal/link/…/ in a record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/portal/link/" in message:
            record.msg = TOKEN_IN_PATH.sub(r"\1…", message)
            record.args = ()
        return True
