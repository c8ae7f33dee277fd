from datetime import UTC, datetime, timedelta

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.tickets.factories import CaseFactory
from tickets.models import Case, Macro, MacroText, Tag


def make_macro(name="Thanks", *, bodies=None, active=True, **fields):
    """A macro with `bodies` ({language: text}); English only by default."""
    macro = Macro.objects.create(name=name, active=active, **fields)
    for language, body in (bodies if bodies is not None else {"en": "Hi {customer_name}"}).items():
        MacroText.objects.create(macro=macro, language=language, body=body)
    return macro


def tag(name):
    return Tag.objects.get_or_create(name=name)[0]


def render_tag(source: str, *, user, case) -> str:
    """`source` (a template using agent_collab's tags) rendered for `user` on `case`."""
    request = RequestFactory().get("/agent/")
    request.user = user
    return Template("{% load agent_collab %}" + source).render(
        Context({"request": request, "case": case, "user": user})
    )


NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def make_case(
    kind,
    created,
    *,
    responded=None,
    resolved=None,
    fr_due=None,
    res_due=None,
    rating=None,
    customer=None,
) -> Case:
    """A case with its times stored as given (hours after `created` for the relative ones)."""
    extra = {"customer": customer, "order__customer": customer} if customer else {}
    case = CaseFactory(kind=kind, **extra)

    def hours(value):
        return created + timedelta(hours=value) if isinstance(value, int | float) else value

    Case.objects.filter(pk=case.pk).update(
        created_at=created,
        first_responded_at=hours(responded),
        resolved_at=hours(resolved),
        first_response_due=hours(fr_due),
        resolution_due=hours(res_due),
        satisfaction=rating,
    )
    return case


@pytest.fixture
def frozen(time_machine, settings):
    settings.TIME_ZONE = "UTC"
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def known_cases(db, frozen):
    """Six cases, five of them created 10 to 12 March 2026 (UTC), one on 1 March."""
    K = Case.Kind
    return [
        make_case(K.DEFECT, at(10, 9), responded=2, resolved=10, fr_due=4, res_due=24, rating=5),
        make_case(K.DEFECT, at(10, 10), responded=4, resolved=30, fr_due=4, res_due=24, rating=3),
        make_case(K.DEFECT, at(11, 8), responded=9, fr_due=4, res_due=at(21)),
        make_case(K.GENERAL, at(12, 8), responded=1, resolved=5, rating=4),
        make_case(K.GENERAL, at(12, 9), fr_due=1),
        make_case(K.WRONG_ITEM, at(1, 9), responded=1, resolved=2, rating=1),
    ]


@pytest.fixture
def supervisor_client(client, supervisor_user):
    client.force_login(supervisor_user)
    return client
