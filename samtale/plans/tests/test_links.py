"""A plan's goal links to the competences it builds and to the focus area or the round's goal it
serves, and a course activity to a course of the catalogue (docs/domain.md § Competences and
courses): chosen in the form, kept in the content, read on the plan's page and in its PDF; a code
that is no course, or a competence not offered, is refused with a message at its field."""

from __future__ import annotations

import pytest
from django.urls import reverse

from samtale.plans.content import version_content
from samtale.plans.readable import readable_version
from samtale.rounds.models import FocusArea, RoundGoal
from samtale.testing import Mus, Org
from samtale.testing.learning import make_catalogue
from samtale.testing.plans import held_plan, post_data, raw, save_plan, version_of

pytestmark = pytest.mark.django_db


def test_a_goal_links_to_a_competence_and_a_focus_area_and_an_activity_to_a_course(org: Org, mus: Mus) -> None:
    catalogue = make_catalogue()
    area = FocusArea.objects.create(unit_round=mus.unit_round, text="Færre fejl i lønkørslen")
    goal = RoundGoal.objects.create(round=mus.round, text="Digital først")
    plan = held_plan(org, mus)
    save_plan(org, plan)
    content = raw()
    content["goals"][0]["competences"] = [catalogue.payroll_law.uuid.hex, catalogue.cooperation.uuid.hex]
    content["goals"][0]["serves"] = f"focus:{area.uuid.hex}"
    content["goals"][0]["activities"][0]["course"] = "k-ferie"  # the code, as typed (any case)
    version = version_of(plan)
    response = org.client("employee").post(
        reverse("plans:edit", args=[plan.uuid]), post_data(content, revision=version.revision)
    )
    assert response.status_code in (200, 302)
    stored = version_content(version_of(plan))
    assert stored["goals"][0]["competences"] == [catalogue.payroll_law.uuid.hex, catalogue.cooperation.uuid.hex]
    assert stored["goals"][0]["serves"] == f"focus:{area.uuid.hex}"
    assert stored["goals"][0]["activities"][0]["course"] == catalogue.course.uuid.hex

    readable = readable_version(version_of(plan))
    assert readable.goals[0].competences == ("Lønlovgivning", "Samarbejde")
    assert "Færre fejl i lønkørslen" in readable.goals[0].serves
    assert readable.goals[0].activities[0].course == "K-FERIE Ferieloven i praksis"
    page = org.client("employee").get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert "Lønlovgivning" in page and "Ferieloven i praksis" in page

    # The round's goal may be served as well, and the form offers both.
    form = org.client("employee").get(reverse("plans:edit", args=[plan.uuid])).content.decode()
    assert "Digital først" in form and 'value="K-FERIE"' in form
    assert goal.uuid.hex in form


def test_an_unknown_course_code_or_competence_is_refused_at_its_field(org: Org, mus: Mus) -> None:
    make_catalogue()
    plan = held_plan(org, mus)
    save_plan(org, plan)
    content = raw()
    content["goals"][0]["competences"] = ["f" * 32]
    content["goals"][0]["activities"][0]["course"] = "NOPE-1"
    version = version_of(plan)
    response = org.client("employee").post(
        reverse("plans:edit", args=[plan.uuid]), post_data(content, revision=version.revision)
    )
    page = response.content.decode()
    assert response.status_code == 400  # the form again, with the messages
    assert "goal-0-act-0-course" in page and "goal-0-competences" in page
    assert version_content(version_of(plan))["goals"][0].get("competences", []) == []
