from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WrongItemsConfig(AppConfig):
    """Wrong-item cases: reshipment, discount, root cause (built in a later issue)."""

    name = "wrong_items"
    verbose_name = _("Wrong items")
