"""Macros: canned replies in the case's language with placeholders filled, and the actions a
macro carries (status, priority, a tag), applied through the case services. Supervisors keep
the macros and their texts (`macro_save`, `macro_set_active`)."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tickets.errors import ApplicationError
from tickets.models import Case, Macro, MacroText
from tickets.scenarios import case_placeholders
from tickets.services.cases import case_set_priority, case_set_tags, case_transition
from tickets.services.notifications import portal_case_path
from tickets.services.timeline import Actor

# {name}: a word in braces. Anything else in braces ({ }, {a-b}, a lone "{") is left as typed.
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PLACEHOLDERS = ("customer_name", "case_number", "order_number", "tracking_link", "portal_link")


def macro_text_for(*, macro: Macro, language: str) -> str:
    """The macro's body in `language`, else in English, else in any language it has ("" if it
    has none). Reads `macro.texts` (prefetched by the selectors)."""
    texts = {text.language: text.body for text in macro.texts.all()}
    for wanted in (language, settings.LANGUAGE_CODE, "en"):
        if texts.get(wanted):
            return texts[wanted]
    by_order = [code for code, _name in settings.LANGUAGES]
    present = sorted(texts, key=lambda code: by_order.index(code) if code in by_order else 99)
    return next((texts[code] for code in present if texts[code]), "")


def macro_placeholders(*, case: Case) -> dict[str, str]:
    """The placeholder values for `case`: the general ones, then what its kind's scenario adds
    (which may fill tracking_link, empty until then)."""
    values = {
        "customer_name": case.customer.name,
        "case_number": case.number,
        "order_number": case.order.number if case.order is not None else "",
        "tracking_link": "",
        "portal_link": f"{settings.SITE_URL}{portal_case_path(case)}",
    }
    values.update(case_placeholders(case=case))
    return values


def fill_placeholders(text: str, values: Mapping[str, str]) -> str:
    """`text` with each {name} of `values` replaced; unknown names and stray braces stay."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def macro_render(*, macro: Macro, case: Case) -> str:
    """The macro's text for `case`: in the case's language (else English, else any), with the
    placeholders filled. Never raises for what a supervisor typed."""
    return fill_placeholders(
        macro_text_for(macro=macro, language=case.language), macro_placeholders(case=case)
    )


@dataclass
class MacroApplied:
    """What macro_apply did (`done`) and what the case refused (`refused`), in words."""

    done: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def macro_apply(*, case: Case, macro: Macro, actor: Actor) -> MacroApplied:
    """Apply `macro`'s actions to `case` for `actor`: its priority, its tag, then its status
    through the state machine. Each action stands alone: one the case refuses (a move the state
    machine does not allow, a guard of the scenario) is reported in `refused` and the others are
    kept. Acts on the case as it is now: the reply that carried the macro has just changed it."""
    outcome = MacroApplied()
    if macro.set_priority:
        priority = Case.Priority(macro.set_priority)

        def prioritise(current: Case) -> Case:
            return case_set_priority(case=current, priority=priority, actor=actor)

        said = _("Priority set to %(priority)s.") % {"priority": priority.label}
        _try(outcome, prioritise, case, said)
    if macro.add_tag_id:
        tag = macro.add_tag.name  # type: ignore[union-attr]

        def add_tag(current: Case) -> Case:
            names = [*current.tags.values_list("name", flat=True), tag]
            return case_set_tags(case=current, names=names, actor=actor)

        _try(outcome, add_tag, case, _("Tag %(tag)s added.") % {"tag": tag})
    if macro.set_status:
        status = Case.Status(macro.set_status)

        def move(current: Case) -> Case:
            if current.status == status:
                return current
            return case_transition(case=current, to=status, actor=actor, reason="macro")

        _try(outcome, move, case, _("Status set to %(status)s.") % {"status": status.label})
    return outcome


def _try(outcome: MacroApplied, action: Callable[[Case], Case], case: Case, said: str) -> None:
    # A savepoint each: a refused move must not undo the actions before it.
    try:
        with transaction.atomic():
            action(Case.objects.get(pk=case.pk))
    except ApplicationError as refused:
        outcome.refused.append(str(refused))
    else:
        outcome.done.append(said)


# --- managing macros (supervisors) ------------------------------------------------------------


class MacroNameTaken(ApplicationError):
    code = "macro_name_taken"

    def __init__(self, name: str) -> None:
        super().__init__(
            _("There is already a macro called “%(name)s”.") % {"name": name}, name=name
        )


@transaction.atomic
def macro_save(
    *, macro: Macro | None, values: Mapping[str, object], bodies: Mapping[str, str], actor: Actor
) -> Macro:
    """Create (`macro` None) or change a macro: `values` are its fields (name, active,
    set_status, set_priority, add_tag, position), `bodies` its text by language; an empty body
    removes that language. Raises MacroNameTaken and ValidationError."""
    macro = macro or Macro()
    for name, value in values.items():
        setattr(macro, name, value)
    if Macro.objects.filter(name__iexact=macro.name).exclude(pk=macro.pk).exists():
        raise MacroNameTaken(macro.name)
    macro.updated_at = timezone.now()
    macro.full_clean()
    macro.save()
    languages = {code for code, _name in settings.LANGUAGES}
    for language, body in bodies.items():
        if language not in languages:
            continue
        if body.strip():
            MacroText.objects.update_or_create(
                macro=macro, language=language, defaults={"body": body.strip()}
            )
        else:
            MacroText.objects.filter(macro=macro, language=language).delete()
    return macro


@transaction.atomic
def macro_set_active(*, macro: Macro, active: bool, actor: Actor) -> Macro:
    """Offer the macro to agents again, or stop offering it (it is kept, never deleted)."""
    Macro.objects.filter(pk=macro.pk).update(active=active, updated_at=timezone.now())
    macro.active = active
    return macro
