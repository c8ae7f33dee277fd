"""The generated data reads through the API like real data."""

import pytest

from tickets.loadgen import load_data_generate
from tickets.models import Case


@pytest.mark.django_db
def test_the_case_list_and_a_case_s_detail_read_generated_cases(reader):
    # given 100 generated cases
    load_data_generate(cases=100)
    # then the list and a closed case's detail, events and messages read
    listing = reader.get("/api/v1/cases/")
    assert listing.status_code == 200, listing.content
    assert listing.json()["count"] == 100
    case = Case.objects.filter(status="closed", order__isnull=False).first()
    detail = reader.get(f"/api/v1/cases/{case.number}/")
    assert detail.status_code == 200, detail.content
    body = detail.json()
    assert (body["number"], body["status"]) == (case.number, "closed")
    assert body["customer"]["email"].endswith("@loadgen.example")
    for part in ("events", "messages"):
        response = reader.get(f"/api/v1/cases/{case.number}/{part}/")
        assert response.status_code == 200, response.content
