"""Whatever answers under /api/ answers in the API's error shape, never an HTML page."""

import json

import pytest
from django.test import RequestFactory

from tests.tickets.api.conftest import assert_error_shape
from tickets.api import errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/", "/api", "/api/v1/", "/api/v1/nope/", "/api/v2/cases/", "/api/v1/cases/AS-1/nope/"],
)
@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
def test_an_unknown_api_url_is_a_json_404_for_every_method(writer, path, method):
    # when anything is asked of a URL no API route matches
    response = getattr(writer, method)(path)
    # then the answer is the API's 404, in JSON
    body = assert_error_shape(response, 404, "not_found")
    assert path in body["detail"]


@pytest.mark.django_db
def test_an_unknown_api_url_is_a_json_404_without_credentials_too(api):
    assert_error_shape(api.get("/api/v1/nope/"), 404, "not_found")


@pytest.mark.django_db
def test_a_missing_closing_slash_is_named_not_redirected(writer):
    # when a client leaves off the closing slash (a redirect would lose a POST's body)
    response = writer.post("/api/v1/cases", {}, format="json")
    # then the 404 says which path is meant
    body = assert_error_shape(response, 404, "not_found")
    assert body["detail"] == "API paths end with a slash: /api/v1/cases/"


@pytest.mark.django_db
def test_a_method_a_route_does_not_take_is_a_json_405(writer, case):
    response = writer.delete(f"/api/v1/cases/{case.number}/")
    body = assert_error_shape(response, 405, "method_not_allowed")
    assert "DELETE" in body["detail"]
    assert_error_shape(writer.put("/api/v1/customers/"), 405, "method_not_allowed")
    assert_error_shape(writer.post("/api/schema/"), 405, "method_not_allowed")
    assert_error_shape(writer.post("/api/docs/"), 405, "method_not_allowed")


@pytest.mark.django_db
def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/portal/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("handler", "status", "code"),
    [
        (lambda r: errors.handler400(r, None), 400, "bad_request"),
        (lambda r: errors.handler403(r, None), 403, "permission_denied"),
        (lambda r: errors.handler404(r, None), 404, "not_found"),
        (errors.handler500, 500, "server_error"),
    ],
)
def test_errors_django_answers_itself_are_json_under_the_api(handler, status, code):
    # given a request under /api/ that failed before any API view ran
    request = RequestFactory().get("/api/v1/cases/")
    # when Django's error handler answers it
    response = handler(request)
    # then it is the error shape, with a message for a person
    assert (response.status_code, response["Content-Type"]) == (status, "application/json")
    body = json.loads(response.content)
    assert set(body) == {"detail", "code"} and body["code"] == code and body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("handler", "status"),
    [
        (lambda r: errors.handler400(r, None), 400),
        (lambda r: errors.handler403(r, None), 403),
        (lambda r: errors.handler404(r, None), 404),
        (errors.handler500, 500),
    ],
)
def test_errors_elsewhere_keep_djangos_pages(handler, status):
    response = handler(RequestFactory().get("/portal/"))
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
