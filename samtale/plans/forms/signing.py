"""Forms for asking for changes, signing and amending. They validate and normalise; who may do
what, and in which state, is checked again in ``samtale.plans.services.signing``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class _Text(forms.CharField):
    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n").strip()


class AskChangesForm(forms.Form):
    comment = _Text(
        label=_("What should be changed"),
        help_text=_("The employee reads this and changes the plan before handing it in again."),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": "5"}),
        error_messages={"required": _("Say what should be changed.")},
    )


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        help_text=_("Enter the password you sign in with, to show that it is you who signs."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to sign.")},
    )


class AmendForm(forms.Form):
    reason = _Text(
        label=_("Why the plan is amended"),
        help_text=_("The other side is told; the signed version stays as it is."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": "4"}),
        error_messages={"required": _("Say why the plan is amended.")},
    )
