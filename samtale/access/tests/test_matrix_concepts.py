"""The access matrix for conversation concepts: only HR covering the whole organisation copies and
edits them; to everyone else, HR for one region included, the pages do not exist (404)
(docs/trust.md § Beyond the matrix). Persona × page × action, through the real URLs."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from samtale.rounds.models import Concept
from samtale.testing import Mus, Org
from samtale.testing.access import PERSONAS, Case
from samtale.testing.rounds import form_data

HR_ONLY_READ = {"hr": 200}
HR_ONLY_WRITE = {"hr": 302}

CASES = [
    Case("the list of concepts", "get", lambda o: reverse("rounds:concepts"), None, HR_ONLY_READ),
    Case("a concept", "get", lambda o: reverse("rounds:concept", args=[o.mus.concept.uuid]), None, HR_ONLY_READ),
    Case(
        "the copy form",
        "get",
        lambda o: reverse("rounds:concept_copy", args=[o.mus.concept.uuid]),
        None,
        HR_ONLY_READ,
    ),
    Case(
        "copying a concept",
        "post",
        lambda o: reverse("rounds:concept_copy", args=[o.mus.concept.uuid]),
        lambda o: {"name": "Vores egen MUS"},
        HR_ONLY_WRITE,
    ),
    Case(
        "the edit form",
        "get",
        lambda o: reverse("rounds:concept_edit", args=[o.mus.concept.uuid]),
        None,
        HR_ONLY_READ,
    ),
    Case(
        "editing a concept a round uses",
        "post",
        lambda o: reverse("rounds:concept_edit", args=[o.mus.concept.uuid]),
        lambda o: form_data(o.mus.concept, plan_due_days="21"),
        HR_ONLY_WRITE,
    ),
    Case(
        "adding a row in the editor",
        "post",
        lambda o: reverse("rounds:concept_edit", args=[o.mus.concept.uuid]),
        lambda o: form_data(o.mus.concept, add="phases"),
        HR_ONLY_READ,
    ),
    Case(
        "the concept's guidance to adapt",
        "get",
        lambda o: reverse("rounds:concept_guide", args=[o.mus.concept.uuid]),
        None,
        HR_ONLY_READ,
    ),
    Case(
        "adapting the guidance",
        "post",
        lambda o: reverse("rounds:concept_guide", args=[o.mus.concept.uuid]),
        lambda o: {"what-text": "Hos os er MUS en samtale om dig."},
        HR_ONLY_WRITE,
    ),
    Case(
        "the guidance, for everyone signed in",
        "get",
        lambda o: reverse("rounds:guide_topic", args=["privacy"]),
        None,
        dict.fromkeys(PERSONAS, 200),
    ),
    Case("a concept that does not exist", "get", lambda o: reverse("rounds:concept", args=[uuid.uuid4()]), None, {}),
    Case(
        "editing a concept that does not exist",
        "post",
        lambda o: reverse("rounds:concept_edit", args=[uuid.uuid4()]),
        lambda o: form_data(o.mus.concept),
        {},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_concept_access_matrix(org: Org, mus: Mus, case: Case, persona: str) -> None:
    org.mus = mus  # type: ignore[attr-defined]
    client = org.client(persona)
    url = case.url(org)
    before = list(Concept.objects.order_by("pk").values_list("pk", "name", "plan_due_days", "is_current", "guide"))
    response = client.get(url) if case.method == "get" else client.post(url, case.data(org) if case.data else {})
    expected = case.expected.get(persona, case.default)
    assert response.status_code == expected, f"{persona} on {case.name}: {response.status_code}, expected {expected}"
    after = list(Concept.objects.order_by("pk").values_list("pk", "name", "plan_due_days", "is_current", "guide"))
    if expected != 302:
        assert after == before, f"{persona} on {case.name} changed the concepts"
    else:
        assert after != before
