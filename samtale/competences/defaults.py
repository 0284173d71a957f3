"""What the competence catalogue ships with: the default level scale, 1 to 6 with a description
per level, as the folder's *Kompetenceregnskab* ("om dine kompetencer svarer til 5 eller 6",
docs/domain.md § Competences and courses). It is translated by its key, so each user reads it in
their language; HR may write its own names and descriptions over it, or make other scales."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from samtale.competences.models import Scale, ScaleLevel

DEFAULT_SCALE_KEY = "default"
DEFAULT_SCALE_NAME = _("Levels 1–6 (Kompetenceregnskab)")

DEFAULT_LEVELS = {
    1: (
        pgettext_lazy("competence level", "Beginner"),
        _("Knows the area; solves simple tasks with guidance."),
    ),
    2: (
        pgettext_lazy("competence level", "Some experience"),
        _("Solves routine tasks with some guidance."),
    ),
    3: (
        pgettext_lazy("competence level", "Experienced"),
        _("Solves the usual tasks of the area on their own."),
    ),
    4: (
        pgettext_lazy("competence level", "Very experienced"),
        _("Solves complex tasks on their own and helps colleagues."),
    ),
    5: (
        pgettext_lazy("competence level", "Specialist"),
        _("Has deep knowledge of the area; guides and trains others."),
    ),
    6: (
        pgettext_lazy("competence level", "Expert"),
        _("Is an authority in the area and develops its methods and practice in the organisation."),
    ),
}


def default_level_text(level: ScaleLevel, part: str) -> str:
    """The translated name or description of a level of the default scale ("" on other scales).
    ``level.scale`` is read, so select it with the level."""
    if level.scale.key != DEFAULT_SCALE_KEY or level.value not in DEFAULT_LEVELS:
        return ""
    name, description = DEFAULT_LEVELS[level.value]
    return str(name if part == "name" else description)


def default_scale() -> Scale:
    """The default scale, made the first time it is asked for (migration 0002 makes it too)."""
    from samtale.competences.models import Scale, ScaleLevel

    scale, created = Scale.objects.get_or_create(key=DEFAULT_SCALE_KEY)
    if created:
        ScaleLevel.objects.bulk_create([ScaleLevel(scale=scale, value=value) for value in DEFAULT_LEVELS])
    return scale
