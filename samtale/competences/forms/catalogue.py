"""Forms of the catalogues: a competence, a job profile's expected levels, a course and a
session. They validate what a person typed; the services hold the rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samtale.competences.models import Competence, Course, CourseSession, JobProfile, Scale
from samtale.lib.widgets import DateInput, TimeInput
from samtale.org.models import Unit


class CompetenceForm(forms.ModelForm[Competence]):
    class Meta:
        model = Competence
        fields = ["code", "name", "group", "description", "scale", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "group": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scale"].queryset = Scale.objects.order_by("id")  # type: ignore[attr-defined]
        self.fields["scale"].empty_label = None  # type: ignore[attr-defined]


class ProfileForm(forms.ModelForm[JobProfile]):
    """The unit by its code, as HR knows it (a list of every unit would grow with the organisation)."""

    unit_code = forms.CharField(
        label=_("Unit code"),
        max_length=50,
        required=False,
        help_text=_("For everyone in this unit and the units below it, unless their job title has a profile."),
    )

    class Meta:
        model = JobProfile
        fields = ["name", "job_title"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.unit_id:
            self.initial["unit_code"] = self.instance.unit.code  # type: ignore[union-attr]

    def clean_unit_code(self) -> str:
        code = self.cleaned_data["unit_code"].strip()
        self.instance.unit = Unit.objects.filter(code=code).first() if code else None
        if code and self.instance.unit is None:
            raise forms.ValidationError(_("No unit has this code."))
        return code


class CourseForm(forms.ModelForm[Course]):
    class Meta:
        model = Course
        fields = ["code", "title", "provider_kind", "provider", "description", "competences", "price", "active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "provider_kind": forms.RadioSelect,
            "competences": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competences"].queryset = Competence.objects.active()  # type: ignore[attr-defined]


class SessionForm(forms.ModelForm[CourseSession]):
    class Meta:
        model = CourseSession
        fields = [
            "starts_on",
            "ends_on",
            "start_time",
            "end_time",
            "place",
            "online",
            "seats",
            "registration_deadline",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "registration_deadline": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
        }
        help_texts = {
            "place": _("The address or room; leave empty for an online session."),
            "seats": _("How many can take part."),
        }


class ScaleForm(forms.Form):
    """A scale's name and its levels, one row per level (2 to 10): the value is the row's number."""

    name = forms.CharField(label=_("Name of the scale"), max_length=100)

    def __init__(self, *args: Any, rows: int = 10, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for value in range(1, rows + 1):
            self.fields[f"level_{value}_name"] = forms.CharField(
                label=_("Level %(value)d: name") % {"value": value}, max_length=100, required=False
            )
            self.fields[f"level_{value}_description"] = forms.CharField(
                label=_("Level %(value)d: description") % {"value": value},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def levels(self) -> dict[int, tuple[str, str]]:
        """The levels given (a name or a description), by value."""
        found = {}
        for value in range(1, self.rows + 1):
            name = self.cleaned_data.get(f"level_{value}_name", "").strip()
            description = self.cleaned_data.get(f"level_{value}_description", "").strip()
            if name or description:
                found[value] = (name, description)
        return found


class ExpectedLevelsForm(forms.Form):
    """A job profile's expected level per competence (none: not expected)."""

    def __init__(self, *args: Any, competences: list[Competence], levels: dict[int, list[int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competences = competences
        for competence in competences:
            choices = [("", _("Not expected"))] + [(str(v), str(v)) for v in levels.get(competence.scale_id, [])]
            self.fields[f"expected_{competence.pk}"] = forms.TypedChoiceField(
                label=competence.name, choices=choices, required=False, coerce=int, empty_value=None
            )

    def expected(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"expected_{c.pk}") for c in self.competences}
