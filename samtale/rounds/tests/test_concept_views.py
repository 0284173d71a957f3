"""HR's pages for conversation concepts: the list, a concept as participants will meet it, the
copy, and the editor with its three formsets (which work without JavaScript)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from django.urls import reverse

from samtale.access.viewer import viewer_for
from samtale.rounds import defaults
from samtale.rounds.models import Concept, PreparationForm, Round
from samtale.rounds.services.concepts import concept_copy, concept_input_of, concept_update
from samtale.testing import Mus, Org, build_round
from samtale.testing.queries import Page, assert_same_queries
from samtale.testing.rounds import form_data


def edit_url(concept: Concept) -> str:
    return reverse("rounds:concept_edit", args=[concept.uuid])


def text(response: Any) -> str:
    return response.content.decode()


# The list and the detail -------------------------------------------------------------------------------


def test_the_list_shows_each_current_concept_with_its_versions_and_the_rounds_using_them(org: Org, mus: Mus) -> None:
    client = org.client("hr")
    client.post(edit_url(mus.concept), form_data(mus.concept, plan_due_days="10"))
    copy = concept_copy(viewer=_hr(org), concept=mus.concept, name="Vesterbys LUS")

    response = client.get(reverse("rounds:concepts"))

    assert response.status_code == 200
    page = text(response)
    assert page.count(">MUS med mening</a>") == 1  # one row per family, not per version
    assert "Vesterbys LUS" in page and str(copy.uuid) in page
    assert "Version 2" in page and "Version 1" in page
    round_link = reverse("rounds:detail", args=[mus.round.uuid])
    assert re.search(
        rf'Version 1<span[^>]*> \(MUS med mening\)</span></a>:\s*<a href="{round_link}">MUS-2027</a>', page
    )
    assert 'aria-current="page">Concepts</a>' in page or 'aria-current="page">Koncepter</a>' in page


def test_a_concept_shows_its_phases_and_both_forms_as_the_participants_will_meet_them(org: Org, mus: Mus) -> None:
    response = org.client("hr").get(reverse("rounds:concept", args=[mus.concept.uuid]))
    assert response.status_code == 200
    page = text(response)
    for phase in mus.concept.phases.all():
        assert f"<h3>{phase.heading}</h3>" in page
        for question in phase.question_list:
            assert f"<li>{question}</li>" in page.replace("&#x27;", "'")
    for question in mus.concept.questions.all():
        assert re.search(rf'<label for="{question.form}-{question.key}">', page)
    assert "Hvad lærte du?" in page and "Hvordan vil medarbejderens opgaver og kompetencebehov udvikle sig?" in page
    assert f'<a href="{reverse("rounds:detail", args=[mus.round.uuid])}">MUS-2027</a>' in page  # the round using it
    assert reverse("rounds:concept_edit", args=[mus.concept.uuid]) in page


def test_an_old_version_says_so_links_to_the_current_one_and_cannot_be_edited(org: Org, mus: Mus) -> None:
    client = org.client("hr")
    client.post(edit_url(mus.concept), form_data(mus.concept, name="MUS 2.0"))
    current = Concept.objects.get(family=mus.concept.family, is_current=True)

    page = text(client.get(reverse("rounds:concept", args=[mus.concept.uuid])))
    assert "kept unchanged for the rounds that use it" in page or "uændret" in page
    assert reverse("rounds:concept", args=[current.uuid]) in page
    assert edit_url(mus.concept) not in page

    response = client.get(edit_url(mus.concept))
    assert response.status_code == 302 and response["Location"] == edit_url(current)


# Copying ---------------------------------------------------------------------------------------------


def test_hr_copies_a_concept_and_goes_on_to_edit_the_copy(org: Org) -> None:
    default = defaults.default_concept_ensure()
    client = org.client("hr")
    page = text(client.get(reverse("rounds:concept_copy", args=[default.uuid])))
    assert 'value="MUS med mening (' in page  # a suggested name

    response = client.post(reverse("rounds:concept_copy", args=[default.uuid]), {"name": "Vesterbys MUS"})

    copy = Concept.objects.get(name="Vesterbys MUS")
    assert response.status_code == 302 and response["Location"] == edit_url(copy)
    assert copy.family != default.family and copy.phases.count() == 6


def test_a_copy_with_a_taken_name_is_refused_with_the_reason_and_nothing_is_made(org: Org) -> None:
    default = defaults.default_concept_ensure()
    client = org.client("hr")
    client.cookies["django_language"] = "en"
    org.hr.user.language = "en"
    org.hr.user.save()
    response = client.post(reverse("rounds:concept_copy", args=[default.uuid]), {"name": "MUS med mening"})
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: " in page
    assert "There is already a concept called MUS med mening." in page
    assert Concept.objects.count() == 1
    response = client.post(reverse("rounds:concept_copy", args=[default.uuid]), {"name": "x" * 201})
    assert response.status_code == 400 and Concept.objects.count() == 1


# Editing ---------------------------------------------------------------------------------------------


def _hr(org: Org) -> Any:
    return viewer_for(org.user("hr"))


def _english(org: Org) -> None:
    org.hr.user.language = "en"
    org.hr.user.save()


def test_the_edit_page_has_a_form_for_the_concept_and_each_row(org: Org) -> None:
    default = defaults.default_concept_ensure()
    page = text(org.client("hr").get(edit_url(default)))
    assert 'name="phases-TOTAL_FORMS" value="6"' in page
    assert 'name="employee-TOTAL_FORMS" value="9"' in page
    assert 'name="leader-TOTAL_FORMS" value="4"' in page
    assert 'name="phases-5-DELETE"' in page and 'name="phases-5-ORDER"' in page
    assert 'value="goals"' in page
    assert page.index('name="add"') > page.index('type="submit" class="button button-primary"')  # Enter saves


def test_saving_a_used_concept_makes_a_new_version_and_says_so(org: Org, mus: Mus) -> None:
    _english(org)
    data = form_data(mus.concept, **{"phases-1-heading": "Feedback begge veje"})
    response = org.client("hr").post(edit_url(mus.concept), data, follow=True)
    new = Concept.objects.get(family=mus.concept.family, is_current=True)
    assert new.version == 2
    assert response.redirect_chain == [(reverse("rounds:concept", args=[new.uuid]), 302)]
    assert "The changes are saved as version 2." in text(response)
    assert "<h3>Feedback begge veje</h3>" in text(response)
    assert mus.concept.phases.get(key="feedback").heading == "Feedback og gode arbejdsoplevelser"
    assert Round.objects.get(pk=mus.round.pk).concept_id == mus.concept.pk


def test_the_edit_page_warns_that_a_used_concept_becomes_a_new_version(org: Org, mus: Mus) -> None:
    _english(org)
    page = text(org.client("hr").get(edit_url(mus.concept)))
    assert "Version 1 is used by the round MUS-2027. When you save, your changes become version 2" in page


def test_a_phase_is_removed_and_the_phases_reordered_by_their_place_numbers(org: Org) -> None:
    concept = concept_copy(viewer=_hr(org), concept=defaults.default_concept_ensure(), name="Kort MUS")
    data = form_data(concept, **{"phases-0-ORDER": "9", "phases-2-DELETE": "on", "leader-3-DELETE": "on"})
    response = org.client("hr").post(edit_url(concept), data)
    assert response.status_code == 302
    assert list(concept.phases.values_list("key", flat=True)) == [
        "feedback",
        "development_goals",
        "activities",
        "summary",
        "goals",
    ]
    assert concept.questions.filter(form=PreparationForm.LEADER).count() == 3


def test_add_another_sends_the_page_back_as_filled_in_with_one_more_empty_row(org: Org) -> None:
    concept = concept_copy(viewer=_hr(org), concept=defaults.default_concept_ensure(), name="Ny MUS")
    client = org.client("hr")
    data = form_data(concept, name="Ændret navn", add="employee")
    response = client.post(edit_url(concept), data)
    assert response.status_code == 200
    page = text(response)
    assert 'name="employee-TOTAL_FORMS" value="10"' in page
    assert 'value="Ændret navn"' in page
    assert re.search(r'<input type="text" name="employee-9-text"[^>]*autofocus', page)
    assert "error-summary" not in page  # an empty new row is no error
    concept.refresh_from_db()
    assert concept.name == "Ny MUS"  # nothing saved yet

    data.pop("add")
    data.update({"employee-TOTAL_FORMS": "10", "employee-9-text": "Hvad vil du gerne lære?", "employee-9-ORDER": "10"})
    assert client.post(edit_url(concept), data).status_code == 302
    added = concept.questions.get(form=PreparationForm.EMPLOYEE, order=10)
    assert (added.text, added.key) == ("Hvad vil du gerne lære?", "hvad-vil-du-gerne-laere")


def test_an_added_row_left_empty_is_ignored(org: Org) -> None:
    concept = concept_copy(viewer=_hr(org), concept=defaults.default_concept_ensure(), name="Ny MUS")
    data = form_data(concept, **{"phases-TOTAL_FORMS": "7", "plan_due_days": "20"})
    assert org.client("hr").post(edit_url(concept), data).status_code == 302
    assert concept.phases.count() == 6


def _remove_all_phases(concept: Concept) -> dict[str, str]:
    return form_data(concept, **{f"phases-{i}-DELETE": "on" for i in range(6)})


FORM_ERRORS: list[tuple[str, Callable[[Concept], dict[str, str]], str]] = [
    ("no phase", _remove_all_phases, "A concept needs at least one phase."),
    ("an empty heading", lambda c: form_data(c, **{"phases-3-heading": ""}), "This field is required."),
    ("an empty question", lambda c: form_data(c, **{"leader-0-text": "  "}), "This field is required."),
    (
        "a plan due after 91 days",
        lambda c: form_data(c, plan_due_days="91"),
        "Ensure this value is less than or equal to 90.",
    ),
    ("a follow-up at once", lambda c: form_data(c, follow_up_within_months="0"), "greater than or equal to 1."),
    ("a taken name", lambda c: form_data(c, name="Vesterbys MUS"), "There is already a concept called Vesterbys MUS."),
    (
        "a topic of 10,000 lines",
        lambda c: form_data(c, **{"phases-0-guidance": "linje\n" * 10000}),
        "Ensure this value has at most 5000 characters",
    ),
    (
        "too many questions",
        lambda c: form_data(
            c,
            **{"leader-TOTAL_FORMS": "41"},
            **{f"leader-{i}-text": f"Spørgsmål {i}?" for i in range(4, 41)},
        ),
        "A preparation form can have at most 40 questions.",
    ),
]


@pytest.mark.parametrize(("case", "data", "message"), FORM_ERRORS, ids=[c[0] for c in FORM_ERRORS])
def test_a_bad_edit_is_sent_back_with_its_message_and_nothing_is_saved(
    org: Org, mus: Mus, case: str, data: Callable[[Concept], dict[str, str]], message: str
) -> None:
    _english(org)
    concept_copy(viewer=_hr(org), concept=mus.concept, name="Vesterbys MUS")
    response = org.client("hr").post(edit_url(mus.concept), data(mus.concept))
    assert response.status_code == 400
    page = text(response)
    assert "<title>Error: " in page
    assert 'class="error-summary" role="alert"' in page
    assert message in page
    assert Concept.objects.filter(family=mus.concept.family).count() == 1


def test_a_save_over_someone_elses_is_refused_and_the_form_keeps_what_was_typed(org: Org) -> None:
    _english(org)
    concept = concept_copy(viewer=_hr(org), concept=defaults.default_concept_ensure(), name="Fælles MUS")
    client = org.client("hr")
    mine = form_data(concept, name="Min udgave")
    theirs = form_data(concept, plan_due_days="30")
    assert client.post(edit_url(concept), theirs).status_code == 302
    response = client.post(edit_url(concept), mine)
    assert response.status_code == 400
    assert "Someone else saved this concept after you opened it." in text(response)
    assert 'value="Min udgave"' in text(response)
    concept.refresh_from_db()
    assert (concept.name, concept.plan_due_days) == ("Fælles MUS", 30)


def test_the_same_edit_posted_twice_makes_one_version(org: Org, mus: Mus) -> None:
    client = org.client("hr")
    data = form_data(mus.concept, name="MUS 2.0")
    assert client.post(edit_url(mus.concept), data).status_code == 302
    assert client.post(edit_url(mus.concept), data).status_code == 302
    assert Concept.objects.filter(family=mus.concept.family).count() == 2


def test_a_forged_management_form_is_an_error_not_a_crash(org: Org) -> None:
    concept = defaults.default_concept_ensure()
    data = form_data(concept)
    del data["phases-TOTAL_FORMS"]
    response = org.client("hr").post(edit_url(concept), data)
    assert response.status_code == 400
    data = form_data(concept, add="phases", **{"phases-TOTAL_FORMS": "many"})
    assert org.client("hr").post(edit_url(concept), data).status_code == 200


# Query counts ----------------------------------------------------------------------------------------


def _grow(org: Org, size: int) -> None:
    """More concepts, versions and rounds."""
    hr = _hr(org)
    base = defaults.default_concept_ensure()
    for index in range(size):
        copy = concept_copy(viewer=hr, concept=base, name=f"Koncept {size}-{index}")
        Round.objects.create(name=f"Runde {size}-{index}", concept=copy, opens_on="2027-01-01", held_by="2027-03-31")
        data = concept_input_of(Concept.objects.prefetch_related("phases", "questions").get(pk=copy.pk))
        concept_update(viewer=hr, concept=copy, data=replace(data, plan_due_days=10 + index))
    build_round(org, name=f"MUS-{size}")


@pytest.mark.parametrize(
    "page",
    [
        lambda: reverse("rounds:concepts"),
        lambda: reverse("rounds:concept", args=[defaults.default_concept_ensure().uuid]),
    ],
    ids=["the list of concepts", "a concept"],
)
def test_the_concept_pages_make_the_same_number_of_queries_with_more_concepts_and_rounds(
    org: Org, page: Callable[[], str]
) -> None:
    _grow(org, 1)
    assert_same_queries(lambda: _grow(org, 8), Page(org.client("hr"), page()), sizes=("few concepts", "more"))
