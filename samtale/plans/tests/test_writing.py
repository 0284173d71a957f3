"""Writing the plan (docs/domain.md § The plan): the plan starts with the held conversation, only
the employee writes it and only while it may change, a save that crossed another is refused and
loses nothing, the content is validated and normalised, the follow-up is at most the concept's
months after the conversation, the leader comments, the employee shares it, every write and every
read by someone else is audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from samtale.access.plan_policies import may_view_plan
from samtale.audit.models import AuditEvent
from samtale.conversations.models import Conversation, ConversationStatus, OpenItem
from samtale.conversations.services import meeting
from samtale.plans.content import ContentError, plan_completeness_errors
from samtale.plans.models import ActivityType, Plan, PlanComment, PlanStatus, PlanVersion
from samtale.plans.services import writing
from samtale.testing import Mus, Org
from samtale.testing.plans import as_, follow_up_week, held_plan, raw, topic, version_of


def save(org: Org, plan: Plan, content: dict[str, Any] | None = None, *, follow_up: str = "", **kw: Any) -> PlanVersion:
    version = version_of(plan)
    return writing.plan_save(
        viewer=as_(org, kw.pop("persona", "employee")),
        version=version,
        content=content if content is not None else raw(),
        follow_up=follow_up,
        revision=kw.pop("revision", version.revision),
    )


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


# The plan starts with the outcome --------------------------------------------------------------


def test_marking_the_conversation_held_starts_the_plan_with_an_empty_draft(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    today = timezone.localdate()
    assert plan.due_on == today + timedelta(days=mus.concept.plan_due_days)
    assert plan.status == PlanStatus.DRAFT
    assert plan.employee_id == org.employee.pk
    version = version_of(plan)
    assert (version.number, version.status, version.revision) == (1, PlanStatus.DRAFT, 0)
    assert version.content == {"focus_areas": [], "follow_up_topics": [], "goals": []}


def test_correcting_the_date_moves_the_due_date(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    earlier = timezone.localdate() - timedelta(days=0)
    meeting.conversation_mark_held(viewer=as_(org, "leader"), conversation=mus.conversation, held_on=earlier)
    assert Plan.objects.count() == 1
    assert Plan.objects.get(pk=plan.pk).due_on == earlier + timedelta(days=mus.concept.plan_due_days)


@pytest.mark.parametrize("correction", ["not_held", "clear"])
def test_the_outcome_may_be_corrected_before_the_plan_is_started_and_the_empty_plan_goes(
    org: Org, mus: Mus, correction: str
) -> None:
    held_plan(org, mus)
    leader = as_(org, "leader")
    if correction == "not_held":
        meeting.conversation_mark_not_held(viewer=leader, conversation=mus.conversation, reason="declined")
    else:
        meeting.conversation_outcome_clear(viewer=leader, conversation=mus.conversation)
    assert not Plan.objects.exists()
    assert not PlanVersion.objects.exists()
    # Marked held again, the plan starts again.
    meeting.conversation_mark_held(viewer=leader, conversation=mus.conversation, held_on=timezone.localdate())
    assert Plan.objects.filter(conversation=mus.conversation).count() == 1


def test_once_the_employee_has_saved_the_plan_the_outcome_can_no_longer_be_corrected(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    assert meeting.outcome_may_be_corrected(mus.conversation)
    save(org, plan)
    assert not meeting.outcome_may_be_corrected(mus.conversation)
    leader = as_(org, "leader")
    with pytest.raises(ValidationError, match="plan has been started"):
        meeting.conversation_mark_not_held(viewer=leader, conversation=mus.conversation, reason="declined")
    with pytest.raises(ValidationError, match="plan has been started"):
        meeting.conversation_outcome_clear(viewer=leader, conversation=mus.conversation)
    with pytest.raises(ValidationError, match="plan has been started"):
        meeting.conversation_mark_held(viewer=leader, conversation=mus.conversation, held_on=timezone.localdate())
    assert Conversation.objects.get(pk=mus.conversation.pk).status == ConversationStatus.HELD
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_no_plan_for_a_conversation_not_held(org: Org, mus: Mus) -> None:
    meeting.conversation_mark_not_held(viewer=as_(org, "leader"), conversation=mus.conversation, reason="declined")
    assert not Plan.objects.exists()


# Who writes, and when --------------------------------------------------------------------------


def test_the_employee_saves_the_plan_and_it_is_audited(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    version = save(org, plan, follow_up=f"uge {follow_up_week()}")
    assert version.revision == 1
    assert version.updated_by_id == org.employee.pk
    assert version.content["focus_areas"][0]["text"] == "Mere ansvar for lønkørslen"
    assert version.content["goals"][0]["activities"][0]["type"] == "peer_training"
    event = AuditEvent.objects.get(action="plans.plan_saved")
    assert (event.actor_id, event.subject_person_id) == (org.employee.user_id, org.employee.pk)
    assert "lønkørslen" not in str(event.data)


@pytest.mark.parametrize(
    "persona", ["leader", "head", "director", "daily_leader", "union_rep", "hr", "former_leader", "outsider"]
)
def test_nobody_but_the_employee_writes_the_plan(org: Org, mus: Mus, persona: str) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(PermissionDenied):
        save(org, plan, persona=persona)
    assert version_of(plan).revision == 0


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.SIGNED])
def test_a_submitted_or_signed_version_is_not_changed(org: Org, mus: Mus, status: str) -> None:
    plan = held_plan(org, mus)
    PlanVersion.objects.filter(plan=plan).update(status=status)
    with pytest.raises(ValidationError) as excinfo:
        save(org, plan)
    assert "signed" in str(excinfo.value) or "handed" in str(excinfo.value)
    assert version_of(plan).revision == 0


def test_a_version_with_a_signature_is_frozen_whatever_its_status(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    PlanVersion.objects.filter(plan=plan).update(content_hash="a" * 64)
    with pytest.raises(ValidationError, match="signed and can no longer be changed"):
        save(org, plan)


def test_changes_asked_for_may_be_saved(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    PlanVersion.objects.filter(plan=plan).update(status=PlanStatus.CHANGES_ASKED)
    assert save(org, plan).revision == 1


def test_two_saves_from_the_same_revision_the_later_is_told_and_the_first_is_kept(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    first, second = version_of(plan), version_of(plan)
    employee = as_(org, "employee")
    writing.plan_save(viewer=employee, version=first, content=raw(goal="Først"), follow_up="", revision=0)
    with pytest.raises(writing.PlanConflict) as excinfo:
        writing.plan_save(viewer=employee, version=second, content=raw(goal="Bagefter"), follow_up="", revision=0)
    assert excinfo.value.stored.content["goals"][0]["text"] == "Først"
    stored = version_of(plan)
    assert (stored.revision, stored.content["goals"][0]["text"]) == (1, "Først")
    assert AuditEvent.objects.filter(action="plans.plan_saved").count() == 1
    # Told, the writer saves again from the stored revision and wins.
    writing.plan_save(viewer=employee, version=second, content=raw(goal="Bagefter"), follow_up="", revision=1)
    assert version_of(plan).content["goals"][0]["text"] == "Bagefter"


# The content ----------------------------------------------------------------------------------


def test_items_keep_their_ids_across_saves_and_new_items_get_one(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    content = save(org, plan).content
    ids = (content["focus_areas"][0]["id"], content["goals"][0]["id"], content["goals"][0]["activities"][0]["id"])
    assert all(len(i) == 32 for i in ids)
    again = raw()
    again["focus_areas"][0]["id"] = ids[0]
    again["goals"][0]["id"] = ids[1]
    again["goals"][0]["activities"][0]["id"] = ids[2]
    again["focus_areas"].append({"prefix": "fa-1", "id": "<script>", "text": "Ny", "must_improve": False})
    content = save(org, plan, again).content
    assert content["focus_areas"][0]["id"] == ids[0]
    assert content["goals"][0]["id"] == ids[1]
    assert content["goals"][0]["activities"][0]["id"] == ids[2]
    assert len(content["focus_areas"][1]["id"]) == 32 and content["focus_areas"][1]["id"] not in ids


def test_a_focus_area_that_must_improve_is_marked(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    content = save(org, plan, raw(focus="Mødestabilitet", must_improve=True)).content
    assert content["focus_areas"][0] == {
        "id": content["focus_areas"][0]["id"],
        "text": "Mødestabilitet",
        "must_improve": True,
    }


def test_empty_rows_are_left_out(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    content = raw()
    content["focus_areas"].append({"prefix": "fa-1", "id": "", "text": "  ", "must_improve": False})
    content["goals"][0]["activities"].append({"prefix": "goal-0-act-1", "type": "", "text": "", "from": "", "to": ""})
    stored = save(org, plan, content).content
    assert len(stored["focus_areas"]) == 1
    assert len(stored["goals"][0]["activities"]) == 1


@pytest.mark.parametrize(
    ("field", "limit"),
    [("focus", 2000), ("goal", 1000), ("measure", 1000), ("starts", 200)],
)
def test_texts_have_limits(org: Org, mus: Mus, field: str, limit: int) -> None:
    plan = held_plan(org, mus)
    key = {"focus": "fa-0-text", "goal": "goal-0-text", "measure": "goal-0-measure", "starts": "goal-0-act-0-starts"}
    with pytest.raises(ContentError) as excinfo:
        save(org, plan, raw(**{field: "x" * (limit + 1)}))
    assert errors_of(excinfo) == {key[field]: [f"Write at most {limit} characters."]}
    assert save(org, plan, raw(**{field: "x" * limit})).revision == 1


def test_a_topic_names_who_is_responsible(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(ContentError) as excinfo:
        save(org, plan, raw(topics=[topic(responsible="other")]))
    assert "topic-0-responsible_name" in errors_of(excinfo)
    with pytest.raises(ContentError) as excinfo:
        save(org, plan, raw(topics=[topic(responsible="the cat")]))
    assert "topic-0-responsible" in errors_of(excinfo)
    content = save(org, plan, raw(topics=[topic(responsible="other", responsible_name="HR", by="1.3.2027")])).content
    assert content["follow_up_topics"][0]["responsible_name"] == "HR"
    assert content["follow_up_topics"][0]["by"] == "2027-03-01"
    # The name is only kept for "someone else".
    content = save(org, plan, raw(topics=[topic(responsible="leader", responsible_name="HR")])).content
    assert content["follow_up_topics"][0]["responsible_name"] == ""


def _activity(content: dict[str, Any]) -> dict[str, Any]:
    return content["goals"][0]["activities"][0]


def _year_of_week(week: int) -> int:
    """The year "uge N" means in a conversation held today: the first such week from today."""
    iso = timezone.localdate().isocalendar()
    return iso.year if week >= iso.week else iso.year + 1


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("uge 10–16", "", ("W10", "W16")),
        ("uge 10-16", "", ("W10", "W16")),
        ("Uge 10", "uge 16", ("W10", "W16")),
        ("week 10", "", ("W10", "")),
    ],
)
def test_danish_weeks_become_iso_weeks(org: Org, mus: Mus, start: str, end: str, expected: tuple[str, str]) -> None:
    plan = held_plan(org, mus)
    activity = _activity(save(org, plan, raw(start=start, end=end)).content)
    year = _year_of_week(10)
    assert (activity["from"], activity["to"]) == tuple(f"{year}-{week}" if week else "" for week in expected)


def test_dates_and_iso_weeks_are_kept_in_their_stored_form(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    activity = _activity(save(org, plan, raw(start="1.3.2027", end="2027-W20")).content)
    assert (activity["from"], activity["to"]) == ("2027-03-01", "2027-W20")


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("snart", "", "goal-0-act-0-from"),
        ("2027-02-30", "", "goal-0-act-0-from"),
        ("uge 54", "", "goal-0-act-0-from"),
        ("2027-W10", "engang", "goal-0-act-0-to"),
    ],
)
def test_a_date_or_week_that_does_not_exist_is_refused(org: Org, mus: Mus, start: str, end: str, field: str) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(ContentError) as excinfo:
        save(org, plan, raw(start=start, end=end))
    assert list(errors_of(excinfo)) == [field]


@pytest.mark.parametrize(
    ("start", "end"), [("2027-05-01", "2027-04-30"), ("uge 16 2030", "uge 10 2030"), ("2027-W16", "2027-04-01")]
)
def test_a_range_that_ends_before_it_starts_is_refused(org: Org, mus: Mus, start: str, end: str) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(ContentError) as excinfo:
        save(org, plan, raw(start=start, end=end))
    assert errors_of(excinfo) == {"goal-0-act-0-to": ["The end is before the start."]}


@pytest.mark.parametrize(("start", "end"), [("uge 52", "uge 2"), ("uge 52–2", ""), ("uge 16", "uge 10")])
def test_weeks_in_two_fields_read_as_in_one_the_end_on_or_after_the_start(
    org: Org, mus: Mus, start: str, end: str
) -> None:
    """Whatever week the conversation is held in (in week 12, "uge 10" is next year's)."""
    plan = held_plan(org, mus)
    activity = _activity(save(org, plan, raw(start=start, end=end)).content)
    first, last = activity["from"], activity["to"]
    assert first < last and int(last[:4]) == int(first[:4]) + 1, (first, last)


def test_a_range_ending_in_the_week_it_starts_is_fine(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    # Wednesday of week 10 to the same week: the week ends after the date.
    assert save(org, plan, raw(start="2027-03-10", end="2027-W10")).revision == 1


def test_the_activity_type_comes_from_the_active_catalogue(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(ContentError) as excinfo:
        save(org, plan, raw(activity_type="yoga"))
    assert errors_of(excinfo) == {"goal-0-act-0-type": ["Choose a type from the list."]}
    own = ActivityType.objects.create(name="Jobrotation")
    assert _activity(save(org, plan, raw(activity_type=own.uuid.hex)).content)["type"] == own.uuid.hex
    # Withdrawn by HR: a plan that has it keeps it, a plan that has not cannot choose it.
    ActivityType.objects.filter(pk=own.pk).update(active=False)
    assert save(org, plan, raw(activity_type=own.uuid.hex)).revision == 2
    ActivityType.objects.filter(key="coaching").update(active=False)
    with pytest.raises(ContentError):
        save(org, plan, raw(activity_type="coaching"))


def test_an_incomplete_draft_is_saved_and_completeness_is_checked_at_submission(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    empty = {"focus_areas": [], "follow_up_topics": [], "goals": []}
    assert save(org, plan, empty).revision == 1
    assert plan_completeness_errors(version_of(plan).content) == [
        "Write at least one focus area for the coming year.",
        "Write at least one development goal.",
    ]
    no_activity = raw()
    no_activity["goals"][0]["activities"] = []
    save(org, plan, no_activity)
    assert plan_completeness_errors(version_of(plan).content) == ["Goal 1 has no activity."]
    save(org, plan, raw(activity_type=""))
    assert plan_completeness_errors(version_of(plan).content) == ["Activity 1 of goal 1 has no type."]
    save(org, plan, raw(goal="", measure="Målbart"))
    assert plan_completeness_errors(version_of(plan).content) == ["Goal 1 has no text."]
    save(org, plan, raw())
    assert plan_completeness_errors(version_of(plan).content) == []
    # The version also needs its follow-up date.
    assert writing.version_completeness_errors(version_of(plan)) == [
        "Give the date or week of the follow-up conversation."
    ]
    save(org, plan, raw(), follow_up=f"uge {follow_up_week()}")
    assert writing.version_completeness_errors(version_of(plan)) == []


# The follow-up conversation -------------------------------------------------------------------


def test_the_follow_up_is_a_date_or_a_week_within_the_concepts_months(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    held_on = timezone.localdate()
    last = writing.add_months(held_on, mus.concept.follow_up_within_months)
    version = save(org, plan, follow_up=last.isoformat())
    assert (version.follow_up_on, version.follow_up_week) == (last, "")
    week = (
        f"{(held_on + timedelta(days=30)).isocalendar().year}-W{(held_on + timedelta(days=30)).isocalendar().week:02d}"
    )
    version = save(org, plan, follow_up=week)
    assert (version.follow_up_on, version.follow_up_week) == (None, week)
    version = save(org, plan, follow_up="")
    assert (version.follow_up_on, version.follow_up_week) == (None, "")


def test_a_later_follow_up_is_refused_naming_the_last_day_and_week(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    last = writing.add_months(timezone.localdate(), mus.concept.follow_up_within_months)
    with pytest.raises(ValidationError) as excinfo:
        save(org, plan, follow_up=(last + timedelta(days=1)).isoformat())
    [message] = errors_of(excinfo)["follow_up"]
    assert f"at most {mus.concept.follow_up_within_months} months" in message
    assert last.strftime("%d.%m.%Y") in message
    from samtale.lib import isoweek

    last_week = isoweek.last_whole_week_by(last)
    assert f"week {isoweek.week_number(last_week)}" in message
    # A week that runs past the last day is refused too; the last whole week is accepted.
    late_week = isoweek.week_of(last + timedelta(days=7))
    with pytest.raises(ValidationError):
        save(org, plan, follow_up=late_week)
    assert save(org, plan, follow_up=last_week).follow_up_week == last_week
    assert version_of(plan).revision == 1


def test_the_concepts_number_of_months_counts(org: Org, mus: Mus) -> None:
    mus.concept.follow_up_within_months = 3
    mus.concept.save(update_fields=["follow_up_within_months"])
    plan = held_plan(org, mus)
    four_months = writing.add_months(timezone.localdate(), 4)
    with pytest.raises(ValidationError, match="at most 3 months"):
        save(org, plan, follow_up=four_months.isoformat())


def test_a_follow_up_before_the_conversation_is_refused(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(ValidationError, match="before the conversation"):
        save(org, plan, follow_up=(timezone.localdate() - timedelta(days=1)).isoformat())


def test_add_months_keeps_to_the_months_last_day() -> None:
    assert writing.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert writing.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert writing.add_months(date(2026, 11, 23), 6) == date(2027, 5, 23)


# Quality hints ---------------------------------------------------------------------------------


def test_quality_hints_point_at_what_makes_a_plan_weak(org: Org, mus: Mus) -> None:
    good = writing.plan_quality_hints(held_plan(org, mus) and _content(raw()))
    assert good == []
    hints = writing.plan_quality_hints(_content(raw(measure="", starts="", start="")))
    assert hints == [
        "Goal 1 does not say what will be true when it is reached. A measurable outcome makes the follow-up easier.",
        "Activity 1 of goal 1 does not say who starts it.",
        "Activity 1 of goal 1 has no date or week.",
    ]
    courses = writing.plan_quality_hints(_content(raw(activity_type="professional_courses")))
    assert len(courses) == 1 and "All the activities are courses" in courses[0]
    # A course type of HR's own counts as a course.
    own = ActivityType.objects.create(name="E-læring", is_course=True)
    assert writing.plan_quality_hints(_content(raw(activity_type=own.uuid.hex))) == courses


def _content(content: dict[str, Any]) -> dict[str, Any]:
    from samtale.plans.content import activity_type_ref, normalise_content

    types = {activity_type_ref(t) for t in ActivityType.objects.all()}
    return normalise_content(content, reference=timezone.localdate(), active_types=types)


# Comments --------------------------------------------------------------------------------------


def test_the_leader_comments_and_the_employee_is_told_by_a_link(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    mail.outbox.clear()
    comment = writing.plan_comment_add(viewer=as_(org, "leader"), version=version_of(plan), text="Tilføj en dato")
    assert (comment.author_id, comment.text) == (org.leader.pk, "Tilføj en dato")
    assert AuditEvent.objects.filter(action="plans.comment_added", subject_person_id=org.employee.pk).exists()
    [message] = [m for m in mail.outbox if m.to == [org.employee.email]]
    assert "Tilføj en dato" not in message.body
    assert f"/plans/{plan.uuid}/" in message.body


@pytest.mark.parametrize("persona", ["employee", "head", "director", "daily_leader", "hr"])
def test_only_the_leader_comments(org: Org, mus: Mus, persona: str) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(PermissionDenied):
        writing.plan_comment_add(viewer=as_(org, persona), version=version_of(plan), text="Hej")
    assert not PlanComment.objects.exists()


def test_an_empty_comment_and_a_comment_on_a_signed_version_are_refused(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    leader = as_(org, "leader")
    with pytest.raises(ValidationError):
        writing.plan_comment_add(viewer=leader, version=version_of(plan), text="   ")
    PlanVersion.objects.filter(plan=plan).update(content_hash="b" * 64)
    with pytest.raises(ValidationError, match="signed"):
        writing.plan_comment_add(viewer=leader, version=version_of(plan), text="Hej")
    assert not PlanComment.objects.exists()


# Open items ------------------------------------------------------------------------------------


def test_open_items_block_until_answered_and_the_employee_is_told(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    leader = as_(org, "leader")
    item = meeting.open_item_add(
        viewer=leader,
        conversation=mus.conversation,
        text="Budget til kursus",
        responsible="Lise",
        deadline=timezone.localdate() + timedelta(days=7),
    )
    assert writing.open_items_blocking(plan) == [item]
    mail.outbox.clear()
    meeting.open_item_answer(viewer=leader, item=item, answer="Ja, 10.000 kr.")
    assert writing.open_items_blocking(plan) == []
    [message] = [m for m in mail.outbox if m.to == [org.employee.email]]
    assert "10.000" not in message.body and "Budget" not in message.body
    assert f"/plans/{plan.uuid}/" in message.body
    # Saving the same answer again tells nobody twice.
    mail.outbox.clear()
    meeting.open_item_answer(viewer=leader, item=OpenItem.objects.get(pk=item.pk), answer="Ja, 10.000 kr.")
    assert mail.outbox == []


def test_the_employee_answering_an_item_is_not_told_about_it(org: Org, mus: Mus) -> None:
    held_plan(org, mus)
    item = meeting.open_item_add(
        viewer=as_(org, "leader"),
        conversation=mus.conversation,
        text="Rotation",
        responsible="Emil",
        deadline=timezone.localdate() + timedelta(days=7),
    )
    mail.outbox.clear()
    meeting.open_item_answer(viewer=as_(org, "employee"), item=item, answer="Afklaret")
    assert mail.outbox == []


# Sharing and reading ---------------------------------------------------------------------------


@pytest.mark.parametrize(("recipient", "persona"), [("daily_leader", "daily_leader"), ("union_rep", "union_rep")])
def test_the_employee_shares_the_plan_and_takes_it_back(org: Org, mus: Mus, recipient: str, persona: str) -> None:
    plan = held_plan(org, mus)
    employee = as_(org, "employee")
    assert not may_view_plan(as_(org, persona), plan)
    writing.plan_share(viewer=employee, plan=plan, recipient=recipient, share=True)  # type: ignore[arg-type]
    writing.plan_share(viewer=employee, plan=plan, recipient=recipient, share=True)  # type: ignore[arg-type]
    plan.refresh_from_db()
    assert may_view_plan(as_(org, persona), plan)
    assert AuditEvent.objects.filter(action="plans.plan_shared", data={"with": recipient}).count() == 1
    writing.plan_share(viewer=employee, plan=plan, recipient=recipient, share=False)  # type: ignore[arg-type]
    plan.refresh_from_db()
    assert not may_view_plan(as_(org, persona), plan)
    assert AuditEvent.objects.filter(action="plans.plan_unshared").count() == 1


@pytest.mark.parametrize("persona", ["leader", "head", "daily_leader", "hr"])
def test_only_the_employee_shares(org: Org, mus: Mus, persona: str) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(PermissionDenied):
        writing.plan_share(viewer=as_(org, persona), plan=plan, recipient="daily_leader", share=True)


def test_no_daily_leader_no_share(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    org.employee.daily_leader = None
    org.employee.save(update_fields=["daily_leader"])
    plan = Plan.objects.select_related("employee").get(pk=plan.pk)
    with pytest.raises(ValidationError):
        writing.plan_share(viewer=as_(org, "employee"), plan=plan, recipient="daily_leader", share=True)


def test_reading_the_plan_is_audited_for_everyone_but_the_employee(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    writing.plan_read_record(viewer=as_(org, "employee"), plan=plan)
    assert not AuditEvent.objects.filter(action="plans.plan_read").exists()
    for persona in ("leader", "head"):
        writing.plan_read_record(viewer=as_(org, persona), plan=plan)
    events = AuditEvent.objects.filter(action="plans.plan_read").order_by("id")
    assert [e.actor_id for e in events] == [org.leader.user_id, org.head.user_id]
    assert {e.subject_person_id for e in events} == {org.employee.pk}


# The activity catalogue ------------------------------------------------------------------------


def test_hr_extends_the_catalogue(org: Org) -> None:
    hr = as_(org, "hr")
    own = writing.activity_type_add(viewer=hr, name=" Job  rotation ", is_course=False)
    assert (own.name, own.active, own.key) == ("Job rotation", True, None)
    writing.activity_type_change(viewer=hr, activity_type=own, name="Jobrotation")
    assert ActivityType.objects.get(pk=own.pk).name == "Jobrotation"
    with pytest.raises(ValidationError, match="already"):
        writing.activity_type_add(viewer=hr, name="jobrotation", is_course=False)
    with pytest.raises(ValidationError, match="already"):
        writing.activity_type_add(viewer=hr, name="Coaching", is_course=False)
    built_in = ActivityType.objects.get(key="coaching")
    with pytest.raises(ValidationError, match="cannot be renamed"):
        writing.activity_type_change(viewer=hr, activity_type=built_in, name="Sparring")
    writing.activity_type_change(viewer=hr, activity_type=built_in, active=False)
    assert not ActivityType.objects.get(pk=built_in.pk).active
    assert AuditEvent.objects.filter(action__startswith="plans.activity_type").count() == 3


@pytest.mark.parametrize("persona", ["regional_hr", "leader", "director", "employee"])
def test_only_hr_for_the_whole_organisation_changes_the_catalogue(org: Org, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        writing.activity_type_add(viewer=as_(org, persona), name="Yoga", is_course=False)
    with pytest.raises(PermissionDenied):
        writing.activity_type_change(
            viewer=as_(org, persona), activity_type=ActivityType.objects.get(key="coaching"), active=False
        )


# Two saves at once ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_one_wins_and_the_other_is_told() -> None:
    """Two tabs of the employee saving from the same revision at the same instant, each on its own
    database connection: exactly one save is stored, the other is told
    (docs/trust.md § No lost update, on SQLite and PostgreSQL)."""
    import threading

    from django.db import connection

    from samtale.testing import build_org, build_round

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        # Shared-cache in-memory SQLite refuses a second writer instead of queueing it; with a
        # database file (SAMTALE_TEST_DB_NAME) or PostgreSQL the test runs.
        pytest.skip("two connections writing at once need a database file or a server")
    org = build_org()
    plan = held_plan(org, build_round(org))
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def save_as(goal: str) -> None:
        try:
            start.wait()
            version = version_of(
                Plan.objects.select_related("conversation__round__concept", "employee").get(pk=plan.pk)
            )
            writing.plan_save(
                viewer=as_(org, "employee"), version=version, content=raw(goal=goal), follow_up="", revision=0
            )
            outcomes.append("saved")
        except writing.PlanConflict:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=save_as, args=(goal,)) for goal in ("Den ene", "Den anden")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["saved", "told"]
    version = version_of(plan)
    assert version.revision == 1
    assert version.content["goals"][0]["text"] in ("Den ene", "Den anden")
    assert AuditEvent.objects.filter(action="plans.plan_saved").count() == 1


def test_the_content_and_the_follow_up_are_told_at_once(org: Org, mus: Mus) -> None:
    plan = held_plan(org, mus)
    with pytest.raises(ValidationError) as excinfo:
        save(org, plan, raw(start="snart"), follow_up="aldrig")
    assert set(errors_of(excinfo)) == {"goal-0-act-0-from", "follow_up"}
