"""Every page carries a Content-Security-Policy that allows no inline script, and no template of
ours needs one: no inline <script>, no on…= handler, no javascript: link, no inline style.

The browser side (no violation in Chromium's console) is in
tests/e2e/test_content_security_policy.py."""

import re
from pathlib import Path

import pytest

from tests.tickets.factories import agent, supervisor

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# Email must carry its styles inline: mail clients drop <style> and stylesheets. Email is never
# served as one of our pages (the dev outbox shows it in a sandboxed frame).
EMAILS = (TEMPLATES / "notifications", TEMPLATES / "portal_link")

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def page_templates() -> list[Path]:
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if not any(email in path.parents for email in EMAILS)
    )


@pytest.mark.parametrize("path", page_templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_needs_inline_script_or_style(path):
    source = path.read_text(encoding="utf-8")
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("event handler attribute", HANDLER),
        ("javascript: URL", JS_URL),
        ("inline style", INLINE_STYLE),
    ]:
        assert not pattern.search(source), f"{path.name}: {name}; move it to static/"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/portal/", "/agent/login/", "/agent/", "/agent/two-factor/", "/api/docs/", "/admin/"]
)
def test_every_page_forbids_inline_script(client, url):
    sam = supervisor(username="sam", is_staff=True)
    if url != "/agent/login/":
        client.force_login(sam)
    response = client.get(url)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_api_docs_load_their_start_up_script_as_a_file(client):
    page = client.get("/api/docs/").content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all("src=" in tag for tag in scripts)
    assert "/api/docs/?script=" in page
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.django_db
def test_only_the_dev_outbox_allows_inline_styles_for_its_email_previews(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    client.force_login(supervisor(username="sam"))
    directives = policy(client.get("/agent/outbox/"))
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["script-src"] == ["'self'"]
    client.force_login(agent(username="ana"))
    assert policy(client.get("/agent/"))["style-src"] == ["'self'"]
