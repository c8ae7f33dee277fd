import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tickets.models import Macro, MacroText, Tag


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


@pytest.fixture
def supervisor_client(client, supervisor_user):
    client.force_login(supervisor_user)
    return client
