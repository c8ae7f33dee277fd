"""One phone normaliser for every way customers come in: E.164 out, a clear reason otherwise."""

import pytest
from django.core.exceptions import ValidationError

from tickets.validators import phone_normalise


@pytest.mark.parametrize(
    ("number", "country", "e164"),
    [
        ("0151 23456789", "DE", "+4915123456789"),
        ("0151 23456789", "de", "+4915123456789"),
        ("0049 151 23456789", "DE", "+4915123456789"),
        ("+49 151 23456789", "", "+4915123456789"),
        ("+49 151 23456789", "US", "+4915123456789"),  # its own country code wins
        ("(502) 625-1199", "US", "+15026251199"),
        ("06 12 34 56 78", "FR", "+33612345678"),
        ("090-1234-5678", "JP", "+819012345678"),
        (" +4915123456789 ", "", "+4915123456789"),
    ],
)
def test_a_number_is_read_in_its_country_and_written_in_e164(number, country, e164):
    assert phone_normalise(number, country) == e164


@pytest.mark.parametrize(
    ("number", "country", "code", "message"),
    [
        (
            "0151 23456789",
            "",
            "phone_no_country",
            "“0151 23456789” has no country code: write it with one (e.g. +4915112345678) or "
            "give the customer's country.",
        ),
        (
            "0151 1234",
            "DE",
            "phone_invalid",
            "“0151 1234” is not a valid phone number in Germany.",
        ),
        ("call me", "DE", "phone_invalid", "“call me” is not a valid phone number in Germany."),
        ("+49 12", "DE", "phone_invalid", "“+49 12” is not a valid phone number."),
        ("555-625-1199", "XX", "phone_invalid", "“555-625-1199” is not a valid phone number."),
    ],
)
def test_a_number_that_cannot_be_read_says_why(number, country, code, message):
    with pytest.raises(ValidationError) as excinfo:
        phone_normalise(number, country)
    assert (excinfo.value.code, excinfo.value.messages) == (code, [message])
