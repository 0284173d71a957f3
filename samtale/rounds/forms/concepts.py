"""The forms HR edits a concept with: the concept itself, and three formsets (its phases, the
employee's and the leader's preparation questions). Rows are added by a submit button that sends
the page back with one more empty row, removed by a tick and reordered by a number, so all of it
works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samtale.rounds.models import Concept, ConversationKind, PreparationForm
from samtale.rounds.services import concepts
from samtale.rounds.services.concepts import ConceptInput, PhaseInput, QuestionInput

PHASES, EMPLOYEE, LEADER = "phases", "employee", "leader"


class ConceptForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=concepts.NAME_MAX)
    kind = forms.ChoiceField(label=_("Kind of conversation"), choices=ConversationKind.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=concepts.LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the participants: what the conversation is, and what it is not."),
    )
    plan_due_days = forms.IntegerField(
        label=_("Days to hand in the plan"),
        min_value=concepts.PLAN_DUE_DAYS[0],
        max_value=concepts.PLAN_DUE_DAYS[1],
        help_text=_("The development plan is due this many days after the conversation (1–90)."),
    )
    follow_up_within_months = forms.IntegerField(
        label=_("Months to the follow-up"),
        min_value=concepts.FOLLOW_UP_MONTHS[0],
        max_value=concepts.FOLLOW_UP_MONTHS[1],
        help_text=_("The follow-up conversation is held at most this many months after the conversation (1–24)."),
    )
    # What the concept said when the form was opened: a save over someone else's is refused.
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    @classmethod
    def for_concept(cls, concept: Concept, data: QueryDict | None = None) -> ConceptForm:
        return cls(
            data,
            initial={
                "name": concept.name,
                "kind": concept.kind,
                "description": concept.description,
                "plan_due_days": concept.plan_due_days,
                "follow_up_within_months": concept.follow_up_within_months,
                "fingerprint": concepts.concept_fingerprint(concept),
            },
        )


class CopyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the copy"),
        max_length=concepts.NAME_MAX,
        help_text=_("For example the name of your organisation's own concept."),
    )


class PhaseForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=concepts.KEY_MAX)
    heading = forms.CharField(label=_("Heading"), max_length=concepts.HEADING_MAX)
    guidance = forms.CharField(
        label=_("Guidance"),
        required=False,
        max_length=concepts.LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the phase is held, for the leader and the employee."),
    )
    questions = forms.CharField(
        label=_("Inspiration questions"),
        required=False,
        max_length=concepts.LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One question per line."),
    )


class QuestionForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=concepts.KEY_MAX)
    text = forms.CharField(label=_("Question"), max_length=concepts.QUESTION_MAX)
    help = forms.CharField(
        label=_("Help"),
        required=False,
        max_length=concepts.HELP_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown under the question, e.g. an example."),
    )


class _RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Rows with a remove tick and a place number, labelled for a screen reader."""

    remove_label: Any = _("Remove")

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields[ORDERING_FIELD_NAME].label = pgettext_lazy("position in a list", "Place")
        form.fields[ORDERING_FIELD_NAME].help_text = _("Change the numbers to change the order.")
        form.fields[DELETION_FIELD_NAME].label = self.remove_label

    def kept_count(self) -> int:
        """How many rows stay (usable while cleaning): not removed, and not a new row left empty."""
        return len(
            [
                form
                for index, form in enumerate(self.forms)
                if not getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME)
                and (index < self.initial_form_count() or form.has_changed())
            ]
        )


def kept(formset: forms.BaseFormSet) -> list[forms.Form]:  # type: ignore[type-arg]
    """The rows that stay, in their new order (after ``is_valid``): not removed, not left empty."""
    return list(formset.ordered_forms)


class PhaseFormSet(_RowFormSet):
    remove_label = _("Remove this phase")
    default_error_messages = {"too_many_forms": _("A concept can have at most %(num)d phases.")}

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.kept_count():
            raise forms.ValidationError(_("A concept needs at least one phase."))


class QuestionFormSet(_RowFormSet):
    remove_label = _("Remove this question")
    default_error_messages = {"too_many_forms": _("A preparation form can have at most %(num)d questions.")}


PhaseFormSetClass = forms.formset_factory(
    PhaseForm,
    formset=PhaseFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=concepts.PHASES_MAX,
    validate_max=True,
)
QuestionFormSetClass = forms.formset_factory(
    QuestionForm,
    formset=QuestionFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=concepts.QUESTIONS_MAX,
    validate_max=True,
)


class ConceptEditor:
    """The concept form and its three formsets, bound or not, as one thing the view handles."""

    def __init__(self, concept: Concept, data: QueryDict | None = None) -> None:
        questions = list(concept.questions.all())
        self.form = ConceptForm.for_concept(concept, data)
        self.phases = PhaseFormSetClass(
            data,
            prefix=PHASES,
            initial=[
                {"key": p.key, "heading": p.heading, "guidance": p.guidance, "questions": p.questions}
                for p in concept.phases.all()
            ],
        )
        self.employee = QuestionFormSetClass(
            data,
            prefix=EMPLOYEE,
            initial=[
                {"key": q.key, "text": q.text, "help": q.help} for q in questions if q.form == PreparationForm.EMPLOYEE
            ],
        )
        self.leader = QuestionFormSetClass(
            data,
            prefix=LEADER,
            initial=[
                {"key": q.key, "text": q.text, "help": q.help} for q in questions if q.form == PreparationForm.LEADER
            ],
        )

    @property
    def formsets(self) -> dict[str, forms.BaseFormSet]:  # type: ignore[type-arg]
        return {PHASES: self.phases, EMPLOYEE: self.employee, LEADER: self.leader}

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), *(formset.is_valid() for formset in self.formsets.values())])

    @property
    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(
            formset.non_form_errors() or any(formset.errors) for formset in self.formsets.values()
        )

    def to_input(self) -> ConceptInput:
        data = self.form.cleaned_data
        return ConceptInput(
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            plan_due_days=data["plan_due_days"],
            follow_up_within_months=data["follow_up_within_months"],
            phases=[
                PhaseInput(
                    heading=f.cleaned_data["heading"],
                    guidance=f.cleaned_data["guidance"],
                    questions=f.cleaned_data["questions"],
                    key=f.cleaned_data["key"],
                )
                for f in kept(self.phases)
            ],
            employee_questions=[_question(f) for f in kept(self.employee)],
            leader_questions=[_question(f) for f in kept(self.leader)],
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Errors the service found, shown where they belong."""
        for field, messages in errors.items():
            if field in self.form.fields:
                for message in messages:
                    self.form.add_error(field, message)
            elif field == "phases":
                self.phases.non_form_errors().extend(messages)
            elif field == "employee_questions":
                self.employee.non_form_errors().extend(messages)
            elif field == "leader_questions":
                self.leader.non_form_errors().extend(messages)
            else:
                for message in messages:
                    self.form.add_error(None, message)


def _question(form: forms.Form) -> QuestionInput:
    return QuestionInput(text=form.cleaned_data["text"], help=form.cleaned_data["help"], key=form.cleaned_data["key"])


def with_one_more_row(data: QueryDict, prefix: str) -> QueryDict:
    """The submitted data with one more (empty) row in the formset ``prefix``: the "add" buttons."""
    data = data.copy()
    field = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(field, "0"))
    except ValueError:
        total = 0
    data[field] = str(max(total, 0) + 1)
    return data
