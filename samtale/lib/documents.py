"""Printable documents: HTML made into a tagged, accessible PDF (PDF/UA-1) with WeasyPrint, so a
screen reader reads a signed plan or a 360 report in order, with its headings, tables and
language (WCAG 2.1 for documents). Every app's ``pdf.py`` renders its template and calls this."""

from __future__ import annotations

from django.conf import settings


def pdf_from_html(html: str) -> bytes:
    """The PDF of ``html``: tagged (PDF/UA-1: structure tree, the document's language and title
    from ``<html lang>`` and ``<title>``), fonts embedded; images and styles found from the
    project's folder."""
    import weasyprint  # imported here: it loads Pango, which only a download needs

    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]
