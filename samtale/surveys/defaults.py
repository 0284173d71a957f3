"""The questions a new survey starts with (docs/domain.md § Evaluations): HR edits them before
opening it. They are written in the language of the HR person who creates the survey (Danish first)
and kept as data.

In the evaluation of a round, the questions about the conversation itself are put only to those
whose conversation has been held; the closing free text is for everyone."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from samtale.surveys.models import QuestionKind, SurveyKind

EVALUATION = [
    (QuestionKind.SCALE, _("How useful was your development conversation for you?"), True),
    (QuestionKind.SCALE, _("How well was the conversation prepared, by you and by your leader?"), True),
    (QuestionKind.SCALE, _("How far did the conversation start from your good experiences at work?"), True),
    (QuestionKind.YES_NO, _("Did you and your leader agree on concrete development goals?"), True),
    (QuestionKind.YES_NO, _("Do you have a development plan signed by you and your leader?"), True),
    (QuestionKind.TEXT, _("Is there anything else you want to tell us about this round of conversations?"), False),
]

LEADER_360 = [
    (QuestionKind.SCALE, _("The leader gives clear direction and goals for the work."), False),
    (QuestionKind.SCALE, _("The leader listens and involves the team in decisions."), False),
    (QuestionKind.SCALE, _("The leader gives useful feedback and recognises good work."), False),
    (QuestionKind.SCALE, _("The leader supports the development of each employee."), False),
    (QuestionKind.SCALE, _("The leader deals with conflicts and difficult matters in good time."), False),
    (QuestionKind.SCALE, _("The leader is available when needed."), False),
    (QuestionKind.TEXT, _("What should the leader keep doing, and what could they do differently?"), False),
]


def default_questions(kind: str, *, language: str) -> list[tuple[str, str, bool]]:
    """The default questions of a kind of survey, as (kind of answer, text in ``language``, only
    if the conversation was held)."""
    questions = LEADER_360 if kind == SurveyKind.LEADER_360 else EVALUATION
    with override(language):
        return [(question_kind, str(text), about) for question_kind, text, about in questions]
