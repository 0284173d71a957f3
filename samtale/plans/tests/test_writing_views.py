"""The plan's pages: the employee's form (rows added and removed without JavaScript, errors tied
to their fields, the crossed save shown with both texts), the plan page for each reader, the
leader's comment form, sharing, the links to the plan, HR's catalogue, and query counts that do
not grow with the plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation, DailyLeaderStatus
from samtale.conversations.services import meeting
from samtale.plans.models import ActivityType, Plan, PlanComment
from samtale.plans.services import writing
from samtale.testing import Mus, Org
from samtale.testing.plans import as_, follow_up_week, held_plan, post_data, raw, version_of


def english(org: Org, *personas: str) -> None:
    """Tests that read our words read them in English (the Danish catalogue is the lead's)."""
    for persona in personas:
        user = org.user(persona)
        user.language = "en"
        user.save(update_fields=["language"])


def edit_url(plan: Plan) -> str:
    return reverse("plans:edit", args=[plan.uuid])


def detail_url(plan: Plan) -> str:
    return reverse("plans:detail", args=[plan.uuid])


@pytest.fixture
def plan(org: Org, mus: Mus) -> Plan:
    english(org, "employee", "leader", "hr", "head", "daily_leader")
    return held_plan(org, mus)


def test_the_employee_writes_the_plan_through_the_form(org: Org, plan: Plan) -> None:
    client = org.client("employee")
    page = client.get(edit_url(plan))
    assert page.status_code == 200
    html = page.content.decode()
    # One empty row in each required part, ready to fill in.
    for field in ("fa-0-text", "goal-0-text", "goal-0-measure", "goal-0-act-0-type", "goal-0-act-0-from", "follow_up"):
        assert f'id="{field}"' in html
        assert f'for="{field}"' in html
    response = client.post(edit_url(plan), post_data(raw(), follow_up=f"uge {follow_up_week()}", revision=0))
    assert response.status_code == 302
    version = version_of(plan)
    assert version.revision == 1
    assert version.content["goals"][0]["text"] == "Kan køre lønnen alene"
    assert version.follow_up_week.endswith(f"-W{follow_up_week():02d}")


def test_adding_a_goal_without_javascript_keeps_the_text_and_saves_nothing(org: Org, plan: Plan) -> None:
    client = org.client("employee")
    response = client.post(edit_url(plan), {**post_data(raw(), revision=0), "row_add": "goal"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="goal-1-text"' in html and 'id="goal-1-act-0-type"' in html
    assert "Kan køre lønnen alene" in html
    assert "autofocus" in html.split('id="goal-1-text"')[1].split(">")[0]
    assert version_of(plan).revision == 0
    response = client.post(edit_url(plan), {**post_data(raw(), revision=0), "row_add": "goal-0-act"})
    assert 'id="goal-0-act-1-type"' in response.content.decode()
    response = client.post(edit_url(plan), {**post_data(raw(), revision=0), "row_add": "topic"})
    assert 'id="topic-0-responsible"' in response.content.decode()


def test_removing_a_row_without_javascript(org: Org, plan: Plan) -> None:
    client = org.client("employee")
    response = client.post(edit_url(plan), {**post_data(raw(), revision=0), "row_remove": "goal-0-act-0"})
    html = response.content.decode()
    assert 'id="goal-0-act-0-type"' not in html
    assert 'id="goal-0-text"' in html
    response = client.post(edit_url(plan), {**post_data(raw(), revision=0), "row_remove": "goal-0"})
    assert 'id="goal-0-text"' not in response.content.decode()
    assert version_of(plan).revision == 0


def test_an_error_is_tied_to_its_field_and_listed_in_the_summary(org: Org, plan: Plan) -> None:
    response = org.client("employee").post(edit_url(plan), post_data(raw(start="2027-05-01", end="2027-04-01")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Error:" in html
    assert '<a href="#goal-0-act-0-to">Goal 1, activity 1: When: to: The end is before the start.</a>' in html
    field = html.split('<input type="text" class="form-input" id="goal-0-act-0-to"')[1].split(">")[0]
    assert 'aria-invalid="true"' in field and "goal-0-act-0-to-error" in field
    assert version_of(plan).revision == 0


def test_a_follow_up_too_late_is_told_on_the_form(org: Org, plan: Plan, mus: Mus) -> None:
    late = writing.add_months(timezone.localdate(), mus.concept.follow_up_within_months) + timedelta(days=1)
    response = org.client("employee").post(edit_url(plan), post_data(raw(), follow_up=late.isoformat()))
    assert response.status_code == 400
    assert (
        '<a href="#follow_up">The follow-up conversation: The follow-up conversation must be held at most 6 months'
        in (response.content.decode())
    )


def test_a_crossed_save_is_told_and_both_texts_are_on_the_page(org: Org, plan: Plan) -> None:
    client = org.client("employee")
    assert client.post(edit_url(plan), post_data(raw(goal="Fra den anden fane"), revision=0)).status_code == 302
    response = client.post(edit_url(plan), post_data(raw(goal="Fra denne fane"), revision=0))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your changes are not saved yet." in html
    assert "Fra den anden fane" in html and "Fra denne fane" in html
    assert 'name="revision" value="1"' in html
    assert version_of(plan).content["goals"][0]["text"] == "Fra den anden fane"
    # Saving again from the page wins, having seen the other text.
    assert client.post(edit_url(plan), post_data(raw(goal="Flettet"), revision=1)).status_code == 302
    assert version_of(plan).content["goals"][0]["text"] == "Flettet"


def test_the_form_shows_the_minutes_comments_open_items_and_hints(org: Org, plan: Plan, mus: Mus) -> None:
    leader = as_(org, "leader")
    meeting.minutes_save(viewer=leader, conversation=mus.conversation, notes={"goals": "Noter om målene"}, version=0)
    meeting.open_item_add(
        viewer=leader,
        conversation=mus.conversation,
        text="Budget til kursus",
        responsible="Lise",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    writing.plan_comment_add(viewer=leader, version=version_of(plan), text="Skriv hvornår")
    writing.plan_save(
        viewer=as_(org, "employee"), version=version_of(plan), content=raw(measure=""), follow_up="", revision=0
    )
    html = org.client("employee").get(edit_url(plan)).content.decode()
    assert "Notes from the conversation" in html
    assert "Budget til kursus" in html and "Not answered yet" in html
    assert "Skriv hvornår" in html
    assert "does not say what will be true when it is reached" in html


def test_the_plan_page_for_the_employee(org: Org, plan: Plan) -> None:
    writing.plan_save(viewer=as_(org, "employee"), version=version_of(plan), content=raw(), follow_up="", revision=0)
    html = org.client("employee").get(detail_url(plan)).content.decode()
    assert "Development plan for Emil Ærø" in html
    assert "Continue writing the plan" in html
    assert "Kan køre lønnen alene" in html and "Peer training" in html
    assert "Share with your daily leader" in html
    assert 'name="text"' not in html  # no comment form for the employee
    assert not AuditEvent.objects.filter(action="plans.plan_read").exists()


def test_the_leader_reads_the_plan_comments_and_the_read_is_audited(org: Org, plan: Plan) -> None:
    client = org.client("leader")
    html = client.get(detail_url(plan)).content.decode()
    assert 'name="text"' in html and "Write the plan" not in html and "Share with" not in html
    assert AuditEvent.objects.filter(action="plans.plan_read", actor_id=org.leader.user_id).count() == 1
    response = client.post(reverse("plans:comment_add", args=[plan.uuid]), {"text": "Husk en dato"})
    assert response.status_code == 302
    assert PlanComment.objects.get().text == "Husk en dato"
    response = client.post(reverse("plans:comment_add", args=[plan.uuid]), {"text": ""})
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()


def test_the_chain_reads_the_plan_without_comments_or_open_items(org: Org, plan: Plan) -> None:
    writing.plan_comment_add(viewer=as_(org, "leader"), version=version_of(plan), text="Kun til Emil")
    html = org.client("head").get(detail_url(plan)).content.decode()
    assert "Development plan for Emil Ærø" in html
    assert "Kun til Emil" not in html and 'name="text"' not in html


def test_sharing_through_the_page(org: Org, plan: Plan) -> None:
    assert org.client("daily_leader").get(detail_url(plan)).status_code == 404
    response = org.client("employee").post(
        reverse("plans:share", args=[plan.uuid]), {"recipient": "daily_leader", "share": "1"}
    )
    assert response.status_code == 302
    assert org.client("daily_leader").get(detail_url(plan)).status_code == 200
    org.client("employee").post(reverse("plans:share", args=[plan.uuid]), {"recipient": "daily_leader", "share": "0"})
    assert org.client("daily_leader").get(detail_url(plan)).status_code == 404


def test_a_version_that_may_not_change_sends_the_employee_to_the_plan(org: Org, plan: Plan) -> None:
    version_of(plan).__class__.objects.filter(plan=plan).update(status="submitted")
    response = org.client("employee").get(edit_url(plan))
    assert response.status_code == 302 and response.url == detail_url(plan)
    # Posted from a form opened before the plan was handed in: refused, and the text is still there.
    response = org.client("employee").post(edit_url(plan), post_data(raw(goal="Skrevet i en gammel fane")))
    assert response.status_code == 400
    html = response.content.decode()
    assert "cannot be changed unless your leader asks for changes" in html
    assert "Skrevet i en gammel fane" in html
    assert version_of(plan).revision == 0


def test_the_plan_is_linked_from_the_conversation_home_and_team(org: Org, plan: Plan, mus: Mus) -> None:
    url = detail_url(plan)
    conversation = reverse("conversations:detail", args=[mus.conversation.uuid])
    assert url in org.client("employee").get(conversation).content.decode()
    assert url in org.client("leader").get(conversation).content.decode()
    assert url in org.client("employee").get(reverse("dashboards:home")).content.decode()
    assert url in org.client("leader").get(reverse("dashboards:team")).content.decode()
    # A daily leader invited to the conversation sees no link to a plan not shared with them.
    Conversation.objects.filter(pk=mus.conversation.pk).update(
        daily_leader=org.daily_leader, daily_leader_status=DailyLeaderStatus.AGREED
    )
    page = org.client("daily_leader").get(conversation)
    assert page.status_code == 200 and url not in page.content.decode()
    writing.plan_share(viewer=as_(org, "employee"), plan=plan, recipient="daily_leader", share=True)
    assert url in org.client("daily_leader").get(conversation).content.decode()


def test_hr_extends_the_catalogue_from_the_rounds_area(org: Org, plan: Plan) -> None:
    client = org.client("hr")
    url = reverse("plans:activity_types")
    assert url in client.get(reverse("rounds:list")).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Peer training" in page.content.decode()
    assert client.post(url, {"name": "Jobrotation", "is_course": ""}).status_code == 302
    own = ActivityType.objects.get(name="Jobrotation")
    assert client.post(url, {"name": "jobrotation"}).status_code == 400
    change = reverse("plans:activity_type_change", args=[own.uuid])
    client.post(change, {"action": "rename", "name": "Rotation"})
    client.post(change, {"action": "withdraw"})
    own.refresh_from_db()
    assert (own.name, own.active) == ("Rotation", False)
    built_in = ActivityType.objects.get(key="coaching")
    client.post(reverse("plans:activity_type_change", args=[built_in.uuid]), {"action": "rename", "name": "X"})
    built_in.refresh_from_db()
    assert built_in.name == ""


# Query counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "page"), [("employee", "detail"), ("leader", "detail"), ("employee", "edit")])
def test_the_plan_pages_keep_a_constant_number_of_queries(org: Org, mus: Mus, persona: str, page: str) -> None:
    english(org, "employee", "leader")
    plan = held_plan(org, mus)
    client = org.client(persona)
    url = reverse(f"plans:{page}", args=[plan.uuid])
    counts = []
    for size in (1, 12):
        grow(org, mus, plan, size)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], f"{page} as {persona}: {counts}"


def grow(org: Org, mus: Mus, plan: Plan, size: int) -> None:
    """The plan grown to ``size`` focus areas and goals of three activities, with ``size`` more
    comments and open items."""
    version = version_of(plan)
    content: dict[str, Any] = raw()
    goal = content["goals"][0]
    content["focus_areas"] = [
        {"prefix": f"fa-{i}", "id": "", "text": f"Fokus {i}", "must_improve": i % 2 == 0} for i in range(size)
    ]
    content["goals"] = [
        {**goal, "prefix": f"goal-{i}", "activities": [{**goal["activities"][0], "prefix": f"goal-{i}-act-0"}] * 3}
        for i in range(size)
    ]
    writing.plan_save(
        viewer=as_(org, "employee"),
        version=version,
        content=content,
        follow_up=f"uge {follow_up_week()}",
        revision=version.revision,
    )
    leader = as_(org, "leader")
    for i in range(size):
        writing.plan_comment_add(viewer=leader, version=version, text=f"Mere {i}")
        meeting.open_item_add(
            viewer=leader,
            conversation=mus.conversation,
            text=f"Mere {i}",
            responsible="Lise",
            deadline=timezone.localdate() + timedelta(days=3),
        )


def test_the_plan_saves_itself_as_it_is_written_and_the_form_learns_the_revision(org: Org, plan: Plan) -> None:
    client, htmx = org.client("employee"), {"HX-Request": "true"}
    answer = client.post(edit_url(plan), {**post_data(raw(), revision=0), "autosave": "1"}, headers=htmx)
    text = answer.content.decode()
    assert answer.status_code == 200 and "Saved at" in text
    assert '<input type="hidden" name="revision" value="1" id="plan-revision" hx-swap-oob="true">' in text
    assert version_of(plan).revision == 1
    # What cannot be saved as written is said, and nothing is saved; the text stays in the form.
    broken = post_data(raw(start="2027-05-01", end="2027-04-01"), revision=1)
    answer = client.post(edit_url(plan), {**broken, "autosave": "1"}, headers=htmx)
    assert "Not saved yet" in answer.content.decode() and version_of(plan).revision == 1
    # A save that crossed another (from revision 0, now 1) is told, and nothing is saved over it.
    answer = client.post(edit_url(plan), {**post_data(raw(), revision=0), "autosave": "1"}, headers=htmx)
    assert "Not saved:" in answer.content.decode() and version_of(plan).revision == 1
    # Without JavaScript the button saves as before; the page asks before it is left unsaved.
    page = client.get(edit_url(plan)).content.decode()
    assert "data-unsaved-warning" in page and 'hx-trigger="input changed delay:2s"' in page
