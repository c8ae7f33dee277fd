"""get_FOO_display() from the per-field, per-language table (tickets/models/choices.py): the
same label as Django's own, for every choice of every model, in every language."""

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation

from tickets.models import Case
from tickets.models.choices import ChoiceLabels

APPS = ("tickets", "returns", "shipments", "wrong_items")


def choice_fields():
    return [
        (model, field)
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if field.choices
    ]


def test_every_model_with_choices_reads_the_table():
    models_with_choices = {model for model, _ in choice_fields()}
    assert len(models_with_choices) > 20
    assert {m.__name__ for m in models_with_choices if not issubclass(m, ChoiceLabels)} == set()


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_each_label_is_django_s_own_in_each_language(language):
    compared = 0
    with translation.override(language):
        for model, field in choice_fields():
            display = f"get_{field.name}_display"
            for value in [*(value for value, _ in field.flatchoices), "not-a-choice", None]:
                instance = model()
                setattr(instance, field.attname, value)
                expected = models.Model._get_FIELD_display(instance, field)
                assert getattr(instance, display)() == expected, (model, field.name, value)
                compared += 1
    assert compared > 500


def test_a_label_follows_the_language_asked_for():
    case = Case(status=Case.Status.RESOLVED)
    with translation.override("de"):
        german = case.get_status_display()
    with translation.override("en"):
        english = case.get_status_display()
    assert (english, german) == ("Resolved", "Gelöst")
