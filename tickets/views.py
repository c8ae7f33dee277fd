"""Dashboard and portal shells. Views parse input, call a service or selector, render."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets import selectors
from tickets.models import Case
from tickets.tasks import worker_heartbeat


class AgentLoginView(auth_views.LoginView):
    template_name = "tickets/agent_login.html"
    redirect_authenticated_user = True


@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_home(request):
    counts = selectors.case_counts_by_status()
    return render(
        request,
        "tickets/agent_home.html",
        {
            "status_counts": [(label, counts[value]) for value, label in Case.Status.choices],
            "heartbeats": selectors.worker_heartbeats()[:10],
        },
    )


@require_POST
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_check_workers(request):
    transaction.on_commit(worker_heartbeat.delay)
    messages.info(request, _("A check was sent to the background workers; reload in a moment."))
    return redirect("tickets:agent-home")


def portal_home(request):
    return render(request, "tickets/portal_home.html", {"kinds": Case.Kind.choices[:3]})
