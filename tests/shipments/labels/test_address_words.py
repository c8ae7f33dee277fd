"""The name on a label's address is a person's (or a firm's): Chinese says 姓名 there, and 名称
for the name of a thing (a macro, a tag)."""

from django.utils import translation

from shipments.labels.forms import AddressForm


def test_the_name_on_an_address_is_a_persons_name_in_chinese():
    with translation.override("zh-hans"):
        assert str(AddressForm().fields["name"].label) == "姓名"
        assert translation.gettext("Name") == "名称"
    with translation.override("de"):
        assert str(AddressForm().fields["name"].label) == "Name"
