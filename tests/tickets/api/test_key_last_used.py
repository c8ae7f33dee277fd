"""An API key notes when it was last used, at most once a minute: a read stays a read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tickets.models import ApiKey
from tickets.services.api_keys import api_key_check

pytestmark = pytest.mark.django_db


def test_last_use_is_written_at_most_once_a_minute(
    write_key, time_machine, django_assert_num_queries
):
    # given a key used once
    time_machine.move_to(timezone.now(), tick=False)
    first = api_key_check(write_key)
    assert first is not None
    noted = first.last_used_at
    # when it is used again within the minute, then it is only read (one query, key and user)
    time_machine.shift(timedelta(seconds=59))
    with django_assert_num_queries(1):
        assert api_key_check(write_key).user.is_active
    assert ApiKey.objects.get().last_used_at == noted
    # when used after the minute is over, then the new use is written
    time_machine.shift(timedelta(seconds=2))
    with django_assert_num_queries(2):
        api_key_check(write_key)
    assert ApiKey.objects.get().last_used_at == noted + timedelta(seconds=61)
