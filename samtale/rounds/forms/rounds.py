"""The round's forms: they validate and normalise; the rules that hold whoever calls are in the
services."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.lib.widgets import DateInput
from samtale.org.forms import UnitCodeInput
from samtale.org.models import Unit
from samtale.rounds.models import Concept, Round
from samtale.rounds.selectors.rounds import top_units

TEXT_LIMIT = 2000


def default_dates(today: date | None = None) -> tuple[date, date]:
    """The source organisation's timeline (docs/domain.md § Default timeline): the round opens on
    15 October and the conversations are held by the end of the first quarter after it."""
    today = today or timezone.localdate()
    opens_on = date(today.year, 10, 15)
    if opens_on < today:
        opens_on = date(today.year + 1, 10, 15)
    return opens_on, date(opens_on.year + 1, 3, 31)


class TopUnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        # The units of the second level are shown under the top one.
        prefix = "– " * obj.depth
        return f"{prefix}{obj.name} ({obj.code})"


class RoundForm(forms.Form):
    """HR creates or changes a round. With thousands of units, the top levels are checkboxes and
    any unit further down is given by its code."""

    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("For example MUS-2027."))
    concept = forms.ModelChoiceField(label=_("Concept"), queryset=Concept.objects.none(), empty_label=None)
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    held_by = forms.DateField(
        label=_("Conversations held by"),
        widget=DateInput(),
        help_text=_("The date by which every conversation of the round must be held."),
    )
    units = TopUnitsField(
        label=_("Units taking part"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each unit takes part with every unit below it."),
    )
    unit_codes = forms.CharField(
        label=_("More units, by their codes"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Unit codes separated by commas, spaces or new lines, for units further down."),
    )
    # Any unit at any depth, found by typing part of its name: choosing one adds its code to the
    # codes above (samtale.js). Not read by the form: without JavaScript the codes are typed.
    find_unit = forms.CharField(
        label=_("Find a unit"),
        required=False,
        max_length=200,
        help_text=_("Type part of a name, choose the unit, and its code is added to the codes above."),
        widget=UnitCodeInput(attrs={"data-adds-code-to": "id_unit_codes"}),
    )

    def __init__(self, *args: Any, round_: Round | None = None, **kwargs: Any) -> None:
        self.round = round_
        super().__init__(*args, **kwargs)
        concepts = Concept.objects.filter(is_current=True).order_by("name")
        if round_ is not None:
            # A draft may keep the version it was created with, even if the concept has moved on.
            concepts = Concept.objects.filter(pk=round_.concept_id) | concepts
        self.fields["concept"].queryset = concepts  # type: ignore[attr-defined]
        self.fields["units"].queryset = top_units()  # type: ignore[attr-defined]

    @classmethod
    def for_round(cls, round_: Round, data: Any = None) -> RoundForm:
        units = list(round_.units.all())
        top = set(top_units().values_list("pk", flat=True))
        return cls(
            data,
            round_=round_,
            initial={
                "name": round_.name,
                "concept": round_.concept_id,
                "opens_on": round_.opens_on,
                "held_by": round_.held_by,
                "units": [unit.pk for unit in units if unit.pk in top],
                "unit_codes": " ".join(unit.code for unit in units if unit.pk not in top),
            },
        )

    @classmethod
    def new(cls, data: Any = None) -> RoundForm:
        opens_on, held_by = default_dates()
        concept = Concept.objects.filter(is_current=True).order_by("name").first()
        return cls(
            data,
            initial={
                "name": f"MUS-{held_by.year}",
                "concept": concept.pk if concept else None,
                "opens_on": opens_on,
                "held_by": held_by,
            },
        )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_opens_on(self) -> date:
        opens_on: date = self.cleaned_data["opens_on"]
        unchanged = self.round is not None and opens_on == self.round.opens_on
        if opens_on < timezone.localdate() and not unchanged:
            raise forms.ValidationError(_("The round cannot open in the past."))
        return opens_on

    def clean_held_by(self) -> date:
        held_by: date = self.cleaned_data["held_by"]
        if held_by < timezone.localdate():
            raise forms.ValidationError(_("This date has passed."))
        return held_by

    def clean_unit_codes(self) -> list[Unit]:
        codes = list(
            dict.fromkeys(code for code in re.split(r"[\s,;]+", self.cleaned_data.get("unit_codes", "")) if code)
        )
        if len(codes) > 500:
            raise forms.ValidationError(_("Give at most 500 unit codes; choose a unit higher up instead."))
        found = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(_("No unit has the code %(codes)s.") % {"codes": ", ".join(missing)})
        return [found[code] for code in codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens_on, held_by = data.get("opens_on"), data.get("held_by")
        if opens_on and held_by and held_by < opens_on:
            self.add_error("held_by", _("The conversations cannot be due before the round opens."))
        if "units" in data and "unit_codes" in data:
            data["all_units"] = [*data["units"], *data["unit_codes"]]
            if not data["all_units"]:
                self.add_error("units", _("Choose at least one unit."))
        return data


class LaunchForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the participants, and the round may be launched"),
        error_messages={"required": _("Confirm that the round may be launched.")},
    )


class ParticipantsFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Everyone")), ("in", _("Taking part")), ("out", _("Not taking part"))],
    )
    unit = forms.CharField(
        label=_("Unit (and the units below it)"),
        required=False,
        max_length=40,
        widget=UnitCodeInput(),
    )
    sort = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)


class TextForm(forms.Form):
    """One text of at most 2,000 characters: a goal, a focus area, a proposed topic."""

    text = forms.CharField(
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write something first."),
            "max_length": _("Keep it to %(limit_value)d characters; this is %(show_value)d."),
        },
    )

    def __init__(self, *args: Any, label: Any = None, help_text: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["text"].label = label
        self.fields["text"].help_text = help_text


def goal_form(*args: Any, **kwargs: Any) -> TextForm:
    return TextForm(
        *args,
        label=_("Goal"),
        help_text=_(
            "The direction the management sets for the round; each leader turns it into focus areas for their "
            "unit. For example: employees contribute ambitious and realistic proposals for process improvement."
        ),
        **kwargs,
    )


def focus_area_form(*args: Any, **kwargs: Any) -> TextForm:
    return TextForm(
        *args,
        label=_("Focus area"),
        help_text=_(
            "A topic for the unit's conversations, such as task development, working conditions, competence "
            "development or knowledge sharing. When much is undecided (budget, strategy), start from the "
            "organisation's overall challenges."
        ),
        **kwargs,
    )


def proposal_form(*args: Any, **kwargs: Any) -> TextForm:
    return TextForm(
        *args,
        label=_("Your proposed topic"),
        help_text=_("A topic you would like the unit's conversations to take up. Your leader answers it."),
        **kwargs,
    )


class IntroductionForm(forms.Form):
    introduction = forms.CharField(
        label=_("What the goals mean for the unit"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In your own words: what the round's goals mean for the unit's work this year."),
        error_messages={"max_length": _("Keep it to %(limit_value)d characters; this is %(show_value)d.")},
    )


class AnswerForm(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"
    decision = forms.ChoiceField(
        label=_("Answer"),
        widget=forms.RadioSelect,
        choices=[(ACCEPT, _("Accept the topic")), (DECLINE, _("Decline the topic"))],
        error_messages={"required": _("Choose whether to accept or decline the topic.")},
    )
    answer = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A word of why. Required when you decline; the proposer reads it."),
        error_messages={"max_length": _("Keep it to %(limit_value)d characters; this is %(show_value)d.")},
    )
    add_as_focus_area = forms.BooleanField(
        label=_("Also add the topic to the unit's focus areas (everyone in the unit sees them)"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.DECLINE and not (data.get("answer") or "").strip():
            self.add_error("answer", _("Say in a few words why the topic is declined."))
        if data.get("decision") == self.DECLINE:
            data["add_as_focus_area"] = False
        return data


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
