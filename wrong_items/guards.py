"""Guards the wrong-item kind puts on case moves (tickets.scenarios.Guard)."""

from django.utils.translation import gettext_lazy as _

from tickets.models import Case
from tickets.scenarios import Text
from wrong_items.models import RootCause, WrongItemReport


def root_cause_before_close(case: Case, to: str) -> Text | None:
    """A wrong-item case with a report closes only with a root cause: each mistake must teach
    something. (A wrong-item case opened without a report, by email or the spine's demo, has
    no report for a root cause to hang on, and closes as any case.)"""
    if to != Case.Status.CLOSED:
        return None
    if not WrongItemReport.objects.filter(case_id=case.pk).exists():
        return None
    if RootCause.objects.filter(report__case_id=case.pk).exists():
        return None
    return _("Record the root cause of the wrong item before closing this case.")
