"""HR adapts a concept's guidance (``samtale.rounds.guide``): the title and text of each topic, in
place (the guidance is help, not a record: every round using the concept reads the new text at
once). A text left as shipped, or emptied, is not stored, so later improvements of the shipped
text reach it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samtale.access.lookups import require_write
from samtale.access.round_policies import may_manage_concepts
from samtale.access.viewer import Viewer
from samtale.audit.services import audit_record
from samtale.rounds.guide import DEFAULT_TOPICS
from samtale.rounds.models import Concept

MAX_TITLE = 200
MAX_TEXT = 10_000


@transaction.atomic
def concept_guide_save(*, viewer: Viewer, concept: Concept, texts: dict[str, tuple[str, str]]) -> Concept:
    """``texts``: for each topic's key, its (title, text) as HR wrote them."""
    require_write(may_manage_concepts(viewer))
    errors: dict[str, list[str]] = {}
    guide: dict[str, dict[str, str]] = {}
    for default in DEFAULT_TOPICS:
        title, text = (part.strip().replace("\r\n", "\n") for part in texts.get(default.key, ("", "")))
        if len(title) > MAX_TITLE:
            errors[f"{default.key}-title"] = [_("Keep the title to %(limit)s characters.") % {"limit": MAX_TITLE}]
        if len(text) > MAX_TEXT:
            errors[f"{default.key}-text"] = [_("Keep the text to %(limit)s characters.") % {"limit": MAX_TEXT}]
        own = {}
        if title and title != default.title:
            own["title"] = title
        if text and text != default.text.strip():
            own["text"] = text
        if own:
            guide[default.key] = own
    if errors:
        raise ValidationError(errors)
    Concept.objects.filter(pk=concept.pk).update(guide=guide)
    concept.guide = guide
    audit_record(
        actor=viewer.user, action="rounds.concept_guide_saved", target=concept, data={"adapted": sorted(guide)}
    )
    return concept
