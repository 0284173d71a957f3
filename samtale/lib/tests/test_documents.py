"""A printable document is a tagged PDF (PDF/UA-1): a screen reader gets its structure, language
and title (docs/trust.md § Accessibility; WCAG 2.1 for documents)."""

from __future__ import annotations

import re
import zlib

from samtale.lib.documents import pdf_from_html

PAGE = """<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>Udviklingsplan: Emil Ærø</title>
<style>body { font-family: "DejaVu Sans", sans-serif; }</style></head>
<body><h1>Udviklingsplan</h1><p>Indsatsområde: Vidensdeling</p>
<table><tr><th scope="col">Mål</th></tr><tr><td>Lære Python</td></tr></table></body></html>"""


def _text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams opened, so the structure can be searched."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_a_document_is_tagged_with_its_language_and_title() -> None:
    pdf = pdf_from_html(PAGE)
    text = _text(pdf)
    assert pdf.startswith(b"%PDF-")
    assert b"/StructTreeRoot" in text
    assert re.search(rb"/Marked\s+true", text)
    assert re.search(rb"/Lang\s*\(da\)", text)
    assert b"pdfuaid" in text  # declares PDF/UA in its metadata
    assert re.search(rb"/DisplayDocTitle\s+true", text)
    assert b"/H1" in text and b"/Table" in text
