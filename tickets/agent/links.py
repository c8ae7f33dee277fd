"""Links and redirects between the dashboard's pages: the workspace URL that carries the list's
state (its query string), the 303 after a POST, and a safe way back."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def case_workspace_href(number: str, query: str = "") -> str:
    """The workspace of case `number` (tickets:agent-case), keeping the list's filters (`query`,
    an encoded query string) so that its left pane shows the list the agent came from."""
    # Formatted rather than reversed: every row of every list page links here.
    href = f"/agent/cases/{quote(number)}/"
    return f"{href}?{query}" if query else href


def see_other(url: str) -> HttpResponseRedirect:
    """The answer to a POST that worked: go (GET) to `url`."""
    return HttpResponseRedirect(url, status=303)


def next_or(request: HttpRequest, fallback: str) -> str:
    """The POST's `next` if it is a page of this site (no open redirect), else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
