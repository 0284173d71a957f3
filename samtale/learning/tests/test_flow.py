"""The loop of issue 16 end to end, through the pages as people use them: the employee registers a
level, the leader assesses it differently, both see the difference before the MUS and the leader
records the level they agreed on; the employee asks for a seat from the plan's course activity (an
open item until answered), the leader approves, the education consultant enrols (the e-mail carries
the calendar file), the employee marks the course completed, and it shows in the plan's progress,
the education record and the register."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from samtale.competences.models import EducationEntry, LevelCount, Registration, RegistrationChange
from samtale.conversations.models import Conversation, OpenItem
from samtale.learning.models import RequestStatus, SeatRequest
from samtale.outbox.delivery import outbox_deliver
from samtale.plans.models import Progress, ProgressStatus
from samtale.testing import Mus, Org
from samtale.testing.learning import make_catalogue, make_educator, plan_with_course

pytestmark = pytest.mark.django_db


def test_register_assess_and_settle_before_the_mus(org: Org) -> None:
    catalogue = make_catalogue()
    employee, leader = org.client("employee"), org.client("leader")
    page = reverse("competences:registration", args=[org.employee.uuid, catalogue.payroll_law.uuid])

    response = employee.post(page, {"action": "own", "own-level": "5", "own-example": "Kørte lønnen alene i juli"})
    assert response.status_code == 302
    response = leader.post(page, {"action": "assess", "assess-level": "3", "assess-note": "Mangler ferieloven"})
    assert response.status_code == 302

    registration = Registration.objects.get(person=org.employee, competence=catalogue.payroll_law)
    assert (registration.employee_level, registration.leader_level, registration.state) == (5, 3, "to_settle")
    for client in (employee, leader):
        register = client.get(reverse("competences:register", args=[org.employee.uuid]))
        assert "I er uenige om niveauet for 1 kompetence." in register.content.decode()

    response = leader.post(page, {"action": "settle", "settle-level": "4"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.employee_level, registration.leader_level, registration.state) == (4, 4, "agreed")
    assert list(registration.changes.order_by("at", "id").values_list("side", "level")) == [
        ("employee", 5),
        ("leader", 3),
        ("settled", 4),
    ]
    # The counters follow: the employee counts once, at the agreed level, in Løn and every unit above.
    counts = dict(
        LevelCount.objects.filter(competence=catalogue.payroll_law, people__gt=0).values_list("unit_id", "level")
    )
    assert counts == {org.payroll.pk: 4, org.economy.pk: 4, org.root.pk: 4}


def test_the_employee_may_not_settle_and_the_colleague_sees_nothing(org: Org) -> None:
    catalogue = make_catalogue()
    page = reverse("competences:registration", args=[org.employee.uuid, catalogue.payroll_law.uuid])
    assert org.client("employee").post(page, {"action": "settle", "settle-level": "4"}).status_code == 403
    assert org.client("colleague").get(page).status_code == 404
    assert org.client("hr").get(reverse("competences:register", args=[org.employee.uuid])).status_code == 404


def test_a_level_off_the_scale_is_refused_with_a_message(org: Org) -> None:
    catalogue = make_catalogue()
    page = reverse("competences:registration", args=[org.employee.uuid, catalogue.payroll_law.uuid])
    response = org.client("employee").post(page, {"action": "own", "own-level": "9"})
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert (
        "Vælg et niveau på skalaen" in response.content.decode()
        or "Choose a level on the scale" in response.content.decode()
    )
    assert not Registration.objects.exists()


def test_a_seat_from_the_plan_to_the_education_record(org: Org, mus: Mus) -> None:
    catalogue = make_catalogue()
    educator = make_educator(org)
    plan, activity = plan_with_course(org, mus)
    employee, leader = org.client("employee"), org.client("leader")

    listing = employee.get(reverse("learning:plan_courses", args=[plan.uuid]))
    assert "Kursus i ferieloven" in listing.content.decode()
    ask = reverse("learning:request_seat", args=[plan.uuid, activity])
    page = employee.get(ask, {"course": catalogue.course.uuid})
    assert catalogue.session.place in page.content.decode()
    response = employee.post(
        f"{ask}?course={catalogue.course.uuid}", {"session": catalogue.session.pk, "reason": "Ferieloven er ny"}
    )
    assert response.status_code == 302
    seat = SeatRequest.objects.get()
    assert seat.status == RequestStatus.REQUESTED
    item = OpenItem.objects.get(pk=seat.open_item_id)
    assert item.conversation_id == plan.conversation_id and not item.answer

    response = leader.post(reverse("learning:decide", args=[seat.uuid]), {"decision": "approve", "note": ""})
    assert response.status_code == 302
    seat.refresh_from_db()
    item.refresh_from_db()
    assert (seat.status == RequestStatus.APPROVED and item.answer.startswith("Godkendt")) or item.answer.startswith(
        "Approved"
    )

    consultant = org.client("employee")
    consultant.force_login(educator.user)
    queue = consultant.get(reverse("learning:enrolment"))
    assert org.employee.name in queue.content.decode()
    request_page = consultant.get(reverse("learning:request", args=[seat.uuid]))
    assert "Ferieloven er ny" not in request_page.content.decode()  # the reason is not the consultant's
    assert consultant.post(reverse("learning:enrol", args=[seat.uuid])).status_code == 302
    seat.refresh_from_db()
    catalogue.session.refresh_from_db()
    assert seat.status == RequestStatus.ENROLLED and catalogue.session.enrolled == 1

    outbox_deliver()  # (the test settings deliver at once; this is for a worker that is behind)
    enrolled = [m for m in mail.outbox if m.to == [org.employee.email] and m.attachments]
    assert enrolled, [m.subject for m in mail.outbox]
    ics = enrolled[-1].attachments[0]
    content = ics.get_content() if hasattr(ics, "get_content") else ics[1]
    text = content.decode() if isinstance(content, bytes) else str(content)
    assert "Ferieloven i praksis" in text and "METHOD:REQUEST" in text

    # After the course (the session moved into the past for the test) the employee marks it done.
    catalogue.session.__class__.objects.filter(pk=catalogue.session.pk).update(
        starts_on=timezone.localdate() - timedelta(days=2),
        ends_on=timezone.localdate() - timedelta(days=1),
        registration_deadline=timezone.localdate() - timedelta(days=9),
    )
    response = employee.post(
        reverse("learning:completed", args=[seat.uuid]),
        {"completed_on": (timezone.localdate() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 302
    seat.refresh_from_db()
    assert seat.status == RequestStatus.COMPLETED
    progress = Progress.objects.get(plan=plan, item=activity)
    assert progress.status == ProgressStatus.DONE
    entry = EducationEntry.objects.get(person=org.employee)
    assert entry.course == catalogue.course and list(entry.competences.all()) == [catalogue.payroll_law]
    record = employee.get(reverse("competences:record", args=[org.employee.uuid]))
    assert "Ferieloven i praksis" in record.content.decode()
    assert "Ferieloven i praksis" in employee.get(
        reverse("competences:record_csv", args=[org.employee.uuid])
    ).content.decode("utf-8-sig")
    assert (
        employee.get(reverse("competences:record_pdf", args=[org.employee.uuid]))["Content-Type"] == "application/pdf"
    )
    register = employee.get(reverse("competences:register", args=[org.employee.uuid]))
    assert "Ferieloven i praksis" in register.content.decode()
    assert RegistrationChange.objects.count() == 0


def test_the_waiting_list_moves_up_and_a_full_session_refuses_a_request(org: Org, mus: Mus) -> None:
    from django.core.exceptions import ValidationError

    from samtale.access.viewer import viewer_for
    from samtale.learning import services
    from samtale.testing.follow_up import make_signed_plan
    from samtale.testing.learning import as_

    catalogue = make_catalogue(seats=1)
    consultant = viewer_for(make_educator(org).user)
    plan, activity = plan_with_course(org, mus)
    other = make_signed_plan(mus.colleague_conversation, leader=org.leader)
    first = services.seat_request(
        viewer=as_(org, "employee"), plan=plan, activity_id=activity, session=catalogue.session, reason=""
    )
    second = services.seat_request(
        viewer=as_(org, "colleague"), plan=other, activity_id=activity, session=catalogue.session, reason=""
    )
    for seat in (first, second):
        services.seat_request_decide(viewer=as_(org, "leader"), seat_request=seat, approve=True, note="")
        services.seat_enrol(viewer=consultant, seat_request=seat)
    first.refresh_from_db()
    second.refresh_from_db()
    catalogue.session.refresh_from_db()
    assert (first.status, second.status) == (RequestStatus.ENROLLED, RequestStatus.WAITING)
    assert (catalogue.session.enrolled, catalogue.session.waiting) == (1, 1)

    services.seat_cancel(viewer=as_(org, "employee"), seat_request=first)
    second.refresh_from_db()
    catalogue.session.refresh_from_db()
    assert second.status == RequestStatus.ENROLLED  # the first in line gets the seat at once
    assert (catalogue.session.enrolled, catalogue.session.waiting) == (1, 0)

    # Full again: a new request is refused, and says so.
    third_plan = make_signed_plan(
        Conversation.objects.get(round=mus.round, employee=org.union_rep),
        leader=org.leader,
    )
    with pytest.raises(ValidationError, match=r"fuldt|full"):
        services.seat_request(
            viewer=as_(org, "union_rep"), plan=third_plan, activity_id=activity, session=catalogue.session, reason=""
        )


def test_hr_makes_a_scale_and_a_job_profile_and_the_register_shows_the_gap(org: Org) -> None:
    from samtale.competences.models import JobProfile, Scale

    catalogue = make_catalogue()
    hr = org.client("hr")
    response = hr.post(
        reverse("competences:scale_new"),
        {"name": "Tre trin", "level_1_name": "Kender", "level_2_name": "Kan", "level_3_name": "Lærer fra sig"},
    )
    assert response.status_code == 302
    scale = Scale.objects.get(name="Tre trin")
    assert list(scale.levels.values_list("value", "name")) == [(1, "Kender"), (2, "Kan"), (3, "Lærer fra sig")]

    page = hr.post(reverse("competences:profile_new"), {"name": "Løn", "job_title": "", "unit_code": "NOPE"})
    assert page.status_code == 200 and not JobProfile.objects.exists()  # no such unit: said at the field
    response = hr.post(
        reverse("competences:profile_new"),
        {"name": "Løn", "job_title": "", "unit_code": org.payroll.code, f"expected_{catalogue.payroll_law.pk}": "5"},
    )
    assert response.status_code == 302
    profile = JobProfile.objects.get()
    assert profile.unit == org.payroll
    register = org.client("employee").get(reverse("competences:register", args=[org.employee.uuid])).content.decode()
    assert "Jobprofil: Løn." in register
    assert org.client("employee").get(reverse("competences:profile_new")).status_code == 404


def test_the_overview_counts_the_planned_activities_by_type_from_five_plans(org: Org, mus: Mus) -> None:
    """The planned activities of the signed plans, by type: kept when a plan is signed (the signal),
    shown only from five plans and only for types planned five times or more."""
    from samtale.learning.counters import activity_counts_rebuild
    from samtale.testing import make_person
    from samtale.testing.follow_up import make_signed_plan

    hr = org.client("hr")
    conversations = list(Conversation.objects.filter(round=mus.round, employee__unit=org.payroll))
    for conversation in conversations[:4]:
        make_signed_plan(conversation, leader=org.leader)
    activity_counts_rebuild()
    page = hr.get(reverse("learning:overview"), {"unit": str(org.payroll.uuid)}).content.decode()
    assert "Sidemandsoplæring" not in page  # four plans: too few
    extra = make_person("Femte Person", unit=org.payroll, leader=org.leader)
    make_signed_plan(Conversation.objects.create(round=mus.round, employee=extra), leader=org.leader)
    activity_counts_rebuild()
    page = hr.get(reverse("learning:overview"), {"unit": str(org.payroll.uuid)}).content.decode()
    assert "Sidemandsoplæring" in page and "Faglige kurser" in page  # five of each, from five plans


def test_a_link_typed_wrong_is_a_404_or_no_choice_never_an_error(org: Org, mus: Mus) -> None:
    catalogue = make_catalogue()
    plan, activity = plan_with_course(org, mus)
    hr, employee = org.client("hr"), org.client("employee")
    assert hr.get(reverse("learning:overview"), {"unit": "junk"}).status_code == 404
    assert hr.get(reverse("learning:overview_export"), {"unit": "junk"}).status_code == 404
    assert employee.get(reverse("competences:courses"), {"competence": "junk"}).status_code == 200
    page = employee.get(reverse("learning:request_seat", args=[plan.uuid, activity]), {"course": "junk"})
    assert page.status_code == 200 and catalogue.course.title in page.content.decode()  # the list to choose from


def test_a_figure_that_subtraction_would_give_away_is_not_shown(org: Org, mus: Mus) -> None:
    """Six plans in Økonomi, five of them in Løn: Løn's figure would give away the one plan in
    Regnskab by subtraction from Økonomi's, so Løn shows none (docs/trust.md § Anonymity)."""
    from samtale.learning.counters import activity_counts_rebuild
    from samtale.testing import make_person
    from samtale.testing.follow_up import make_signed_plan

    for conversation in Conversation.objects.filter(round=mus.round, employee__personnel_leader=org.leader)[:4]:
        make_signed_plan(conversation, leader=org.leader)
    fifth = make_person("Femte Person", unit=org.payroll, leader=org.leader)
    make_signed_plan(Conversation.objects.create(round=mus.round, employee=fifth), leader=org.leader)
    lone = make_person("Eneste Regnskab", unit=org.accounting, leader=org.former_leader)
    make_signed_plan(Conversation.objects.create(round=mus.round, employee=lone), leader=org.former_leader)
    activity_counts_rebuild()
    hr = org.client("hr")
    economy = hr.get(reverse("learning:overview"), {"unit": str(org.economy.uuid)}).content.decode()
    payroll = hr.get(reverse("learning:overview"), {"unit": str(org.payroll.uuid)}).content.decode()
    assert "Sidemandsoplæring" in economy
    assert "Sidemandsoplæring" not in payroll


