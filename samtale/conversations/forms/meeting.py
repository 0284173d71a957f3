"""Forms for the preparation, the minutes, the open items and the outcome. They validate and
normalise; the rules that need the database (the round's dates, who may do what) are checked
again in ``samtale.conversations.services.meeting``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samtale.conversations.models import NotHeldReason
from samtale.rounds.models import ConceptPhase, PreparationQuestion

ANSWER_MAX = 5000
NOTE_MAX = 5000


class TextField(forms.CharField):
    """Text from a textarea, with the browser's CRLF line breaks made plain newlines, so that
    the same text typed twice compares equal (the minutes' conflict check depends on it)."""

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _textarea(rows: int = 4, **attrs: str) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": str(rows), **attrs})


class EmployeePreparationForm(forms.Form):
    """One field per question of the concept's preparation form (employee or leader), with the
    question's help text. Every answer is optional: a preparation is written bit by bit."""

    def __init__(self, *args: Any, questions: Iterable[PreparationQuestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_keys: list[str] = []
        for question in questions:
            self.fields[f"q_{question.key}"] = TextField(
                label=question.text,
                help_text=question.help,
                required=False,
                max_length=ANSWER_MAX,
                widget=_textarea(),
            )
            self.question_keys.append(question.key)

    @classmethod
    def initial_from(cls, answers: dict[str, str]) -> dict[str, str]:
        return {f"q_{key}": text for key, text in answers.items()}

    def answers(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"q_{key}", "") for key in self.question_keys}


class LeaderPreparationForm(EmployeePreparationForm):
    must_improve = TextField(
        label=_("What must improve, if anything"),
        help_text=_(
            "Only if you judge that performance or behaviour is not acceptable. The employee must be told "
            "before the conversation: give a notice on the conversation's page."
        ),
        required=False,
        max_length=ANSWER_MAX,
        widget=_textarea(),
    )


class ShareForm(forms.Form):
    LEADER, UNION_REP = "leader", "union_rep"
    recipient = forms.ChoiceField(choices=[(LEADER, LEADER), (UNION_REP, UNION_REP)])
    share = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")


MINUTES_FORM_ID = "minutes"


class MinutesForm(forms.Form):
    """The notes of every phase in one form. ``version`` is the version the writer started from;
    ``base_<phase>`` the text they started from, so that after a conflict a phase they did not
    touch takes the newer text instead of silently putting the old one back."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput(attrs={"form": MINUTES_FORM_ID}))

    def __init__(self, *args: Any, phases: Iterable[ConceptPhase], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.phase_keys: list[str] = []
        for phase in phases:
            self.fields[f"notes_{phase.key}"] = TextField(
                label=gettext("Notes on “%(phase)s”") % {"phase": phase.heading},
                required=False,
                max_length=NOTE_MAX,
                widget=_textarea(5, form=MINUTES_FORM_ID),
            )
            self.fields[f"base_{phase.key}"] = TextField(
                required=False, strip=True, widget=forms.HiddenInput(attrs={"form": MINUTES_FORM_ID})
            )
            self.phase_keys.append(phase.key)

    @classmethod
    def initial_from(cls, notes: dict[str, str], version: int) -> dict[str, Any]:
        initial: dict[str, Any] = {"version": version}
        for key, text in notes.items():
            initial[f"notes_{key}"] = text
            initial[f"base_{key}"] = text
        return initial

    def notes(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"notes_{key}", "") for key in self.phase_keys}

    def bases(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"base_{key}", "") for key in self.phase_keys}


def _not_in_the_past(value: date) -> None:
    if value < timezone.localdate():
        raise forms.ValidationError(_("The date has passed. Choose today or a later date."))


class OpenItemForm(forms.Form):
    text = TextField(label=_("What must be clarified"), max_length=2000, widget=_textarea(2))
    responsible = forms.CharField(
        label=_("Who answers"), max_length=200, required=False, help_text=_("For example: the leader.")
    )
    deadline = forms.DateField(
        label=_("Answer by"), widget=forms.DateInput(attrs={"type": "date"}), validators=[_not_in_the_past]
    )


class OpenItemAnswerForm(forms.Form):
    answer = TextField(label=_("Answer"), max_length=2000, required=False, widget=_textarea(2))


class OutcomeForm(forms.Form):
    """Held on a day, or not held with a reason. The page offers the two answers as two forms,
    each with its own fields and its own button (``outcome`` is the button's value), so that
    every browser sends only the fields of the answer chosen; a post that mixes them is refused."""

    HELD, NOT_HELD = "held", "not_held"
    outcome = forms.ChoiceField(
        label=_("Was the conversation held?"),
        widget=forms.HiddenInput,
        choices=[(HELD, _("Yes, it was held")), (NOT_HELD, _("No, it will not be held"))],
    )
    held_on = forms.DateField(
        label=_("Held on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.ChoiceField(
        label=_("Why not"), required=False, choices=[("", "–"), *NotHeldReason.choices], widget=forms.Select
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        help_text=_("Needed for another reason. Write no details of health or private life."),
    )

    def __init__(self, *args: Any, opens_on: date, booked_on: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opens_on = opens_on
        if booked_on is not None:
            self.fields["held_on"].help_text = gettext(
                "It was booked for %(date)s. Held on another day, the booked time moves to that day and everyone"
                " invited gets the change in their calendar."
            ) % {"date": formats.date_format(booked_on, "DATE_FORMAT")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == self.HELD:
            if data.get("reason") or data.get("note", "").strip():
                raise forms.ValidationError(
                    _("A conversation that was held has no reason why not. Send only the date it was held."),
                    code="mixed",
                )
            held_on = data.get("held_on")
            if held_on is None:
                self.add_error("held_on", _("Give the date the conversation was held."))
            elif held_on > timezone.localdate():
                self.add_error("held_on", _("The date is in the future. A conversation is marked held after it."))
            elif held_on < self.opens_on:
                self.add_error("held_on", _("The date is before the round opened."))
        elif data.get("outcome") == self.NOT_HELD:
            if data.get("held_on") is not None:
                raise forms.ValidationError(
                    _("A conversation that will not be held has no date it was held. Send only the reason."),
                    code="mixed",
                )
            reason = data.get("reason")
            if not reason:
                self.add_error("reason", _("Choose why the conversation will not be held."))
            elif reason == NotHeldReason.OTHER and not data.get("note", "").strip():
                self.add_error("note", _("Write a short note about the reason."))
        return data
