"""The two preparation forms (docs/domain.md § Before the conversation, steps 4–5;
docs/trust.md § Access matrix): the employee's is private until shared, the leader's is private to
the leader."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.conversations.models import (
    ConversationStatus,
    EmployeePreparation,
    LeaderPreparation,
    UnionRepStatus,
)
from samtale.conversations.services import meeting
from samtale.org.models import Person
from samtale.testing import Mus, Org, make_person
from samtale.testing.queries import Page, assert_same_queries

SECRET = "Min-hemmelige-forberedelse-4417"
LEADER_SECRET = "Lederens-noter-8812"


def _url(name: str, mus: Mus) -> str:
    return reverse(f"conversations:{name}", args=[mus.conversation.uuid])


def _prepare(org: Org, mus: Mus, text: str = SECRET) -> EmployeePreparation:
    return meeting.employee_preparation_save(
        viewer=viewer_for(org.user("employee")), conversation=mus.conversation, answers={"experience": text}
    )


def _share(org: Org, mus: Mus, recipient: str = "leader", share: bool = True) -> None:
    meeting.employee_preparation_share(
        viewer=viewer_for(org.user("employee")), conversation=mus.conversation, recipient=recipient, share=share
    )


def _summon_union_rep(org: Org, mus: Mus) -> None:
    mus.conversation.union_rep = org.union_rep
    mus.conversation.union_rep_status = UnionRepStatus.SUMMONED
    mus.conversation.save(update_fields=["union_rep", "union_rep_status"])


def _without_csrf(content: bytes) -> str:
    """A page's text without what differs on every response (the CSRF token, the CSP nonce) and
    without the conversation's id (a missing one has another)."""
    text = re.sub(
        r"hx-headers='[^']*'|nonce=\"[^\"]*\"|name=\"csrfmiddlewaretoken\" value=\"[^\"]*\"", "", content.decode()
    )
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "UUID", text)


# The employee's preparation -------------------------------------------------------------------


def test_the_employee_sees_the_concepts_questions_with_their_help(org: Org, mus: Mus) -> None:
    page = org.client("employee").get(_url("preparation", mus))
    assert page.status_code == 200
    text = page.content.decode()
    for question in mus.concept.questions.filter(form="employee"):
        assert question.text in text
        if question.help:
            assert question.help in text
    assert "Lederens" not in text  # the leader's questions are not on the employee's form
    assert 'hx-trigger="input changed delay:1s"' in text
    assert 'role="status"' in text


def test_the_save_button_saves_without_javascript(org: Org, mus: Mus) -> None:
    response = org.client("employee").post(_url("preparation", mus), {"q_experience": SECRET, "q_learned": "Meget"})
    assert response.status_code == 302
    preparation = EmployeePreparation.objects.get(conversation=mus.conversation)
    assert preparation.answers == {"experience": SECRET, "learned": "Meget"}
    assert preparation.shared_with_leader_at is None  # saving never shares


