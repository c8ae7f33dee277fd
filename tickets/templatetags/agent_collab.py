"""`{% load agent_collab %}`: working on a case together: macros, presence, merging duplicates.

The case workspace includes each tag where it belongs: the macro picker inside the composer
form (#composer, textarea #composer-body), the presence bar in the header, the merge action in
the context pane. Each tag's markup loads static/agent/collab.css and collab.js itself (the
script runs once however many tags a page has), so a page needs nothing in its head for them."""

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from tickets import selectors
from tickets.agent.links import case_workspace_href

register = template.Library()


@register.simple_tag(takes_context=True)
def macro_picker(context, case) -> str:
    """The composer's macro menu for `case`: a <select> of the active macros, "Insert", and
    the hidden `macro` field the reply form posts. Nothing when no macro is active."""
    macros = list(selectors.macro_list_active())
    if not macros:
        return ""
    # The JSON endpoint with a 0 for the macro id, which collab.js swaps for the chosen one.
    url = reverse("tickets:agent-case-macro", args=[case.number, 0])
    return render_to_string(
        "tickets/agent/_macro_picker.html",
        {"macros": macros, "url_template": url},
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def presence_bar(context, case) -> str:
    """Who else is viewing or replying to `case`: a container collab.js fills every 10 s."""
    return render_to_string(
        "tickets/agent/_presence_bar.html",
        {"url": reverse("tickets:agent-case-presence", args=[case.number])},
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def merge_action(context, case) -> str:
    """The control that merges `case` into another (duplicate) case, or, for a case merged
    already, "Merged into X" with a link to it."""
    target = None
    if case.merged_into_id is not None:
        target = case.merged_into
    return render_to_string(
        "tickets/agent/_merge_action.html",
        {
            "case": case,
            "target": target,
            "target_url": case_workspace_href(target.number) if target else "",
            "merge_url": reverse("tickets:agent-case-merge", args=[case.number]),
        },
        request=context.get("request"),
    )
