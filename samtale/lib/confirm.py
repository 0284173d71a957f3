"""Asked first: an action that sends e-mail to others, shares confidential text or cannot be
undone is confirmed before it is done (docs/domain.md § Confirm before acting).

The view calls ``ask_first`` at the top of its POST. Without ``confirmed=1`` in the form it answers
with the question instead of acting: a page of its own without JavaScript, a dialog over the page
with htmx (``components/confirm.html``); both send the same form again with ``confirmed=1``. So the
rule holds for any client, and a test can post straight through with ``confirmed=1``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Question:
    title: str  # the question, naming what and whom: "Cancel the conversation with Freja Sørensen?"
    confirm: str  # the button that does it: "Yes, cancel the conversation"
    cancel_url: str  # where "No" goes back to
    consequences: Sequence[str] = field(default_factory=tuple)  # what will happen, said plainly
    danger: bool = False  # cannot be undone: the button says so in its colour too


def ask_first(request: HttpRequest, question: Question) -> HttpResponse | None:
    """The question to answer first, or None when it has been answered yes."""
    if request.POST.get(CONFIRMED) == "1":
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", CONFIRMED)
        for value in values
    ]
    context = {"question": question, "fields": fields, "action": request.get_full_path()}
    dialog = bool(getattr(request, "htmx", False))
    return render(request, "components/confirm_dialog.html" if dialog else "components/confirm.html", context)
