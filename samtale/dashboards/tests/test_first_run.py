"""What a newcomer meets on the first `make run`: the product's own pages in Danish (not Django's
debugging pages), e-mail links to the port it serves on, an icon, and the security headers a
browser is told."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from samtale.testing import Org

ROOT = Path(__file__).resolve().parents[3]


def _settings_under_make_run(**environment: str) -> dict[str, str]:
    """The settings Django reads with the environment scripts/run gives it, in a fresh shell."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("SAMTALE_")}
    # A key of the test's own, so the check does not write .secret-key into the checkout.
    clean |= {"SAMTALE_SECRET_KEY": "a-key-for-this-test-only-0123456789-abcdefghijklmnopqrstuvwxyz"} | environment
    probe = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'samtale.settings'; django.setup(); "
        "from django.conf import settings; "
        "print(settings.DEBUG, settings.BASE_URL, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)"
    )
    result = subprocess.run(  # noqa: S603 (our own script, our own arguments)
        ["/bin/bash", "-c", f'. scripts/run-env && exec "{sys.executable}" -c "{probe}"'],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    debug, base_url, secure_cookie, ssl_redirect = result.stdout.split()
    return {"DEBUG": debug, "BASE_URL": base_url, "SECURE_COOKIE": secure_cookie, "SSL_REDIRECT": ssl_redirect}


def test_make_run_shows_the_products_own_pages_on_plain_http() -> None:
    settings = _settings_under_make_run()
    # Django's debugging pages list the URL patterns and say "DEBUG = True": not for a newcomer.
    assert settings["DEBUG"] == "False"
    assert settings["SECURE_COOKIE"] == settings["SSL_REDIRECT"] == "False"  # http://127.0.0.1 works
    assert settings["BASE_URL"] == "http://127.0.0.1:8000"


def test_e_mail_links_point_at_the_port_make_run_serves_on() -> None:
    assert _settings_under_make_run(PORT="8123")["BASE_URL"] == "http://127.0.0.1:8123"
    # An address set by hand wins.
    assert (
        _settings_under_make_run(PORT="8123", SAMTALE_BASE_URL="https://mus.example")["BASE_URL"]
        == "https://mus.example"
    )


def test_a_developer_can_still_ask_for_the_debugging_pages() -> None:
    assert _settings_under_make_run(SAMTALE_DEBUG="1")["DEBUG"] == "True"


@pytest.mark.django_db
def test_a_missing_page_is_samtales_own_in_danish_with_a_way_back(org: Org) -> None:
    response = org.client("employee").get("/ingen-side-her/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Siden blev ikke fundet</h1>" in page
    assert 'href="/">Gå til forsiden</a>' in page
    assert "URLconf" not in page and "DEBUG" not in page


@pytest.mark.django_db
def test_the_icon_is_served_where_every_browser_asks_for_it(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")


@pytest.mark.django_db
def test_pages_tell_the_browser_that_no_device_feature_may_be_used(org: Org) -> None:
    response = org.client("employee").get("/")
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy
    # Signed out too: the sign-in page is where a stranger arrives.
    assert "camera=()" in Client().get("/login/").headers["Permissions-Policy"]


@pytest.mark.django_db
def test_a_form_sent_from_a_stale_page_gets_samtales_own_page_saying_nothing_was_saved(org: Org) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.user("employee"))
    response = client.post("/language/", {"language": "en"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Nothing was saved" in page or "Intet blev gemt" in page
    assert "CSRF verification" not in page and "Forbidden" not in page
    assert 'href="/"' in page


def test_the_error_page_of_last_resort_has_a_way_back() -> None:
    from django.template.loader import render_to_string

    page = render_to_string("errors/500.html")
    assert '<a href="/">Til forsiden</a>' in page and 'lang="en">To the start page</a>' in page
