"""The drill-down's filter and sort, from GET parameters (the page works without JavaScript)."""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samtale.oversight.selectors.drill_down import SORTS

STEP_CHOICES = [
    ("", _("Every state")),
    ("invited", _("To be scheduled")),
    ("scheduled", _("Scheduled")),
    ("not_held", _("Not held")),
    ("held", _("Held, no plan handed in")),
    ("plan_submitted", _("Plan handed in")),
    ("plan_signed", _("Plan signed")),
    ("follow_up_held", _("Follow-up held")),
]
SORT_CHOICES = [("name", _("Name")), ("state", _("State")), ("date", _("Latest date"))]
assert [key for key, _label in SORT_CHOICES] == list(SORTS)


class PeopleFilterForm(forms.Form):
    step = forms.ChoiceField(label=_("State"), choices=STEP_CHOICES, required=False)
    overdue = forms.BooleanField(label=_("Only those late"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def render(self, template_name=None, context=None, renderer=None):  # type: ignore[no-untyped-def]
        """The form as HTML. Its choices are fixed, so the same values in the same language are the
        same HTML: written once (rendering its three fields through their templates was a
        tenth of the drill-down's time)."""
        if template_name or context or renderer or not isinstance(self.data, MultiValueDict):
            return super().render(template_name, context, renderer)
        values = tuple((name, tuple(self.data.getlist(name))) for name in self.fields) if self.is_bound else None
        return _form_html(get_language(), values)

    __str__ = render  # Django's mixin binds its own render to these
    __html__ = render

    def values(self) -> dict[str, object]:
        """The filter to apply: the defaults when a parameter is missing or wrong."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "step": data.get("step") or "",
            "overdue": bool(data.get("overdue")),
            "sort": data.get("sort") or "name",
        }


@lru_cache(maxsize=256)
def _form_html(_language: str | None, values: tuple[tuple[str, tuple[str, ...]], ...] | None) -> SafeString:
    """``PeopleFilterForm`` rendered, unbound or bound to ``values`` (each field's values as the
    request gave them), in the active language."""
    data = MultiValueDict({name: list(given) for name, given in values}) if values is not None else None
    form = PeopleFilterForm(data)
    return SafeString(forms.Form.render(form))
