"""The form of the catalogues' import: what the file holds, the file, and whether only to check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

KINDS = [
    ("competences", _("The competence catalogue")),
    ("courses", _("The course catalogue with sessions")),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("The file holds"), choices=KINDS, widget=forms.RadioSelect)
    file = forms.FileField(label=_("File"), help_text=_("CSV (comma, semicolon or tab) or Excel (.xlsx)."))
    check_only = forms.BooleanField(
        label=_("Only check the file"), required=False, help_text=_("Shows what would change and imports nothing.")
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, label) for k, label in KINDS if k in kinds]  # type: ignore[attr-defined]
