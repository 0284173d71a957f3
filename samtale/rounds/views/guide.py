"""The guidance for employees and leaders (``samtale.rounds.guide``): a page of topics and a page
per topic, for everyone signed in, from the concept of the round in their unit; and HR's page to
adapt a concept's texts (only HR covering the whole organisation: 404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from samtale.access import lookups, round_policies
from samtale.access.viewer import get_viewer
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.guide import Topic, blocks, topics_of
from samtale.rounds.selectors.concepts import concept_for_guide, concept_with_content
from samtale.rounds.services.guide import concept_guide_save


@login_required
def guide_index(request: AuthenticatedRequest) -> HttpResponse:
    concept = concept_for_guide(person=get_viewer(request).person)
    return render(request, "rounds/guide_index.html", {"concept": concept, "topics": topics_of(concept)})


@login_required
def guide_topic(request: AuthenticatedRequest, key: str) -> HttpResponse:
    concept = concept_for_guide(person=get_viewer(request).person)
    topics = topics_of(concept)
    index = next((i for i, topic in enumerate(topics) if topic.key == key), None)
    if index is None:
        raise Http404
    topic = topics[index]
    context = {
        "concept": concept,
        "topic": topic,
        "blocks": blocks(topic.text),
        "previous": topics[index - 1] if index > 0 else None,
        "next": topics[index + 1] if index < len(topics) - 1 else None,
    }
    return render(request, "rounds/guide_topic.html", context)


@login_required
def concept_guide(request: AuthenticatedRequest, concept_uuid: str) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(round_policies.may_manage_concepts(viewer))
    concept = concept_with_content(concept_uuid=concept_uuid)
    if concept is None:
        raise Http404
    topics = topics_of(concept)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        texts = {t.key: (request.POST.get(f"{t.key}-title", ""), request.POST.get(f"{t.key}-text", "")) for t in topics}
        try:
            concept_guide_save(viewer=viewer, concept=concept, texts=texts)
        except ValidationError as error:
            errors = error.message_dict
            topics = [Topic(t.key, *texts[t.key], t.audience) for t in topics]  # what HR wrote, kept
        else:
            messages.success(request, _("The guidance is saved. Every round using this concept shows it now."))
            return redirect("rounds:concept", concept_uuid=concept.uuid)
    context = {"concept": concept, "topics": topics, "errors": errors}
    return render(request, "rounds/concept_guide.html", context, status=400 if errors else 200)
