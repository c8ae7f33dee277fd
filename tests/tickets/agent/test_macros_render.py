"""macro_render: the case's language, then English, then any; placeholders filled."""

import pytest

from tests.tickets.agent.conftest import make_macro
from tests.tickets.factories import CaseFactory, CustomerFactory
from tickets.models import Case
from tickets.scenarios import Scenario, scenario_override
from tickets.services.macros import fill_placeholders, macro_render

pytestmark = pytest.mark.django_db

BODIES = {"en": "Hello", "de": "Hallo", "fr": "Bonjour"}


@pytest.mark.parametrize(
    ("language", "bodies", "expected"),
    [
        ("de", BODIES, "Hallo"),
        ("es", BODIES, "Hello"),  # no Spanish text: English
        ("es", {"fr": "Bonjour", "zh-hans": "你好"}, "Bonjour"),  # no English: any (site order)
        ("zh-hans", {"zh-hans": "你好", "en": "Hello"}, "你好"),
        ("de", {}, ""),  # no text at all: nothing, no error
    ],
)
def test_the_text_is_in_the_cases_language_else_english_else_any(language, bodies, expected):
    # given a case in `language` and a macro with `bodies`
    case = CaseFactory(language=language)
    macro = make_macro(bodies=bodies)
    # then
    assert macro_render(macro=macro, case=case) == expected


def test_placeholders_are_filled_from_the_case(settings):
    # given
    settings.SITE_URL = "https://help.example"
    case = CaseFactory(language="en", customer=CustomerFactory(name="Ana Lima"))
    macro = make_macro(
        bodies={
            "en": "{customer_name} {case_number} {order_number} [{tracking_link}] {portal_link}"
        }
    )
    # when
    text = macro_render(macro=macro, case=case)
    # then
    assert text == (
        f"Ana Lima {case.number} {case.order.number} [] "
        f"https://help.example/portal/cases/{case.number}/?order={case.order.number}"
    )


def test_a_case_without_order_leaves_the_order_number_empty(settings):
    settings.SITE_URL = "https://help.example"
    case = CaseFactory(language="en", order=None)
    macro = make_macro(bodies={"en": "#{order_number}# {portal_link}"})
    assert macro_render(macro=macro, case=case) == (
        f"## https://help.example/portal/cases/{case.number}/"
    )


@pytest.mark.parametrize(
    "typed",
    ["{unknown}", "{ }", "{", "}", "{{case}}", "{0}", "{customer_name", "50% {x:>3}", "%(name)s"],
)
def test_unknown_braces_stay_as_typed(typed):
    assert fill_placeholders(typed, {"customer_name": "Ana"}) == typed


def test_doubled_braces_around_a_placeholder_keep_the_outer_ones():
    assert fill_placeholders("{{customer_name}}", {"customer_name": "Ana"}) == "{Ana}"


def test_the_kinds_scenario_fills_the_tracking_link():
    # given the kind's scenario gives a tracking link
    case = CaseFactory(language="en", kind=Case.Kind.SHIPMENT_ISSUE)
    macro = make_macro(bodies={"en": "Track: {tracking_link} {carrier}"})
    scenario = Scenario(
        kind=Case.Kind.SHIPMENT_ISSUE,
        label="Shipment",
        placeholders=lambda c: {"tracking_link": f"https://track.example/{c.number}"},
    )
    with scenario_override(scenario):
        text = macro_render(macro=macro, case=case)
    # then the link is filled, and a placeholder nobody knows stays as typed
    assert text == f"Track: https://track.example/{case.number} {{carrier}}"
