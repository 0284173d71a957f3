"""The shell of every page: whose Samtale it is (``SAMTALE_ORGANISATION_NAME`` in the header of
every page and on every printed document; without it, Samtale alone), and labels written as
people write them."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from samtale.lib.documents import pdf_from_template

NAME = "Vesterby Kommune"


def test_the_header_names_the_organisation(settings, client: Client) -> None:  # type: ignore[no-untyped-def]
    settings.ORGANISATION_NAME = NAME
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'<span class="organisation">{NAME}</span>' in page


def test_without_a_name_the_header_says_samtale_alone(settings, client: Client) -> None:  # type: ignore[no-untyped-def]
    settings.ORGANISATION_NAME = ""
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'class="organisation"' not in page and ">Samtale</a>" in page


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