def test_reads_by_others_are_in_the_audit_trail_and_a_late_mail_goes_to_the_leader_of_now(org: Org, mus: Mus) -> None:
    from samtale.audit.models import AuditEvent
    from samtale.learning import emails as learning_emails
    from samtale.outbox.models import OutboxMessage

    catalogue = make_catalogue()
    plan, activity = plan_with_course(org, mus)
    org.client("employee").get(reverse("competences:register", args=[org.employee.uuid]))
    assert not AuditEvent.objects.filter(action="competences.register_read").exists()  # one's own
    org.client("head").get(reverse("competences:register", args=[org.employee.uuid]))
    org.client("leader").get(reverse("competences:record", args=[org.employee.uuid]))
    assert AuditEvent.objects.filter(action="competences.register_read", subject_person_id=org.employee.pk).exists()
    assert AuditEvent.objects.filter(action="competences.record_read", subject_person_id=org.employee.pk).exists()

    from samtale.learning import services
    from samtale.testing.learning import as_

    seat = services.seat_request(
        viewer=as_(org, "employee"), plan=plan, activity_id=activity, session=catalogue.session, reason=""
    )
    message = OutboxMessage.objects.filter(kind="learning.seat_requested").latest("pk")
    assert learning_emails.seat_requested(message) is not None
    services.seat_cancel(viewer=as_(org, "employee"), seat_request=seat)  # withdrawn before it went
    assert learning_emails.seat_requested(message) is None
