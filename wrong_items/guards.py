"""Guards the wrong-item kind puts on case moves (tickets.scenarios.Guard)."""

from django.utils.translation import gettext_lazy as _

from tickets.models import Case
from tickets.scenarios import Text
from wrong_items.models import RootCause


def root_cause_before_close(case: Case, to: str) -> Text | None:
    """A wrong-item case closes only with a root cause: each mistake must teach something."""
    if to != Case.Status.CLOSED:
        return None
    if RootCause.objects.filter(report__case_id=case.pk).exists():
        return None
    return _("Record the root cause of the wrong item before closing this case.")
