import pytest
from django.test import Client

from tests.tickets.factories import CustomerFactory


@pytest.mark.urls("tests.benchmarks.web.urls")
def test_the_2_byte_floor_answers_without_a_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/floor-2b/")
    assert (response.status_code, response.content) == (200, b"ok")


@pytest.mark.urls("tests.benchmarks.web.urls")
def test_the_pk_floor_renders_one_row_read_by_its_key(client, db, django_assert_num_queries):
    # given a customer
    customer = CustomerFactory(name="Mia Weber")

    # when the floor-PK view asks for it, then one query reads it, and the page shows it
    with django_assert_num_queries(1):
        response = client.get(f"/bench/floor-pk/{customer.pk}/")
    assert response.status_code == 200
    assert b"<title>Mia Weber</title>" in response.content


@pytest.mark.urls("tests.benchmarks.web.urls")
def test_the_pk_floor_of_an_unknown_key_is_a_404(client, db):
    assert client.get("/bench/floor-pk/999999/").status_code == 404


@pytest.mark.urls("tests.benchmarks.web.urls")
def test_the_signed_in_floor_renders_the_row_for_an_agent_only(agent_client):
    # given a customer
    customer = CustomerFactory(name="Mia Weber")
    path = f"/bench/floor-signed-in/{customer.pk}/"

    # when a signed-in agent asks for it, then the page shows it, never to be cached
    response = agent_client.get(path)
    assert response.status_code == 200
    assert b"<title>Mia Weber</title>" in response.content
    assert "no-cache" in response["Cache-Control"]
    # and nobody signed in is sent to sign in first, as on the dashboard's pages
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/agent/login/")


@pytest.mark.urls("tests.benchmarks.web.urls")
def test_the_bench_urls_serve_the_app_too(agent_client):
    assert agent_client.get("/agent/").status_code == 200


def test_the_floor_views_are_not_in_the_apps_urls(client, db):
    assert client.get("/bench/floor-2b/").status_code == 404
