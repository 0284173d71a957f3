"""Forms of the catalogues: a competence, a job profile's expected levels, a course and a
session. They validate what a person typed; the services hold the rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from samtale.competences.models import Competence, Course, CourseSession, JobProfile, Scale
from samtale.lib.widgets import DateInput, TimeInput


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
    class Meta:
        model = JobProfile
        fields = ["name", "job_title", "unit"]


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
