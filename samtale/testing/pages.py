"""A page as its reader reads it: the words, without the markup around them."""

from __future__ import annotations

import html as html_lib
import re


def text_of(page: str) -> str:
    """The page's text with tags removed and white space collapsed: "Held 6 December 2026" reads
    the same whether the state is a tag (``<span class="badge">Held</span>``) or plain words."""
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", page))).strip()
