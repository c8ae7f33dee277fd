"""The agent's home page: where cases pile up, each count a link into the filtered list."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tickets import selectors
from tickets.models import Case
from tickets.selectors.case_queue import case_home_counts
from tickets.views import dev_outbox_enabled


@require_GET
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_home(request):
    counts = case_home_counts(user=request.user)
    case_list = reverse("tickets:agent-case-list")

    def _list_url(**params: str) -> str:
        # The list's path is reversed once: the page links to it some forty times.
        return f"{case_list}?{urlencode(params)}"

    statuses = [(s, label) for s, label in Case.Status.choices if s in Case.ACTIVE_STATUSES]
    kinds = [
        (
            label,
            _list_url(kind=kind),
            [(counts.by_kind[kind][s], _list_url(kind=kind, status=s)) for s, _l in statuses],
            sum(counts.by_kind[kind].values()),
        )
        for kind, label in Case.Kind.choices
    ]
    return render(
        request,
        "tickets/agent_home.html",
        {
            "counts": counts,
            "statuses": [(label, _list_url(status=s)) for s, label in statuses],
            "status_totals": [counts.by_status[s] for s, _l in statuses],
            "kinds": kinds,
            "links": {
                "all": case_list,
                "mine": _list_url(assignee="me"),
                "unassigned": _list_url(assignee="none"),
                "at_risk": _list_url(sla="at_risk"),
                "breached": _list_url(sla="breached"),
            },
            "heartbeats": selectors.worker_heartbeats()[:10],
            # Only those who may open the failed notifications see how many there are.
            "failed_count": (
                selectors.notification_failed_count(user=request.user)
                if request.user.has_perm("tickets.view_notification")
                else None
            ),
            "show_outbox": dev_outbox_enabled() and selectors.user_is_supervisor(user=request.user),
        },
    )
