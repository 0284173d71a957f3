"""Topics the employees propose for their unit's conversations, and the leader's answers
(docs/domain.md § Before the conversation, step 2, and § The round): proposed once the round is open
in the unit, accepted or declined with a word of why, seen only by the proposer and the unit's
leader."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from samtale.audit.models import AuditEvent
from samtale.outbox.models import OutboxMessage
from samtale.rounds.models import FocusArea, ProposalStatus, TopicProposal
from samtale.rounds.services.unit_round import MAX_PROPOSALS_PER_PERSON, proposal_answer, topic_propose
from samtale.testing import Mus, Org
from samtale.testing.access import crawl
from samtale.testing.rounds import as_, english, open_in_payroll

pytestmark = pytest.mark.usefixtures("in_english")


@pytest.fixture
def opened(org: Org, mus: Mus) -> Mus:
    open_in_payroll(org, mus)
    return mus


def propose_url(mus: Mus) -> str:
    return reverse("rounds:proposal_add", args=[mus.round.uuid, mus.unit_round.unit.uuid])


def page_url(mus: Mus) -> str:
    return reverse("rounds:unit_round", args=[mus.round.uuid, mus.unit_round.unit.uuid])


def answer_data(proposal: TopicProposal, decision: str, answer: str = "", add: bool = False) -> dict[str, str]:
    prefix = f"answer-{proposal.uuid}"
    data = {f"{prefix}-decision": decision, f"{prefix}-answer": answer}
    if add:
        data[f"{prefix}-add_as_focus_area"] = "on"
    return data


# The services --------------------------------------------------------------------------------


def test_an_employee_proposes_a_topic_once_the_round_is_open_in_their_unit(org: Org, mus: Mus) -> None:
    with pytest.raises(PermissionDenied):
        topic_propose(viewer=as_(org, "employee"), unit_round=mus.unit_round, text="Deltid")
    open_in_payroll(org, mus)
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=mus.unit_round, text="  Deltid  ")
    assert (proposal.text, proposal.status, proposal.proposed_by) == ("Deltid", ProposalStatus.PROPOSED, org.employee)
    event = AuditEvent.objects.get(action="rounds.topic_proposed")
    assert event.subject_person_id == org.employee.pk


@pytest.mark.parametrize("persona", ["leader", "head", "director", "outsider", "hr", "former_leader"])
def test_only_the_units_own_people_propose_topics_and_not_its_leader(org: Org, opened: Mus, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        topic_propose(viewer=as_(org, persona), unit_round=opened.unit_round, text="Et emne")
    assert not TopicProposal.objects.exists()


def test_a_topic_of_ten_thousand_lines_is_refused(org: Org, opened: Mus) -> None:
    with pytest.raises(ValidationError) as error:
        topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="linje\n" * 10_000)
    assert "2000" in error.value.message_dict["text"][0]
    assert not TopicProposal.objects.exists()


def test_the_same_topic_twice_and_more_than_ten_topics_are_refused(org: Org, opened: Mus) -> None:
    employee = as_(org, "employee")
    topic_propose(viewer=employee, unit_round=opened.unit_round, text="Deltid")
    with pytest.raises(ValidationError, match="already proposed"):
        topic_propose(viewer=employee, unit_round=opened.unit_round, text="Deltid")
    for index in range(MAX_PROPOSALS_PER_PERSON - 1):
        topic_propose(viewer=employee, unit_round=opened.unit_round, text=f"Emne {index}")
    with pytest.raises(ValidationError):
        topic_propose(viewer=employee, unit_round=opened.unit_round, text="Ét for meget")
    # The colleague's own limit is untouched.
    topic_propose(viewer=as_(org, "colleague"), unit_round=opened.unit_round, text="Deltid")


def test_the_leader_accepts_a_topic_and_the_proposer_is_told_by_email_without_the_text(org: Org, opened: Mus) -> None:
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="Hemmeligt-emne-8812")
    mail.outbox.clear()
    answered = proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=True, answer="Godt forslag-5531")
    assert (answered.status, answered.answered_by) == (ProposalStatus.ACCEPTED, org.leader)
    assert answered.answered_at is not None
    message = OutboxMessage.objects.get(kind="rounds.proposal_answered")
    assert message.to_email == org.employee.email
    sent = [m for m in mail.outbox if m.to == [org.employee.email]]
    assert len(sent) == 1
    everything = sent[0].subject + sent[0].body + sent[0].alternatives[0][0]
    assert "Hemmeligt-emne-8812" not in everything and "Godt forslag-5531" not in everything
    assert page_url(opened) in sent[0].body
    assert AuditEvent.objects.get(action="rounds.proposal_answered").subject_person_id == org.employee.pk


def test_declining_needs_a_word_of_why(org: Org, opened: Mus) -> None:
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="Deltid")
    with pytest.raises(ValidationError) as error:
        proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=False, answer="   ")
    assert "answer" in error.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    assert not OutboxMessage.objects.filter(kind="rounds.proposal_answered").exists()
    proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=False, answer="Det tager vi i GRUS")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer) == (ProposalStatus.DECLINED, "Det tager vi i GRUS")


def test_an_answer_is_final_so_an_answer_posted_twice_tells_the_proposer_once(org: Org, opened: Mus) -> None:
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="Deltid")
    proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=True, answer="")
    with pytest.raises(ValidationError, match="already been answered"):
        proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=False, answer="Alligevel ikke")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert OutboxMessage.objects.filter(kind="rounds.proposal_answered").count() == 1


@pytest.mark.parametrize("persona", ["employee", "colleague", "head", "director", "hr"])
def test_only_the_units_leader_answers(org: Org, opened: Mus, persona: str) -> None:
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="Deltid")
    with pytest.raises(PermissionDenied):
        proposal_answer(viewer=as_(org, persona), proposal=proposal, accept=True, answer="")


def test_an_accepted_topic_can_become_one_of_the_units_focus_areas(org: Org, opened: Mus) -> None:
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="Bedre onboarding")
    proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=True, answer="", add_as_focus_area=True)
    assert FocusArea.objects.filter(unit_round=opened.unit_round, text="Bedre onboarding").exists()


# The pages -----------------------------------------------------------------------------------


def test_the_employee_proposes_through_the_page_and_reads_the_answer_there(org: Org, opened: Mus) -> None:
    client = org.client("employee")
    page = client.get(page_url(opened))
    assert page.context["may_propose"] is True and page.context["proposal_form"] is not None
    response = client.post(propose_url(opened), {"text": "Deltid"})
    assert response.status_code == 302 and response["Location"].endswith("#my-proposals")
    proposal = TopicProposal.objects.get()
    org.client("leader").post(
        reverse("rounds:proposal_answer", args=[proposal.uuid]), answer_data(proposal, "decline", "Ikke i år")
    )
    text = client.get(page_url(opened)).content.decode()
    assert "Deltid" in text and "Ikke i år" in text


def test_before_the_round_is_open_in_the_unit_the_employee_is_told_to_wait_and_a_proposal_is_refused(
    org: Org, mus: Mus
) -> None:
    english(org, "employee")
    client = org.client("employee")
    page = client.get(page_url(mus))
    assert page.context["proposal_form"] is None
    assert "When your leader opens the round in the unit" in page.content.decode()
    assert client.post(propose_url(mus), {"text": "For tidligt"}).status_code == 403
    assert not TopicProposal.objects.exists()


def test_a_proposal_of_ten_thousand_lines_is_refused_clearly_on_the_page(org: Org, opened: Mus) -> None:
    english(org, "employee")
    response = org.client("employee").post(propose_url(opened), {"text": "linje\n" * 10_000})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Keep it to 2000 characters; this is 59999." in text
    assert "<title>Error: " in text
    assert not TopicProposal.objects.exists()


def test_the_leader_answers_on_the_page_and_a_decline_without_why_is_explained(org: Org, opened: Mus) -> None:
    english(org, "leader")
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="Deltid")
    client = org.client("leader")
    page = client.get(page_url(opened))
    assert [p for p, _form in page.context["proposals"]] == [proposal]
    url = reverse("rounds:proposal_answer", args=[proposal.uuid])
    refused = client.post(url, answer_data(proposal, "decline"))
    assert refused.status_code == 400
    assert "Say in a few words why the topic is declined." in refused.content.decode()
    nothing = client.post(url, {})
    assert nothing.status_code == 400
    accepted = client.post(url, answer_data(proposal, "accept", "Godt", add=True))
    assert accepted.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert FocusArea.objects.filter(text="Deltid").exists()
    twice = client.post(url, answer_data(proposal, "decline", "Nej"), follow=True)
    assert "This topic has already been answered." in twice.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED


@pytest.mark.parametrize(
    ("persona", "status"), [("employee", 403), ("colleague", 404), ("head", 404), ("outsider", 404)]
)
def test_only_the_leader_may_post_an_answer(org: Org, opened: Mus, persona: str, status: int) -> None:
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text="Deltid")
    response = org.client(persona).post(
        reverse("rounds:proposal_answer", args=[proposal.uuid]), answer_data(proposal, "accept")
    )
    assert response.status_code == status
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


SECRET = "Forslag-om-deltid-6620"
ANSWER = "Svar-om-deltid-3318"


@pytest.mark.parametrize("persona", Org.PERSONAS)
def test_a_proposal_and_its_answer_reach_only_the_proposer_and_the_units_leader(
    org: Org, opened: Mus, persona: str
) -> None:
    proposal = topic_propose(viewer=as_(org, "employee"), unit_round=opened.unit_round, text=SECRET)
    proposal_answer(viewer=as_(org, "leader"), proposal=proposal, accept=False, answer=ANSWER)
    client = org.client(persona)
    known: dict[str, tuple[str, bool]] = {}  # each page fetched once over the two crawls
    pages = {**crawl(client, start=page_url(opened), limit=60, known=known), **crawl(client, limit=60, known=known)}
    leaks = [url for url, text in pages.items() if SECRET in text or ANSWER in text]
    if persona in ("employee", "leader"):
        assert leaks, f"{persona} should find the proposal"
    else:
        assert not leaks, f"{persona} saw the proposal on {leaks}"
