"""Who made and who revoked each API key is recorded, and the admin shows it."""

import pytest
from django.utils import timezone

from tests.tickets.factories import superuser, supervisor
from tickets.models import ApiKey
from tickets.services.api_keys import api_key_create, api_key_revoke


@pytest.mark.django_db
def test_creating_a_key_records_who_made_it():
    # given a supervisor
    sam = supervisor(username="sam")
    # when they make a key
    api_key, _ = api_key_create(name="ERP", scope="read", actor=sam)
    # then the key says so, and a command-line key (no actor) says nobody
    assert ApiKey.objects.get(pk=api_key.pk).created_by == sam
    cli_key, _ = api_key_create(name="CLI", scope="read", actor=None)
    assert ApiKey.objects.get(pk=cli_key.pk).created_by is None


@pytest.mark.django_db
def test_revoking_a_key_records_who_and_when_once(time_machine):
    # given a key and two supervisors
    sam, ria = supervisor(username="sam"), supervisor(username="ria")
    api_key, _ = api_key_create(name="ERP", scope="read", actor=sam)
    # when sam revokes it, and ria revokes it again later
    first = timezone.now()
    time_machine.move_to(first, tick=False)
    api_key_revoke(api_key=api_key, actor=sam)
    time_machine.shift(60)
    revoked = api_key_revoke(api_key=api_key, actor=ria)
    # then the first revocation stands: sam, at the first time
    assert (revoked.revoked_by, revoked.revoked_at) == (sam, first)


@pytest.mark.django_db
def test_the_admin_records_and_shows_who_made_and_revoked_a_key(client):
    # given a superuser in the admin
    root = superuser(username="root")
    client.force_login(root)
    # when they add a key and revoke it with the action
    client.post("/admin/tickets/apikey/add/", {"name": "ERP", "scope": "read", "user": ""})
    api_key = ApiKey.objects.get(name="ERP")
    client.post("/admin/tickets/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]})
    # then both are recorded as theirs
    api_key.refresh_from_db()
    assert (api_key.created_by, api_key.revoked_by) == (root, root)
    # and the list and the key's page show them
    listing = client.get("/admin/tickets/apikey/").content.decode()
    assert "column-created_by" in listing and "column-revoked_by" in listing
    page = client.get(f"/admin/tickets/apikey/{api_key.pk}/change/").content.decode()
    assert "Created by" in page and "Revoked by" in page
