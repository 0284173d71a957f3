"""Danish by default, English by choice, remembered per user."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from samtale.testing import Org


def test_the_sign_in_page_is_danish_by_default_even_for_an_english_browser(db) -> None:  # type: ignore[no-untyped-def]
    response = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get(reverse("accounts:login"))
    assert response["Content-Language"] == "da"
    assert '<html lang="da">' in response.content.decode()


def test_before_sign_in_the_choice_is_kept_in_a_cookie(db) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.post(reverse("accounts:set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert response["Location"] == reverse("accounts:login")
    page = client.get(reverse("accounts:login"))
    assert page["Content-Language"] == "en"
    assert "Sign in to Samtale" in page.content.decode()


def test_a_signed_in_user_s_choice_is_saved_on_their_account(org: Org) -> None:
    client = org.client("employee")
    client.post(reverse("accounts:set_language"), {"language": "en"})
    org.employee.user.refresh_from_db()
    assert org.employee.user.language == "en"
    # A new session on another device starts in English too.
    assert org.client("employee").get(reverse("dashboards:home"))["Content-Language"] == "en"


def test_the_account_s_language_wins_over_the_cookie(org: Org) -> None:
    client = org.client("employee")
    client.cookies["samtale_language"] = "en"
    assert client.get(reverse("dashboards:home"))["Content-Language"] == "da"


def test_an_unknown_language_is_ignored(org: Org) -> None:
    client = org.client("employee")
    client.post(reverse("accounts:set_language"), {"language": "xx"})
    org.employee.user.refresh_from_db()
    assert org.employee.user.language == "da"


def test_a_language_switch_never_redirects_off_site(db) -> None:  # type: ignore[no-untyped-def]
    response = Client().post(reverse("accounts:set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_pages_of_a_signed_in_person_are_never_cached(org: Org) -> None:
    response = org.client("employee").get(reverse("dashboards:home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
