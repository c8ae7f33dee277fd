"""The agent's away switch (POST /agent/away/): routing gives no new cases to an agent who is
away."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.agent.links import next_or, see_other
from tickets.services.routing import agent_set_away


@require_POST
@login_required
@permission_required("tickets.view_case", raise_exception=True)
def agent_away(request):
    """Set the signed-in agent away (`away=1`) or available (`away=0`), then go back to the
    page the switch was on (`next`, this site only)."""
    choice = request.POST.get("away")
    target = next_or(request, reverse("tickets:agent-home"))
    if choice not in ("0", "1"):
        return HttpResponseBadRequest(_("Choose available or away."))
    profile = agent_set_away(user=request.user, away=choice == "1")
    if profile.away:
        messages.success(request, _("You are away: routing gives you no new cases."))
    else:
        messages.success(request, _("You are available for new cases."))
    return see_other(target)
