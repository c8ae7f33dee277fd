"""403 pages: the dashboard's layout under /agent/, the site's elsewhere, JSON under /api/."""

import pytest

from tests.tickets.factories import UserFactory
from tickets.api.errors import handler403


@pytest.mark.django_db
def test_a_403_under_agent_has_the_dashboard_layout(client):
    client.force_login(UserFactory(username="visitor"))
    response = client.get("/agent/")
    assert response.status_code == 403
    html = response.content.decode()
    assert 'class="agent-header"' in html and "Not allowed" in html


@pytest.mark.django_db
def test_a_403_elsewhere_has_the_site_layout(rf):
    request = rf.get("/portal/somewhere/")
    request.user = UserFactory(username="visitor")
    response = handler403(request)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not allowed" in html and "pico" in html


@pytest.mark.django_db
def test_a_403_under_api_stays_json(rf):
    response = handler403(rf.get("/api/v1/cases/"))
    assert response["Content-Type"] == "application/json"
