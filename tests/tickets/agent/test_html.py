"""tickets.agent.html draws HTML exactly as Django's format_html and format_html_join do, and
the selects and radio buttons drawn with it exactly as Django's widgets."""

import re

import pytest
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from tickets.agent.compensation_forms import CompensationProposeForm
from tickets.agent.forms import CaseQueueForm
from tickets.agent.html import escaped, html_format, html_join
from tickets.agent.workspace_forms import ReplyForm
from tickets.templatetags.agent_queue import plain_radios, plain_select


class Marked:
    def __html__(self) -> str:
        return "<b>marked</b>"


VALUES = [
    "plain",
    "<script>alert('x') & \"y\"</script>",
    mark_safe("<em>safe</em>"),
    gettext_lazy("Open"),
    lazy(lambda: "<i>lazy</i>", str)(),
    lazy(lambda: mark_safe("<i>lazy safe</i>"), SafeString)(),
    Marked(),
    42,
    1.5,
    None,
    "",
]


@pytest.mark.parametrize(
    "value", VALUES, ids=[type(v).__name__ + str(i) for i, v in enumerate(VALUES)]
)
def test_html_format_escapes_as_format_html(value):
    template = '<td title="{}">{}</td>'
    with override("de"):
        drawn = html_format(template, value, value)
        assert drawn == format_html(template, value, value)
    assert isinstance(drawn, SafeString)


def test_html_format_takes_names():
    template = '<a href="{href}">{text}</a>'
    values = {"href": "/cases/?a=1&b=2", "text": mark_safe("<b>AS-1</b>")}
    assert html_format(template, **values) == format_html(template, **values)
    assert html_format(template, **values) == '<a href="/cases/?a=1&amp;b=2"><b>AS-1</b></a>'


def test_html_join_joins_as_format_html_join():
    rows = [(value, "<x>") for value in VALUES]
    template = '<option value="{}">{}</option>'
    assert html_join(template, rows) == format_html_join("", template, rows)
    assert html_join(template, []) == ""
    assert isinstance(html_join(template, rows), SafeString)


def test_escaped_leaves_safe_text_alone():
    assert escaped(mark_safe("<b>")) == "<b>"
    assert escaped("<b>") == "&lt;b&gt;"
    assert escaped("'") == "&#x27;"


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize(
    ("data", "checked"),
    [(None, 1), ({"visibility": "internal"}, 1), ({"visibility": "nonsense"}, 0)],
    ids=["unbound", "chosen", "invalid"],
)
def test_plain_radios_draw_what_django_s_radio_select_draws(data, checked):
    field = ReplyForm(data=data)["visibility"]
    drawn = [(radio.id, str(radio.tag), radio.label) for radio in plain_radios(field)]
    assert drawn == [(r.id_for_label, r.tag(), str(r.choice_label)) for r in field]
    assert sum(" checked" in tag for _, tag, _ in drawn) == checked


@pytest.mark.parametrize("data", [None, {"kind": "store_credit"}], ids=["unbound", "chosen"])
def test_plain_select_draws_what_django_s_select_draws(data):
    with override("de"):
        field = CompensationProposeForm(data=data, currency="EUR")["kind"]
        assert _tags(plain_select(field)) == _tags(str(field))


@pytest.mark.parametrize("language", ["en", "de", "zh-hans", "de"])
@pytest.mark.parametrize("data", [{}, {"kind": "wrong_item", "status": "all", "sla": "breached"}])
def test_the_list_s_fixed_selects_draw_what_django_draws_in_each_language(language, data):
    """Their options are kept per language: a German page after a Chinese one is German."""
    with override(language):
        form = CaseQueueForm(data=data)
        assert form.fixed_choices
        for name in form.fixed_choices:
            assert _tags(plain_select(form[name])) == _tags(str(form[name]))


def test_the_list_s_fixed_choices_are_the_form_class_s_own():
    """A field named in fixed_choices must not get choices of its own per form."""
    form = CaseQueueForm(data={})
    for name in form.fixed_choices:
        assert form.fields[name].choices == CaseQueueForm.base_fields[name].choices
