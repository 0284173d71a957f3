"""The shell of every page: whose Samtale it is (``SAMTALE_ORGANISATION_NAME`` in the header of
every page and on every printed document; without it, Samtale alone), and labels written as
people write them."""

from __future__ import annotations

import shutil
import subprocess
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from samtale.lib.documents import pdf_from_template
from samtale.outbox.kinds import render_email

NAME = "Vesterby Kommune"


def test_the_header_names_the_organisation(settings, client: Client) -> None:  # type: ignore[no-untyped-def]
    settings.ORGANISATION_NAME = NAME
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'<span class="organisation">{NAME}</span>' in page


def test_without_a_name_the_header_says_samtale_alone(settings, client: Client) -> None:  # type: ignore[no-untyped-def]
    settings.ORGANISATION_NAME = ""
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'class="organisation"' not in page and ">Samtale</span></a>" in page


def test_a_printed_document_names_the_organisation(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is missing: install poppler-utils (scripts/bootstrap dev does)")
    settings.ORGANISATION_NAME = NAME
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf_from_template("surveys/leader_report_pdf.html", {"leader": None, "report": None}))
    text = subprocess.run([pdftotext, str(path), "-"], check=True, capture_output=True, text=True).stdout  # noqa: S603
    assert NAME in text


def test_a_label_ends_without_a_colon(client: Client) -> None:
    """Labels as Danes and the English write them: "Adgangskode", not "Adgangskode:"."""
    page = client.get(reverse("accounts:login"), headers={"accept-language": "da"}).content.decode()
    assert "<label" in page and ":</label>" not in page


def test_the_organisations_logo_shows_in_the_header_the_pdfs_and_the_emails(settings, client: Client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.ORGANISATION_NAME = NAME
    assert client.get(reverse("dashboards:logo")).status_code == 404  # no logo set: none shown
    assert "organisation-logo" not in client.get(reverse("accounts:login")).content.decode()
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>')
    settings.ORGANISATION_LOGO = str(logo)
    served = client.get(reverse("dashboards:logo"))
    assert served.status_code == 200 and served["Content-Type"] == "image/svg+xml" and b"<svg" in served.content
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'<img src="{reverse("dashboards:logo")}" alt="" class="organisation-logo"' in page
    # The PDFs draw the file itself; the e-mails point at the served logo.
    context = {"organisation_name": NAME, "organisation_logo": logo.as_uri(), "leader": None, "report": None}
    assert logo.as_uri() in render_to_string("surveys/leader_report_pdf.html", context)
    assert pdf_from_template("surveys/leader_report_pdf.html", {"leader": None, "report": None}).startswith(b"%PDF")
    user = SimpleNamespace(get_full_name=lambda: "Emil")
    email = render_email("emails/password_reset", {"user": user, "link": "https://x", "hours": 1}, to="e@x.dk")
    assert f"{settings.BASE_URL}/logo/" in str(email.alternatives[0][0])
