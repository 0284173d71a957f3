"""Printable documents: HTML made into a tagged, accessible PDF (PDF/UA-1) with WeasyPrint, so a
screen reader reads a signed plan or a 360 report in order, with its headings, tables and
language (WCAG 2.1 for documents), and every document names the organisation it belongs to
(``ORGANISATION_NAME``, with its logo when ``ORGANISATION_LOGO`` names one). Every app's ``pdf.py``
calls ``pdf_from_template``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def pdf_from_html(html: str) -> bytes:
    """The PDF of ``html``: tagged (PDF/UA-1: structure tree, the document's language and title
    from ``<html lang>`` and ``<title>``), fonts embedded; images and styles found from the
    project's folder."""
    import weasyprint  # imported here: it loads Pango, which only a download needs

    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def pdf_from_template(template_name: str, context: dict[str, Any]) -> bytes:
    """The PDF of a template, given the organisation's name (``organisation_name``) beside
    ``context``, in the current language (the caller overrides it to the reader's)."""
    logo = Path(settings.ORGANISATION_LOGO).resolve().as_uri() if settings.ORGANISATION_LOGO else ""
    html = render_to_string(
        template_name, {"organisation_name": settings.ORGANISATION_NAME, "organisation_logo": logo, **context}
    )
    return pdf_from_html(html)
