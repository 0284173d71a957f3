"""Running a service from a form: a rule the service refuses becomes the form's error."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError


def form_saved(form: forms.Form, save: Callable[[], object]) -> bool:
    """Run the service if the form is valid; a rule it refuses becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True
