"""The pages load their CSS from our own server; nothing is fetched from a CDN."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PICO = "/static/vendor/pico/pico.min.css"


def test_the_portal_loads_its_assets_from_the_live_server_only(live_server, page):
    # Given a record of every request the page makes
    requests = []
    page.on("request", lambda request: requests.append(request))

    # When the portal loads
    with page.expect_response(lambda response: urlsplit(response.url).path == PICO) as pico:
        page.goto(f"{live_server.url}/portal/", wait_until="load")

    # Then the stylesheets came from the live server, and Pico's styles apply
    assets = {urlsplit(r.url).path for r in requests if r.resource_type in ("stylesheet", "script")}
    assert assets >= {PICO, "/static/css/aftersales.css"}
    # data: URLs (Pico's inline icons) never leave the page.
    hosts = {urlsplit(r.url).hostname for r in requests if not r.url.startswith("data:")}
    assert hosts <= {"127.0.0.1", "localhost"}
    assert pico.value.status == 200
    assert page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--pico-primary')"
    ).strip()
