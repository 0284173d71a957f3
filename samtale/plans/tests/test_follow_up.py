"""Following the plan up (docs/domain.md § Follow-up): progress per goal and activity with its
history, departures with why (the other side told by a link-only e-mail), and the follow-up
conversation called with a calendar invitation at the latest at the agreed date, changed, cancelled
and held, closing the loop with what was reached and what carries over."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import formats, timezone, translation
from icalendar import Calendar

from samtale.access import lookups
from samtale.audit.models import AuditEvent
from samtale.conversations.services.scheduling import ics_uid
from samtale.lib.meetings.time_and_place import TimeAndPlace
from samtale.plans.models import Departure, FollowUp, FollowUpStatus, Plan, Progress
from samtale.plans.services import follow_up, writing
from samtale.testing import Mus, Org, working_day
from samtale.testing.follow_up import ACTIVITY, GOAL, SECOND_GOAL, as_, draft_plan, signed_plan
from samtale.testing.scheduling import calendar_of, english, mails_to

SECRET = "FORTROLIG-NOTE"


@pytest.fixture(autouse=True)
def _english_and_quiet(org: Org, mus: Mus) -> Any:
    english(org.employee, org.leader, org.former_leader, org.head)
    mail.outbox.clear()
    with translation.override("en"):
        yield


def fetch(org: Org, persona: str, plan: Plan) -> Plan:
    """The plan as a page would load it for the persona."""
    return lookups.plan_for_viewer(as_(org, persona), plan.uuid)


def record(org: Org, persona: str, plan: Plan, **values: Any) -> Progress:
    values = {"item": GOAL, "status": "under_way", "note": "", "on": timezone.localdate(), **values}
    return follow_up.progress_record(viewer=as_(org, persona), plan=fetch(org, persona, plan), **values)


def local(days: int, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour)))


def when(days: int = 30, hour: int = 10, **extra: Any) -> TimeAndPlace:
    values = {"duration_minutes": 60, "location": "Mødelokale 3", "online_url": "", **extra}
    return TimeAndPlace(starts_at=local(days, hour), **values)


def call(org: Org, plan: Plan, persona: str = "leader", **kwargs: Any) -> bool:
    return follow_up.follow_up_call(viewer=as_(org, persona), plan=fetch(org, persona, plan), when=when(**kwargs))


def messages_of(error: ValidationError) -> list[str]:
    return [m for ms in error.message_dict.values() for m in ms] if hasattr(error, "error_dict") else error.messages


# Progress ---------------------------------------------------------------------------------------------


def test_both_record_progress_and_the_history_of_each_item_is_kept(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus, held_on=timezone.localdate() - timedelta(days=30))
    record(org, "employee", plan, status="under_way", note="Første lønkørsel med Kåre", on=timezone.localdate())
    record(org, "leader", plan, status="done", note="Kørt alene i marts")
    record(org, "leader", plan, item=ACTIVITY, status="dropped", note="Kåre er gået på orlov")
    history = follow_up.progress_history(plan)
    assert [(p.status, p.recorded_by) for p in history[GOAL]] == [("done", org.leader), ("under_way", org.employee)]
    assert [p.status for p in history[ACTIVITY]] == ["dropped"]
    assert SECOND_GOAL not in history
    event = AuditEvent.objects.filter(action="plans.progress_recorded").latest("id")
    assert SECRET not in str(event.data) and "note" not in event.data


def test_the_same_progress_posted_twice_is_stored_once(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    record(org, "employee", plan, note="Godt i gang")
    record(org, "employee", plan, note="Godt i gang")
    assert Progress.objects.filter(plan=plan).count() == 1


def test_progress_is_refused_on_a_plan_not_signed_by_both(org: Org, mus: Mus) -> None:
    plan = draft_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        record(org, "employee", plan)
    assert "not signed by both of you yet" in messages_of(error.value)[0]
    assert not Progress.objects.exists()


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"on": "tomorrow"}, "The date is in the future"),
        ({"note": "x" * 2001}, "at most 2000 characters"),
        ({"item": "e" * 32}, "not in the signed plan"),
        ({"status": "finished"}, "Choose how far it has come"),
        ({"on": "before"}, "before the conversation"),
    ],
)
def test_bad_progress_is_refused_with_a_clear_message(org: Org, mus: Mus, values: dict[str, Any], message: str) -> None:
    plan = signed_plan(org, mus, held_on=timezone.localdate() - timedelta(days=10))
    if values.get("on") == "tomorrow":
        values["on"] = timezone.localdate() + timedelta(days=1)
    elif values.get("on") == "before":
        values["on"] = timezone.localdate() - timedelta(days=11)
    with pytest.raises(ValidationError) as error:
        record(org, "employee", plan, **values)
    assert message in " ".join(messages_of(error.value))
    assert not Progress.objects.exists()


def test_a_note_of_exactly_2000_characters_and_a_date_of_today_are_accepted(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    progress = record(org, "employee", plan, note="x" * 2000, on=timezone.localdate())
    assert len(progress.note) == 2000


@pytest.mark.parametrize("persona", ["head", "director"])
def test_the_chain_reads_progress_but_does_not_record_it(org: Org, mus: Mus, persona: str) -> None:
    plan = signed_plan(org, mus)
    record(org, "employee", plan, note=SECRET)
    with pytest.raises(PermissionDenied):
        record(org, persona, plan)
    response = org.client(persona).get(reverse("plans:follow_up", args=[plan.uuid]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()
    event = AuditEvent.objects.get(action="plans.follow_up_read")
    assert event.actor_id == org.user(persona).pk and event.subject_person_id == org.employee.pk


def test_the_employee_and_leader_reading_the_follow_up_write_no_read_event(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    for persona in ("employee", "leader"):
        assert org.client(persona).get(reverse("plans:follow_up", args=[plan.uuid])).status_code == 200
    assert not AuditEvent.objects.filter(action="plans.follow_up_read").exists()


@pytest.mark.parametrize("persona", ["hr", "regional_hr", "former_leader", "colleague", "outsider", "admin"])
def test_hr_and_strangers_see_nothing_of_the_progress(org: Org, mus: Mus, persona: str) -> None:
    plan = signed_plan(org, mus)
    record(org, "employee", plan, note=SECRET)
    client = org.client(persona)
    for url in (
        reverse("plans:follow_up", args=[plan.uuid]),
        reverse("plans:progress", args=[plan.uuid, GOAL]),
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert SECRET not in response.content.decode()


def test_the_progress_page_records_and_shows_the_history(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    client = org.client("employee")
    url = reverse("plans:progress", args=[plan.uuid, GOAL])
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(url, {"status": "under_way", "note": "Halvvejs", "on": today})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#item-{GOAL}")
    org.client("leader").post(url, {"status": "done", "note": "Færdig", "on": today})
    page = client.get(reverse("plans:follow_up", args=[plan.uuid])).content.decode()
    assert "Halvvejs" in page and "Færdig" in page and "History (2 notes)" in page


def test_the_progress_form_shows_its_errors_in_a_summary_tied_to_the_fields(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    url = reverse("plans:progress", args=[plan.uuid, GOAL])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = org.client("employee").post(url, {"status": "", "note": "", "on": tomorrow})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#id_on"' in page
    assert "The date is in the future" in page
    assert not Progress.objects.exists()


def test_an_unknown_item_is_404(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    assert org.client("employee").get(reverse("plans:progress", args=[plan.uuid, "nope"])).status_code == 404


# Departures ---------------------------------------------------------------------------------------------


def test_the_employee_registers_a_departure_and_the_leader_is_told_without_the_text(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    departure = follow_up.departure_register(viewer=as_(org, "employee"), plan=fetch(org, "employee", plan), why=SECRET)
    assert (departure.side, departure.raised_by) == ("employee", org.employee)
    (message,) = mails_to(org.leader)
    html = message.alternatives[0][0]
    link = reverse("plans:follow_up", args=[plan.uuid])
    for body in (message.subject, message.body, html):
        assert SECRET not in body
    assert link in message.body and link in html
    assert "Emil Ærø says the development plan must be departed from." in message.body
    assert not mails_to(org.employee)


def test_the_leader_registers_a_departure_and_the_employee_is_told(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    follow_up.departure_register(viewer=as_(org, "leader"), plan=fetch(org, "leader", plan), why=SECRET)
    (message,) = mails_to(org.employee)
    assert "Lise Leder says your development plan must be departed from." in message.body
    assert SECRET not in message.body


def test_a_departure_posted_twice_is_registered_and_told_once(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    for _ in range(2):
        response = org.client("employee").post(reverse("plans:departure", args=[plan.uuid]), {"why": "Ny opgave"})
        assert response.status_code == 302
    assert Departure.objects.filter(plan=plan).count() == 1
    assert len(mails_to(org.leader)) == 1


def test_a_departure_without_why_is_refused(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        follow_up.departure_register(viewer=as_(org, "employee"), plan=fetch(org, "employee", plan), why="   ")
    assert "Write why the plan must be departed from." in messages_of(error.value)
    response = org.client("employee").post(reverse("plans:departure", args=[plan.uuid]), {"why": ""})
    assert response.status_code == 400
    assert not Departure.objects.exists()


def test_the_chain_may_not_register_a_departure(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    response = org.client("head").post(reverse("plans:departure", args=[plan.uuid]), {"why": "Nej"})
    assert response.status_code == 403
    assert not Departure.objects.exists()


def test_a_departure_on_an_unsigned_plan_is_refused(org: Org, mus: Mus) -> None:
    plan = draft_plan(org, mus)
    with pytest.raises(ValidationError):
        follow_up.departure_register(viewer=as_(org, "employee"), plan=fetch(org, "employee", plan), why="Nu")


# The follow-up conversation ------------------------------------------------------------------------------


def test_the_leader_calls_the_follow_up_and_the_employee_gets_a_calendar_invitation(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus, follow_up_by=timezone.localdate() + timedelta(days=60))
    assert call(org, plan, online_url="https://meet.example/opf")
    fu = FollowUp.objects.get(plan=plan)
    assert (fu.status, fu.calendar_sequence, fu.location) == ("scheduled", 0, "Mødelokale 3")
    (message,) = mails_to(org.employee)
    assert "Lise Leder invites you to the follow-up conversation on your development plan." in message.body
    assert "https://meet.example/opf" in message.body
    assert reverse("plans:follow_up", args=[plan.uuid]) in message.body
    cal = calendar_of(message)
    (event,) = cal.walk("VEVENT")
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == follow_up.follow_up_ics_uid(fu) != ics_uid(mus.conversation)
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == local(30, 10)
    assert "Emil Ærø" in str(event["SUMMARY"]) and "Lise Leder" in str(event["SUMMARY"])
    assert AuditEvent.objects.filter(action="plans.follow_up_called", subject_person_id=org.employee.pk).exists()


def test_a_change_updates_the_same_calendar_entry_and_a_cancel_removes_it(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    call(org, plan)
    assert call(org, plan, hour=13)
    assert follow_up.follow_up_cancel(viewer=as_(org, "leader"), plan=fetch(org, "leader", plan))
    first, update, cancel = mails_to(org.employee)
    events = [calendar_of(m).walk("VEVENT")[0] for m in (first, update, cancel)]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1, 2]
    assert [str(calendar_of(m)["METHOD"]) for m in (first, update, cancel)] == ["REQUEST", "REQUEST", "CANCEL"]
    assert update.subject.startswith("Updated:") and cancel.subject.startswith("Cancelled:")
    fu = FollowUp.objects.get(plan=plan)
    assert (fu.status, fu.starts_at) == ("to_be_called", None)


def test_the_same_time_posted_twice_sends_once(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    assert call(org, plan)
    assert not call(org, plan)
    assert len(mails_to(org.employee)) == 1


def test_a_follow_up_after_the_agreed_date_is_refused_naming_the_date(org: Org, mus: Mus) -> None:
    by = timezone.localdate() + timedelta(days=20)
    plan = signed_plan(org, mus, follow_up_by=by)
    with pytest.raises(ValidationError) as error:
        call(org, plan, days=21)
    expected = f"The follow-up conversation must be held by {formats.date_format(by, 'DATE_FORMAT')}, as agreed"
    assert any(m.startswith(expected) for m in error.value.message_dict["date"])
    assert not FollowUp.objects.filter(status=FollowUpStatus.SCHEDULED).exists()
    assert call(org, plan, days=20)


def test_without_an_agreed_date_the_follow_up_is_due_the_concepts_months_after_the_conversation(
    org: Org, mus: Mus
) -> None:
    held_on = timezone.localdate() - timedelta(days=10)
    plan = signed_plan(org, mus, held_on=held_on, follow_up_by=None)
    deadline = follow_up.follow_up_deadline(plan)
    assert deadline == writing.add_months(held_on, mus.concept.follow_up_within_months)
    assert deadline is not None
    with pytest.raises(ValidationError):
        call(org, plan, days=(deadline - timezone.localdate()).days + 1)
    assert call(org, plan, days=(deadline - timezone.localdate()).days)


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert writing.add_months(date(2027, 3, 15), 6) == date(2027, 9, 15)
    assert writing.add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert writing.add_months(date(2027, 12, 1), 1) == date(2028, 1, 1)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"days": -1}, "date"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"location": "", "online_url": ""}, "location"),
        ({"online_url": "ftp://x.example"}, "online_url"),
    ],
)
def test_a_bad_time_or_place_is_refused(org: Org, mus: Mus, kwargs: dict[str, Any], field: str) -> None:
    plan = signed_plan(org, mus)
    with pytest.raises(ValidationError) as error:
        call(org, plan, **kwargs)
    assert field in error.value.message_dict
    assert not mails_to(org.employee)


@pytest.mark.parametrize("persona", ["employee", "head"])
def test_only_the_leader_calls_the_follow_up(org: Org, mus: Mus, persona: str) -> None:
    plan = signed_plan(org, mus)
    with pytest.raises(PermissionDenied):
        call(org, plan, persona=persona)
    response = org.client(persona).post(reverse("plans:follow_up_call", args=[plan.uuid]), {})
    assert response.status_code == 403


def test_the_follow_up_of_an_unsigned_plan_cannot_be_called(org: Org, mus: Mus) -> None:
    plan = draft_plan(org, mus)
    with pytest.raises(ValidationError):
        call(org, plan)


def test_the_call_form_refuses_a_late_date_and_shows_the_message(org: Org, mus: Mus) -> None:
    by = working_day(20)  # the form asks before it books a weekend day
    plan = signed_plan(org, mus, follow_up_by=by)
    url = reverse("plans:follow_up_call", args=[plan.uuid])
    client = org.client("leader")
    assert client.get(url).status_code == 200
    late = {"date": (by + timedelta(days=1)).isoformat(), "time": "10:00", "duration_minutes": "60", "location": "A"}
    response = client.post(url, late)
    assert response.status_code == 400
    assert "The follow-up conversation must be held by" in response.content.decode()
    response = client.post(url, late | {"date": by.isoformat()})
    assert response.status_code == 302


def test_the_calendar_file_downloads_for_the_employee_and_is_404_before_the_call(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    url = reverse("plans:follow_up_ics", args=[plan.uuid])
    assert org.client("employee").get(url).status_code == 404
    call(org, plan)
    response = org.client("employee").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert str(cal.walk("VEVENT")[0]["UID"]) == follow_up.follow_up_ics_uid(FollowUp.objects.get(plan=plan))
    assert org.client("hr").get(url).status_code == 404


def test_the_leader_marks_the_follow_up_held_and_the_employee_reads_what_was_reached(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus, held_on=timezone.localdate() - timedelta(days=60))
    call(org, plan)
    mail.outbox.clear()
    url = reverse("plans:follow_up_held", args=[plan.uuid])
    response = org.client("leader").post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "reached": "Kører lønnen alene",
            "carries_over": "Ferieloven til næste runde",
        },
    )
    assert response.status_code == 302
    fu = FollowUp.objects.get(plan=plan)
    assert (fu.status, fu.held_on, fu.held_with) == ("held", timezone.localdate(), org.leader)
    page = org.client("employee").get(reverse("plans:follow_up", args=[plan.uuid])).content.decode()
    assert "Kører lønnen alene" in page and "Ferieloven til næste runde" in page
    (message,) = mails_to(org.employee)
    assert "Kører lønnen alene" not in message.body
    event = AuditEvent.objects.get(action="plans.follow_up_held")
    assert "reached" not in event.data


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"held_on": "tomorrow"}, "held_on", "The date is in the future"),
        ({"reached": " "}, "reached", "Write what was reached."),
        ({"held_on": "before"}, "held_on", "before the conversation"),
        ({"carries_over": "x" * 5001}, "carries_over", "at most 5000 characters"),
    ],
)
def test_a_bad_record_of_the_follow_up_is_refused(
    org: Org, mus: Mus, values: dict[str, Any], field: str, message: str
) -> None:
    plan = signed_plan(org, mus, held_on=timezone.localdate() - timedelta(days=10))
    data = {"held_on": timezone.localdate(), "reached": "Noget", "carries_over": "", **values}
    if data["held_on"] == "tomorrow":
        data["held_on"] = timezone.localdate() + timedelta(days=1)
    elif data["held_on"] == "before":
        data["held_on"] = timezone.localdate() - timedelta(days=11)
    with pytest.raises(ValidationError) as error:
        follow_up.follow_up_mark_held(viewer=as_(org, "leader"), plan=fetch(org, "leader", plan), **data)
    assert any(message in m for m in error.value.message_dict[field])
    assert not FollowUp.objects.filter(status=FollowUpStatus.HELD).exists()


def test_the_employee_may_not_mark_the_follow_up_held(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    data = {"held_on": timezone.localdate().isoformat(), "reached": "Alt"}
    assert org.client("employee").post(reverse("plans:follow_up_held", args=[plan.uuid]), data).status_code == 403
    with pytest.raises(PermissionDenied):
        follow_up.follow_up_mark_held(
            viewer=as_(org, "employee"),
            plan=fetch(org, "employee", plan),
            held_on=timezone.localdate(),
            reached="Alt",
            carries_over="",
        )


def test_a_held_follow_up_can_no_longer_be_moved_or_cancelled(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    call(org, plan)
    follow_up.follow_up_mark_held(
        viewer=as_(org, "leader"),
        plan=fetch(org, "leader", plan),
        held_on=timezone.localdate(),
        reached="Alt",
        carries_over="",
    )
    with pytest.raises(ValidationError):
        call(org, plan, hour=14)
    with pytest.raises(ValidationError):
        follow_up.follow_up_cancel(viewer=as_(org, "leader"), plan=fetch(org, "leader", plan))


def test_the_plan_page_section_sums_up_the_follow_up(org: Org, mus: Mus) -> None:
    from samtale.plans.views.follow_up import section_context

    plan = signed_plan(org, mus)
    record(org, "employee", plan, status="done")
    section = section_context(None, as_(org, "leader"), fetch(org, "leader", plan))["follow_up_section"]  # type: ignore[arg-type]
    assert (section["signed"], section["items"], section["done"]) == (True, 4, 1)
    assert section_context(None, as_(org, "hr"), plan) == {"follow_up_section": None}  # type: ignore[arg-type]


def test_the_plan_page_shows_the_follow_up_section_with_its_link(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    record(org, "employee", plan, status="done")
    page = org.client("leader").get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert 'id="follow-up-section-heading"' in page
    assert reverse("plans:follow_up", args=[plan.uuid]) in page
    assert "1 / 4" in page


def test_the_plan_page_of_an_unsigned_plan_says_when_the_follow_up_begins(org: Org, mus: Mus) -> None:
    plan = draft_plan(org, mus)
    page = org.client("employee").get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert "When the plan is signed by both of you, progress on each goal and activity is recorded here" in page
    assert reverse("plans:follow_up", args=[plan.uuid]) not in page


def test_the_follow_up_page_reads_in_a_constant_number_of_queries(org: Org, mus: Mus) -> None:
    from samtale.testing.queries import Page, assert_same_queries

    plan = signed_plan(org, mus, held_on=timezone.localdate() - timedelta(days=40))
    page = Page(org.client("head"), reverse("plans:follow_up", args=[plan.uuid]), name="the follow-up page")
    record(org, "employee", plan)
    follow_up.departure_register(viewer=as_(org, "employee"), plan=fetch(org, "employee", plan), why="En")

    def more() -> None:
        for days in range(1, 15):
            on = timezone.localdate() - timedelta(days=days)
            record(org, "leader", plan, item=ACTIVITY, note=f"Note {days}", on=on)
            follow_up.departure_register(
                viewer=as_(org, "leader"), plan=fetch(org, "leader", plan), why=f"Hvorfor {days}"
            )
        call(org, plan)

    assert_same_queries(more, page, sizes=("one note and departure", "fifteen"))
