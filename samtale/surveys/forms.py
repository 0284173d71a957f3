"""Forms of the surveys: HR's settings and questions, and the questionnaire itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtale.lib.widgets import DateInput
from samtale.rounds.models import Round
from samtale.surveys.models import DEFAULT_THRESHOLD, MIN_THRESHOLD, Question, QuestionKind, SurveyKind

MAX_THRESHOLD = 50
TEXT_LIMIT = 2000

SCALE_CHOICES = [
    ("1", _("1 – Not at all")),
    ("2", _("2 – To a small degree")),
    ("3", _("3 – To some degree")),
    ("4", _("4 – To a high degree")),
    ("5", _("5 – To a very high degree")),
]
YES_NO_CHOICES = [("1", _("Yes")), ("0", _("No"))]


class RoundChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Round) -> str:
        return obj.name


class SettingsForm(forms.Form):
    closes_on = forms.DateField(
        label=_("Last day to answer"),
        widget=DateInput(),
        help_text=_("Answers are taken until the end of this day; the results are shown after it."),
    )
    threshold = forms.IntegerField(
        label=_("Fewest answers shown"),
        min_value=MIN_THRESHOLD,
        max_value=MAX_THRESHOLD,
        initial=DEFAULT_THRESHOLD,
        help_text=_(
            "A group's results are shown only when at least this many in it have answered, and never when they "
            "could be worked out from other groups. At least 3; 5 is recommended."
        ),
    )

    def clean_closes_on(self) -> Any:
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError(_("The last day to answer cannot be in the past."))
        return closes_on


class SurveyCreateForm(SettingsForm):
    round = RoundChoiceField(label=_("Round"), queryset=Round.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=SurveyKind.choices, widget=forms.RadioSelect)
    field_order = ["round", "kind", "closes_on", "threshold"]

    def __init__(self, *args: Any, rounds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds  # type: ignore[attr-defined]
        self.fields["closes_on"].initial = timezone.localdate() + timedelta(days=21)
        self.fields["kind"].initial = SurveyKind.EVALUATION


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    about_conversation = forms.BooleanField(
        label=_("Only for those whose conversation has been held"),
        required=False,
        help_text=_("Someone who answers that their conversation has not been held is not asked this question."),
    )

    def __init__(self, *args: Any, evaluation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not evaluation:  # a 360 asks nobody about a conversation
            del self.fields["about_conversation"]

    def row(self) -> tuple[str, str, bool]:
        data = self.cleaned_data
        return data["kind"], data.get("text", ""), bool(data.get("about_conversation"))


QuestionFormSet = forms.formset_factory(QuestionForm, extra=2, can_delete=True, max_num=40, validate_max=True)


def questions_initial(questions: list[Question]) -> list[dict[str, Any]]:
    return [{"kind": q.kind, "text": q.text, "about_conversation": q.about_conversation} for q in questions]


class AnswerForm(forms.Form):
    """The questionnaire: every rating question must be answered, free text is optional.

    The evaluation of a round asks first whether the person's conversation has been held; the
    questions about the conversation must then be answered only by those whose conversation has
    been held, and are left out for the others."""

    def __init__(self, *args: Any, questions: list[Question], round_name: str | None = None, **kwargs: Any) -> None:
        """``round_name``: the evaluation of that round, which asks whether the conversation was held
        (None in a 360)."""
        super().__init__(*args, **kwargs)
        self.asks_held = round_name is not None
        if self.asks_held:
            self.fields["held"] = forms.TypedChoiceField(
                label=_("Has your development conversation in %(round)s been held?") % {"round": round_name},
                choices=YES_NO_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("If it has not, you skip the questions about the conversation."),
                error_messages={"required": _("Choose an answer.")},
            )
        self.about_conversation = {q.pk for q in questions if self.asks_held and q.about_conversation}
        for question in questions:
            name = f"q{question.pk}"
            if question.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=question.text,
                    required=False,
                    max_length=TEXT_LIMIT,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    help_text=_("Optional. Do not write names: the text is shown to HR and leaders as you write it."),
                )
            else:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.text,
                    choices=SCALE_CHOICES if question.kind == QuestionKind.SCALE else YES_NO_CHOICES,
                    coerce=int,
                    empty_value=None,
                    # Required of everyone, or (checked in ``clean``) of those whose conversation was held.
                    required=question.pk not in self.about_conversation,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Choose an answer.")},
                )
        self.questions = questions

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.conversation_held():
            for question in self.questions:
                name = f"q{question.pk}"
                if (
                    question.pk in self.about_conversation
                    and question.kind != QuestionKind.TEXT
                    and cleaned.get(name) is None
                    and name not in self.errors
                ):
                    self.add_error(name, _("Choose an answer."))
        return cleaned

    def conversation_held(self) -> bool | None:
        """Whether the conversation has been held, in the evaluation of a round (None in a 360)."""
        held = self.cleaned_data.get("held")
        return None if held is None else bool(held)

    @property
    def held_field(self) -> forms.BoundField | None:
        return self["held"] if self.asks_held else None

    @property
    def conversation_fields(self) -> list[forms.BoundField]:
        """The questions about the conversation, left out for someone whose conversation was not held."""
        return [self[f"q{q.pk}"] for q in self.questions if q.pk in self.about_conversation]

    @property
    def other_fields(self) -> list[forms.BoundField]:
        return [self[f"q{q.pk}"] for q in self.questions if q.pk not in self.about_conversation]

    def values(self) -> dict[int, Any]:
        """The answers by question id, without those about a conversation that was not held."""
        held = self.conversation_held()
        return {
            q.pk: self.cleaned_data.get(f"q{q.pk}")
            for q in self.questions
            if held is not False or q.pk not in self.about_conversation
        }
