"""Breach alerts: supervisors hear once about each breached SLA target, in working hours.

Two steps, both safe to run twice. `sla_breaches_find` records an SLABreachAlert per breached
target (unique per case, target and due time: a breach is recorded once however often the scan
runs); `sla_alerts_send` mails the unsent ones whose team is at work now, and leaves the others
for the next run (a breach at night is told in the morning). The periodic task runs both."""

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.models import Case, SLABreachAlert, SLAPolicy, Team
from tickets.selectors.access import SUPERVISORS_GROUP
from tickets.services.sla import Calendar, is_working_time, running_targets

logger = logging.getLogger(__name__)

# Cases read per query of the scan: one page of the case_active_sla_due index, small enough
# that the alerts of one batch go in one short INSERT.
SCAN_BATCH = 500
# Alerts mailed per transaction: their rows stay locked while the mail goes out.
SEND_BATCH = 50


def sla_breaches_find(*, now: dt.datetime | None = None, batch_size: int = SCAN_BATCH) -> int:
    """Record an alert for every running target of an active case that fell due in the last
    SLA_ALERT_LOOKBACK_HOURS; returns how many breached targets it saw.

    Reads the case_active_sla_due index by range, keyset-paged on (sla_due, id): the cases that
    breached since the last runs, not every case ever breached. Paused cases and cases whose
    policy was switched off have no `sla_due` and are never seen."""
    now = now or timezone.now()
    after_due = now - dt.timedelta(hours=settings.SLA_ALERT_LOOKBACK_HOURS)
    after_id = 0
    seen = 0
    while True:
        cases = list(
            # The plain range bounds the index scan; the OR is the keyset's tiebreak within it.
            Case.objects.filter(active=True, sla_due__gte=after_due, sla_due__lt=now)
            .filter(Q(sla_due__gt=after_due) | Q(sla_due=after_due, pk__gt=after_id))
            .order_by("sla_due", "pk")
            .only(
                "pk",
                "sla_due",
                "first_response_due",
                "first_responded_at",
                "next_response_due",
                "resolution_due",
                "resolved_at",
            )[:batch_size]
        )
        if not cases:
            return seen
        # The filter keeps sla_due set; `or` only satisfies the type of the column.
        after_due, after_id = cases[-1].sla_due or after_due, cases[-1].pk
        alerts = [
            SLABreachAlert(case_id=case.pk, target=target, due_at=due)
            for case in cases
            for target, due in running_targets(case).items()
            if due < now
        ]
        SLABreachAlert.objects.bulk_create(alerts, ignore_conflicts=True)
        seen += len(alerts)


def _supervisors() -> dict[int, str]:
    """Supervisors' email addresses by user id."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=SUPERVISORS_GROUP)
        .exclude(email="")
    )
    return dict(users.values_list("pk", "email").distinct())


def _recipients(case: Case, supervisors: dict[int, str], teams: dict[int, set[int]]) -> list[str]:
    """The case team's supervisors, or every supervisor when the team has none."""
    ids = teams.get(case.team_id or 0, set()) & supervisors.keys()
    return sorted({supervisors[pk] for pk in (ids or supervisors.keys())})


def _alert_mail(alert: SLABreachAlert, recipients: list[str]) -> None:
    case = alert.case
    send_mail(
        subject=_("SLA breached: %(number)s (%(target)s)")
        % {"number": case.number, "target": alert.get_target_display()},
        message=_(
            "Case %(number)s (%(subject)s) breached its %(target)s target, due %(due)s UTC.\n\n"
            "%(link)s"
        )
        % {
            "number": case.number,
            "subject": case.subject,
            "target": alert.get_target_display().lower(),
            "due": f"{alert.due_at.astimezone(dt.UTC):%Y-%m-%d %H:%M}",
            "link": f"{settings.SITE_URL}/agent/cases/{case.number}/",
        },
        from_email=None,
        recipient_list=recipients,
    )


def sla_alerts_send(*, now: dt.datetime | None = None, batch_size: int = SEND_BATCH) -> int:
    """Mail each unsent alert to the supervisors if the case's team (else its policy's
    calendar team) is at work now, and mark it sent; returns how many went out. Alerts of a
    team off work wait. With no supervisor to tell, alerts stay unsent."""
    now = now or timezone.now()
    supervisors = _supervisors()
    if not supervisors:
        return 0
    teams: dict[int, set[int]] = {}
    for team_id, user_id in Team.members.through.objects.values_list("team_id", "user_id"):
        teams.setdefault(team_id, set()).add(user_id)
    calendars = {
        (policy.kind, policy.priority): policy.calendar
        for policy in SLAPolicy.objects.select_related("calendar")
    }
    sent, after = 0, 0
    while True:
        with transaction.atomic():
            alerts = list(
                SLABreachAlert.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(sent_at__isnull=True, pk__gt=after)
                .select_related("case", "case__team")
                .order_by("pk")[:batch_size]
            )
            if not alerts:
                return sent
            after = alerts[-1].pk
            done = []
            for alert in alerts:
                case = alert.case
                team = case.team or calendars.get((case.kind, case.priority))
                if not is_working_time(now, Calendar.of(team)):
                    continue
                _alert_mail(alert, _recipients(case, supervisors, teams))
                done.append(alert.pk)
            SLABreachAlert.objects.filter(pk__in=done).update(sent_at=now)
        sent += len(done)


def sla_breaches_alert(*, now: dt.datetime | None = None) -> int:
    """Record new breaches, then mail those whose team is at work; returns how many went out."""
    now = now or timezone.now()
    sla_breaches_find(now=now)
    return sla_alerts_send(now=now)
