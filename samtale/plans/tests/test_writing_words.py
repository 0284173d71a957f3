"""The plan's words in Danish (docs/domain.md § Dates, weeks and words): one word for each thing,
and the right one where an English word means two things. The plan's part 1 is "indsatsområder"
throughout (the unit's topics are its "fokusområder", a different thing); a topic is followed up
"Senest uge 8", not "Uploadet af"; the employee's PDF is a "Kopi", not an order to copy
("Kopiér")."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samtale.plans.content import plan_completeness_errors
from samtale.plans.pdf import plan_pdf_context
from samtale.plans.services.signing import current_version
from samtale.testing import Mus, Org
from samtale.testing.plans import held_plan, post_data, raw, topic, version_of
from samtale.testing.signing import signed_plan


def test_the_plans_part_1_is_indsatsomraader_on_every_page(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)  # the personas read Danish
    client = org.client("employee")
    empty = client.get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert "Ingen indsatsområder endnu." in empty
    form = client.get(reverse("plans:edit", args=[plan.uuid])).content.decode()
    assert "<legend>Indsatsområde 1</legend>" in form
    assert '<label for="fa-0-text">Indsatsområde<span class="visually-hidden"> (indsatsområde 1)</span>' in form
    assert "Tilføj et indsatsområde" in form
    too_long = raw(focus="x" * 2001)
    refused = client.post(reverse("plans:edit", args=[plan.uuid]), post_data(too_long)).content.decode()
    assert '<a href="#fa-0-text">Indsatsområde 1: Tekst:' in refused
    for page in (empty, form, refused):
        assert "fokusområde" not in page.casefold()


def test_the_completeness_check_names_the_indsatsomraade() -> None:
    content = {"focus_areas": [{"id": "a" * 32, "text": "", "must_improve": True}], "goals": []}
    with translation.override("da"):
        assert "Indsatsområde 1 har ingen tekst." in plan_completeness_errors(content)


def test_a_topic_is_followed_up_by_a_deadline(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    content = raw()
    content["follow_up_topics"] = [topic(responsible="leader", by="uge 8")]
    client = org.client("employee")
    assert client.post(reverse("plans:edit", args=[plan.uuid]), post_data(content)).status_code == 302
    assert version_of(plan).content["follow_up_topics"][0]["by"].endswith("-W08")
    page = client.get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert "Ansvarlig: Lederen · Senest uge 8" in page
    assert "Uploadet af" not in page


def test_the_employees_pdf_is_a_copy_not_an_order_to_copy(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    context = plan_pdf_context(plan=plan, version=current_version(plan), label="copy")
    with translation.override("da"):
        html = render_to_string("plans/plan_pdf.html", context)
    assert '<p class="label">Kopi</p>' in html
    assert 'content: "Kopi";' in html
    assert "Kopiér" not in html
    assert '<th scope="col">Hvornår</th>' in html  # when an activity runs
    assert '<th scope="col">Metode</th>' in html  # how it was signed, not "Kilde"
