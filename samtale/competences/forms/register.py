"""Forms of a person's register: the employee's level with an example, the leader's assessment,
and the level both settled on. The choices are the competence's scale, each level with its
description; the services hold the rules again for every other caller."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samtale.competences.models import ScaleLevel
from samtale.competences.services.register import TEXT_LIMIT


def level_choices(levels: list[ScaleLevel]) -> list[tuple[int, Any]]:
    """Each level as "4 Very experienced — Solves complex tasks on their own …"."""
    return [
        (
            level.value,
            format_html(
                '<strong>{} {}</strong><span class="choice-hint">{}</span>', level.value, level.label, level.text
            ),
        )
        for level in levels
    ]


class _LevelForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a level on the scale."),
            "invalid_choice": _("Choose a level on the scale."),
        },
    )

    def __init__(self, *args: Any, levels: list[ScaleLevel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = level_choices(levels)  # type: ignore[attr-defined]


class OwnLevelForm(_LevelForm):
    example = forms.CharField(
        label=_("A short example"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A task or situation that shows the level. At most 1000 characters."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].label = _("Your level")


class AssessmentForm(_LevelForm):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: what you base the assessment on. The employee reads it."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].label = _("Your assessment")


class SettleForm(_LevelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].label = _("The level you agreed on")
