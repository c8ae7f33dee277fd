"""Addresses of the case workspace's pages, for its tests."""

from urllib.parse import urlencode

from django.urls import reverse


def workspace_url(case, **query):
    url = reverse("tickets:agent-case", args=[case.number])
    return f"{url}?{urlencode(query)}" if query else url


def action_url(name, case):
    return reverse(f"tickets:agent-case-{name}", args=[case.number])
