import pytest

from tests.tickets.api.conftest import assert_error_shape
from tests.tickets.factories import CustomerFactory

URL = "/api/v1/customers/"


def emails(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["email"] for row in response.json()["results"]]


@pytest.mark.django_db
def test_the_list_pages_customers_with_their_details(writer):
    # given three customers
    for n in range(3):
        CustomerFactory(email=f"c{n}@example.com")
    # when the first page of two is read
    response = writer.get(URL, {"page_size": 2})
    # then it holds two, with the count and a link to the next page
    body = response.json()
    assert body["count"] == 3
    assert body["next"] and body["previous"] is None
    first = body["results"][0]
    assert first["email"] == "c0@example.com"
    assert set(first) == {
        "id", "email", "name", "phone", "country", "language", "timezone", "sms_consent",
        "created_at", "updated_at",
    }  # fmt: skip
    assert first["country"] == "DE"


@pytest.mark.django_db
def test_filters_by_email_ignoring_case_and_by_country_and_language(writer):
    CustomerFactory(email="Mia@Example.com", country="DE", language="de")
    CustomerFactory(email="li@example.com", country="CN", language="zh-hans")
    assert emails(writer.get(URL, {"email": "mia@example.COM"})) == ["Mia@Example.com"]
    assert emails(writer.get(URL, {"country": "cn"})) == ["li@example.com"]
    assert emails(writer.get(URL, {"language": "zh-hans"})) == ["li@example.com"]


@pytest.mark.django_db
def test_search_and_ordering(writer):
    CustomerFactory(email="a@example.com", name="Zoe Berg")
    CustomerFactory(email="b@example.com", name="Anna Zoller")
    assert emails(writer.get(URL, {"search": "zol"})) == ["b@example.com"]
    assert emails(writer.get(URL, {"ordering": "-email"})) == ["b@example.com", "a@example.com"]
    assert emails(writer.get(URL, {"ordering": "name"})) == ["b@example.com", "a@example.com"]


@pytest.mark.django_db
def test_an_invalid_filter_value_is_a_400_naming_it(writer):
    body = assert_error_shape(writer.get(URL, {"language": "xx"}), 400, "invalid")
    assert list(body["errors"]) == ["language"]
    body = assert_error_shape(writer.get(URL, {"ordering": "password"}), 400, "invalid")
    assert list(body["errors"]) == ["ordering"]


@pytest.mark.django_db
def test_a_page_past_the_end_is_a_404(writer):
    assert_error_shape(writer.get(URL, {"page": 9}), 404, "not_found")


@pytest.mark.django_db
def test_retrieve_by_id_and_404s(writer, customer):
    assert writer.get(f"{URL}{customer.pk}/").json()["email"] == customer.email
    assert_error_shape(writer.get(f"{URL}{customer.pk + 1}/"), 404, "not_found")
    assert_error_shape(writer.get(f"{URL}abc/"), 404, "not_found")
    assert_error_shape(writer.get(f"{URL}1.5/"), 404, "not_found")
    assert_error_shape(writer.get(f"{URL}99999999999999999999999/"), 404, "not_found")


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_2_or_20_customers(writer, page_queries):
    CustomerFactory.create_batch(2)
    with_two = page_queries(URL)
    CustomerFactory.create_batch(18)
    assert page_queries(URL) == with_two
