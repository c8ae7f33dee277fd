from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .cases import Case, Tag
from .choices import ChoiceLabels


class Macro(ChoiceLabels, models.Model):
    """A canned reply agents insert in the composer, with its text per language (MacroText) and
    optional actions applied when the reply is sent (tickets.services.macros.macro_apply)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    set_status = models.CharField(
        _("set status"), max_length=24, choices=Case.Status.choices, blank=True
    )
    set_priority = models.CharField(
        _("set priority"), max_length=10, choices=Case.Priority.choices, blank=True
    )
    add_tag = models.ForeignKey(
        Tag,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("add tag"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class MacroText(ChoiceLabels, models.Model):
    """A macro's body in one language; placeholders such as {customer_name} are filled when it
    is inserted."""

    macro = models.ForeignKey(
        Macro, on_delete=models.CASCADE, related_name="texts", verbose_name=_("macro")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("macro text")
        verbose_name_plural = _("macro texts")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["macro", "language"], name="macro_text_one_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.macro} ({self.language})"