def test_autosave_answers_with_a_short_status(org: Org, mus: Mus) -> None:
    org.employee.user.language = "en"
    org.employee.user.save(update_fields=["language"])
    response = org.client("employee").post(_url("preparation", mus), {"q_experience": SECRET}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert re.fullmatch(r"\s*Saved at \d\d:\d\d\s*", text), text
    assert "Vary" in response and "HX-Request" in response["Vary"]
    assert EmployeePreparation.objects.get(conversation=mus.conversation).answers == {"experience": SECRET}


def test_an_answer_that_is_too_long_is_refused_and_nothing_is_saved(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    client = org.client("employee")
    response = client.post(_url("preparation", mus), {"q_experience": "x" * 5001})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    fragment = client.post(_url("preparation", mus), {"q_experience": "x" * 5001}, HTTP_HX_REQUEST="true")
    assert "Saved at" not in fragment.content.decode()
    assert EmployeePreparation.objects.get(conversation=mus.conversation).answers == {"experience": SECRET}


def test_line_breaks_from_the_browser_are_stored_as_plain_newlines(org: Org, mus: Mus) -> None:
    org.client("employee").post(_url("preparation", mus), {"q_experience": "første\r\nanden"})
    assert EmployeePreparation.objects.get(conversation=mus.conversation).answers == {"experience": "første\nanden"}


def test_unknown_keys_are_ignored_and_empty_answers_are_not_stored(org: Org, mus: Mus) -> None:
    meeting.employee_preparation_save(
        viewer=viewer_for(org.user("employee")),
        conversation=mus.conversation,
        answers={"experience": "  ", "not_a_question": "x", "learned": "Noget"},
    )
    assert EmployeePreparation.objects.get(conversation=mus.conversation).answers == {"learned": "Noget"}


def test_the_leader_gets_the_same_404_for_an_unshared_preparation_as_for_a_missing_one(org: Org, mus: Mus) -> None:
    leader = org.client("leader")
    nothing_yet = leader.get(_url("preparation", mus))
    _prepare(org, mus)
    unshared = leader.get(_url("preparation", mus))
    missing = leader.get(reverse("conversations:preparation", args=[uuid.uuid4()]))
    assert nothing_yet.status_code == unshared.status_code == missing.status_code == 404
    assert _without_csrf(nothing_yet.content) == _without_csrf(unshared.content) == _without_csrf(missing.content)
    for name in ("preparation_print",):
        assert leader.get(_url(name, mus)).status_code == 404


def test_the_leader_reads_a_shared_preparation_and_the_read_is_audited(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    page = org.client("leader").get(_url("preparation", mus))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert 'name="q_experience"' not in page.content.decode()  # read, not write
    assert AuditEvent.objects.filter(action="conversations.preparation_read", actor_id=org.leader.user_id).exists()
    assert AuditEvent.objects.filter(action="conversations.preparation_shared", actor_id=org.employee.user_id).exists()


def test_the_leader_cannot_write_in_a_shared_preparation(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    response = org.client("leader").post(_url("preparation", mus), {"q_experience": "Lederen skriver"})
    assert response.status_code == 403
    assert EmployeePreparation.objects.get(conversation=mus.conversation).answers == {"experience": SECRET}
    with pytest.raises(PermissionDenied):
        meeting.employee_preparation_save(
            viewer=viewer_for(org.user("leader")), conversation=mus.conversation, answers={"experience": "x"}
        )


def test_a_share_taken_back_hides_it_again(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    client = org.client("employee")
    assert (
        client.post(_url("preparation_share", mus), {"recipient": "leader", "share": "1", "confirmed": "1"}).status_code
        == 302
    )
    assert org.client("leader").get(_url("preparation", mus)).status_code == 200
    assert client.post(_url("preparation_share", mus), {"recipient": "leader", "share": "0"}).status_code == 302
    assert org.client("leader").get(_url("preparation", mus)).status_code == 404
    assert EmployeePreparation.objects.get(conversation=mus.conversation).shared_with_leader_at is None
    assert AuditEvent.objects.filter(action="conversations.preparation_unshared").count() == 1


def test_sharing_twice_keeps_the_first_time_and_records_once(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    first = EmployeePreparation.objects.get(conversation=mus.conversation).shared_with_leader_at
    _share(org, mus)
    assert EmployeePreparation.objects.get(conversation=mus.conversation).shared_with_leader_at == first
    assert AuditEvent.objects.filter(action="conversations.preparation_shared").count() == 1


def test_an_empty_preparation_cannot_be_shared(org: Org, mus: Mus) -> None:
    with pytest.raises(ValidationError):
        _share(org, mus)
    response = org.client("employee").post(
        _url("preparation_share", mus), {"recipient": "leader", "share": "1", "confirmed": "1"}
    )
    assert response.status_code == 302
    assert not EmployeePreparation.objects.filter(conversation=mus.conversation, shared_with_leader_at__isnull=False)


def test_the_former_leader_sees_nothing_even_when_shared(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    former = org.client("former_leader")
    for name in ("preparation", "preparation_print", "leader_preparation", "guide"):
        assert former.get(_url(name, mus)).status_code == 404
    assert SECRET not in former.get(reverse("dashboards:team")).content.decode()


def test_a_leader_who_takes_over_reads_what_was_shared_and_the_one_before_loses_it(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    org.employee.personnel_leader = org.former_leader
    org.employee.save(update_fields=["personnel_leader"])
    assert org.client("leader").get(_url("preparation", mus)).status_code == 404
    assert org.client("former_leader").get(_url("preparation", mus)).status_code == 200


def test_the_union_rep_reads_it_only_when_summoned_and_shared_with(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)  # with the leader only
    rep = org.client("union_rep")
    assert rep.get(_url("preparation", mus)).status_code == 404
    with pytest.raises(ValidationError):  # not summoned: the employee cannot share with them
        _share(org, mus, "union_rep")
    _summon_union_rep(org, mus)
    assert rep.get(_url("preparation", mus)).status_code == 404  # summoned, not shared with
    _share(org, mus, "union_rep")
    page = rep.get(_url("preparation", mus))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    _share(org, mus, "union_rep", share=False)
    assert rep.get(_url("preparation", mus)).status_code == 404


def test_the_share_controls_for_the_union_rep_show_only_when_summoned(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    page = org.client("employee").get(_url("preparation", mus)).content.decode()
    assert 'value="union_rep"' not in page
    _summon_union_rep(org, mus)
    page = org.client("employee").get(_url("preparation", mus)).content.decode()
    assert 'value="union_rep"' in page


def test_nobody_else_reads_the_employees_preparation_even_when_shared(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    for persona in ("head", "director", "daily_leader", "union_rep", "hr", "regional_hr", "colleague", "outsider"):
        assert org.client(persona).get(_url("preparation", mus)).status_code == 404, persona


def test_the_preparation_is_read_only_once_the_conversation_is_held(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    meeting.conversation_mark_held(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, held_on=timezone.localdate()
    )
    mus.conversation.refresh_from_db()
    client = org.client("employee")
    page = client.get(_url("preparation", mus)).content.decode()
    assert 'name="q_experience"' not in page
    assert SECRET in page
    response = client.post(_url("preparation", mus), {"q_experience": "Ændret bagefter"})
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        _prepare(org, mus, "Ændret bagefter")
    assert EmployeePreparation.objects.get(conversation=mus.conversation).answers == {"experience": SECRET}


def test_the_share_can_still_be_taken_back_after_the_conversation(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    mus.conversation.status = ConversationStatus.HELD
    mus.conversation.held_on = timezone.localdate()
    mus.conversation.save(update_fields=["status", "held_on"])
    _share(org, mus, share=False)
    assert org.client("leader").get(_url("preparation", mus)).status_code == 404


def test_the_conversation_page_tells_the_leader_nothing_about_an_unshared_preparation(org: Org, mus: Mus) -> None:
    leader = org.client("leader")
    before = _without_csrf(leader.get(_url("detail", mus)).content)
    _prepare(org, mus)
    after = _without_csrf(leader.get(_url("detail", mus)).content)
    assert before == after
    assert _url("preparation", mus) not in after
    _share(org, mus)
    assert _url("preparation", mus) in leader.get(_url("detail", mus)).content.decode()


def test_the_employee_finds_their_preparation_from_the_conversation_page(org: Org, mus: Mus) -> None:
    page = org.client("employee").get(_url("detail", mus)).content.decode()
    assert _url("preparation", mus) in page
    assert _url("leader_preparation", mus) not in page
    assert _url("guide", mus) in page
    assert _url("outcome", mus) not in page


# The leader's preparation ---------------------------------------------------------------------


def test_the_leader_prepares_privately_with_must_improve(org: Org, mus: Mus) -> None:
    client = org.client("leader")
    page = client.get(_url("leader_preparation", mus))
    assert page.status_code == 200
    for question in mus.concept.questions.filter(form="leader"):
        assert question.text in page.content.decode()
    assert 'name="must_improve"' in page.content.decode()
    response = client.post(_url("leader_preparation", mus), {"q_feedback": LEADER_SECRET, "must_improve": "Mødetider"})
    assert response.status_code == 302
    prepared = LeaderPreparation.objects.get(conversation=mus.conversation)
    assert prepared.answers == {"feedback": LEADER_SECRET}
    assert prepared.must_improve == "Mødetider"
    fragment = client.post(
        _url("leader_preparation", mus), {"q_feedback": LEADER_SECRET, "must_improve": ""}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert LeaderPreparation.objects.get(conversation=mus.conversation).must_improve == ""


@pytest.mark.parametrize("persona", [p for p in Org.PERSONAS if p != "leader"])
def test_the_leaders_preparation_is_404_for_everyone_else(org: Org, mus: Mus, persona: str) -> None:
    meeting.leader_preparation_save(
        viewer=viewer_for(org.user("leader")), conversation=mus.conversation, answers={}, must_improve=LEADER_SECRET
    )
    client = org.client(persona)
    for name in ("leader_preparation", "leader_preparation_print"):
        assert client.get(_url(name, mus)).status_code == 404
    assert client.post(_url("leader_preparation", mus), {"must_improve": "x"}).status_code == 404
    assert LEADER_SECRET not in client.get(_url("detail", mus)).content.decode()


def test_the_leaders_preparation_is_read_only_once_held(org: Org, mus: Mus) -> None:
    leader = viewer_for(org.user("leader"))
    meeting.leader_preparation_save(viewer=leader, conversation=mus.conversation, answers={}, must_improve="A")
    meeting.conversation_mark_held(viewer=leader, conversation=mus.conversation, held_on=timezone.localdate())
    mus.conversation.refresh_from_db()
    with pytest.raises(ValidationError):
        meeting.leader_preparation_save(viewer=leader, conversation=mus.conversation, answers={}, must_improve="B")
    assert org.client("leader").post(_url("leader_preparation", mus), {"must_improve": "B"}).status_code == 400
    assert LeaderPreparation.objects.get(conversation=mus.conversation).must_improve == "A"


# Printing ---------------------------------------------------------------------------------------


def test_either_form_prints(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    meeting.leader_preparation_save(
        viewer=viewer_for(org.user("leader")),
        conversation=mus.conversation,
        answers={"feedback": LEADER_SECRET},
        must_improve="",
    )
    employee_page = org.client("employee").get(_url("preparation", mus)).content.decode()
    assert _url("preparation_print", mus) in employee_page
    printed = org.client("employee").get(_url("preparation_print", mus)).content.decode()
    assert SECRET in printed
    assert 'class="print-page"' in printed
    assert "<textarea" not in printed
    leader_printed = org.client("leader").get(_url("leader_preparation_print", mus)).content.decode()
    assert LEADER_SECRET in leader_printed
    assert SECRET not in leader_printed


def test_the_print_style_sheet_leaves_out_the_page_around_the_form() -> None:
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "static" / "samtale" / "samtale.css").read_text()
    section = css[css.index("/* preparation and meeting") :]
    assert "@media print" in section
    assert ".site-header" in section.split("@media print", 1)[1]


# Queries ----------------------------------------------------------------------------------------


def test_the_preparation_pages_make_the_same_number_of_queries_with_more_answers_and_people(org: Org, mus: Mus) -> None:
    _prepare(org, mus)
    _share(org, mus)
    urls = [("employee", "preparation"), ("leader", "preparation"), ("leader", "leader_preparation")]

    def grow() -> None:
        for index in range(15):
            make_person(f"Ny {index}", unit=org.payroll, leader=org.leader)
        meeting.employee_preparation_save(
            viewer=viewer_for(org.user("employee")),
            conversation=mus.conversation,
            answers={q.key: "svar" for q in mus.concept.questions.filter(form="employee")},
        )

    pages = [Page(org.client(p), _url(n, mus), name=f"{n}, as {p}") for p, n in urls]
    assert_same_queries(grow, *pages, sizes=("few answers and people", "more"))
    assert Person.objects.count() > 25
