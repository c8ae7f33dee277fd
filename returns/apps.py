from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    """Defect claims: return policy, RMA, inspection (built in a later issue)."""

    name = "returns"
    verbose_name = _("Returns")
