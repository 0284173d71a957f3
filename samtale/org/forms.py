from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samtale.access.viewer import Coverage
from samtale.org import selectors
from samtale.org.importing.reader import ImportFileError, check_size
from samtale.org.models import Person, RoleKind, Unit


class _ScopedForm(forms.Form):
    """A form that names people and units by number and code, found only inside the part of the
    organisation the HR user covers: a number outside it is "unknown", exactly as a number that
    does not exist, so the form cannot be used to learn who works elsewhere."""

    def __init__(self, *args: Any, coverage: Coverage | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.coverage = coverage

    def person(self, number: str) -> Person:
        person = selectors.person_by_number(number=number, coverage=self.coverage)
        if person is None:
            raise forms.ValidationError(_("No current employee has the number %(number)s.") % {"number": number})
        return person

    def unit(self, code: str) -> Unit:
        unit = selectors.unit_by_code(code=code, coverage=self.coverage)
        if unit is None:
            raise forms.ValidationError(_("No unit has the code %(code)s.") % {"code": code})
        return unit


class PlacementForm(_ScopedForm):
    """Move a person or change their leaders by hand. People and units are named by their
    numbers and codes, as in the HR system: a list of 50,000 names is no help to anyone."""

    unit_code = forms.CharField(label=_("Unit code"), max_length=50)
    personnel_leader_number = forms.CharField(
        label=_("Personnel leader's employee number"),
        max_length=50,
        required=False,
        help_text=_("Leave empty for nobody."),
    )
    daily_leader_number = forms.CharField(
        label=_("Daily leader's employee number"),
        max_length=50,
        required=False,
        help_text=_("Leave empty for nobody."),
    )

    def clean_unit_code(self) -> Unit:
        return self.unit(self.cleaned_data["unit_code"].strip())

    def clean_personnel_leader_number(self) -> Person | None:
        number = self.cleaned_data["personnel_leader_number"].strip()
        return self.person(number) if number else None

    def clean_daily_leader_number(self) -> Person | None:
        number = self.cleaned_data["daily_leader_number"].strip()
        return self.person(number) if number else None


class EligibilityForm(forms.Form):
    FOLLOW, INCLUDE, EXCLUDE = "follow", "include", "exclude"
    choice = forms.ChoiceField(
        label=_("Takes part in MUS"),
        widget=forms.RadioSelect,
        choices=[
            (FOLLOW, _("As the employment type says")),
            (INCLUDE, _("Always, whatever the employment type")),
            (EXCLUDE, _("Never, whatever the employment type")),
        ],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Required when you override the employment type. The person, their leaders and HR can see it."),
    )

    @classmethod
    def for_person(cls, person: Person, data: Any = None) -> EligibilityForm:
        choice = {None: cls.FOLLOW, True: cls.INCLUDE, False: cls.EXCLUDE}[person.eligibility_override]
        return cls(data, initial={"choice": choice, "reason": person.eligibility_override_reason})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["override"] = {self.FOLLOW: None, self.INCLUDE: True, self.EXCLUDE: False}.get(data.get("choice", ""))
        if data["override"] is not None and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the override."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File from the HR system"),
        help_text=_("CSV (comma or semicolon separated) or Excel (.xlsx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,text/csv"}),
    )
    send_invitations = forms.BooleanField(
        label=_("E-mail an invitation to each new person, so they can choose a password"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)  # before the file is read into memory
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload


class UnitLeaderForm(_ScopedForm):
    leader_number = forms.CharField(
        label=_("Leader's employee number"), max_length=50, required=False, help_text=_("Leave empty for nobody.")
    )

    def clean_leader_number(self) -> Person | None:
        number = (self.cleaned_data.get("leader_number") or "").strip()
        return self.person(number) if number else None


class RoleForm(_ScopedForm):
    employee_number = forms.CharField(label=_("Employee number"), max_length=50)
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    unit_codes = forms.CharField(
        label=_("Units covered"),
        required=False,
        max_length=2000,
        help_text=_("Unit codes separated by commas; each covers everything below it. Empty: the whole organisation."),
    )
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=200,
        help_text=_("Shown to employees next to the contact person, e.g. “Region Syd”."),
    )

    def clean_employee_number(self) -> Person:
        return self.person(self.cleaned_data["employee_number"].strip())

    def clean_unit_codes(self) -> list[Unit]:
        codes = [code.strip() for code in self.cleaned_data.get("unit_codes", "").split(",") if code.strip()]
        units: list[Unit] = []
        missing: list[str] = []
        for code in codes:
            unit = selectors.unit_by_code(code=code, coverage=self.coverage)
            if unit is None:
                missing.append(code)
            else:
                units.append(unit)
        if missing:
            raise forms.ValidationError(_("No unit has the code %(codes)s.") % {"codes": ", ".join(missing)})
        return units


class UnitCodeInput(forms.TextInput):
    """A unit's code, found by typing part of its name or code at any depth: htmx fills the page's
    ``<datalist id="unit-options">`` with the matching units (``org:unit_options``). Without
    JavaScript the code is typed."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "list": "unit-options",
                "autocomplete": "off",
                "hx-get": reverse_lazy("org:unit_options"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#unit-options",
                "hx-swap": "innerHTML",
                **(attrs or {}),
            }
        )


class PeopleSearchForm(forms.Form):
    """HR's people list: a search, and filters by unit (with the units below), the personnel
    leader's name, a role and a state; ``sort`` is a column, ``-`` first for descending."""

    q = forms.CharField(
        label=_("Name, employee number or e-mail"), required=False, max_length=200, widget=forms.SearchInput
    )
    unit = forms.CharField(
        label=_("Unit (and the units below it)"),
        required=False,
        max_length=40,
        help_text=_("Its code; start typing a name to choose."),
        widget=UnitCodeInput(),
    )
    leader = forms.CharField(label=_("Personnel leader"), required=False, max_length=200)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Any")), ("leader", _("Leader (of a unit or of people)")), *RoleKind.choices],
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("employed", _("Employed")),
            ("not_signed_in", _("Employed, has not chosen a password yet")),
            ("ended", _("Employment ended")),
        ],
    )
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
