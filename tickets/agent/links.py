"""Links between the dashboard's pages that carry the list's state (its query string)."""

from urllib.parse import quote


def case_workspace_href(number: str, query: str = "") -> str:
    """The workspace of case `number`, keeping the list's filters (`query`, an encoded query
    string) so that its left pane shows the list the agent came from."""
    # Built by hand, not reversed: the workspace route (tickets:agent-case) is another part's.
    href = f"/agent/cases/{quote(number)}/"
    return f"{href}?{query}" if query else href
