"""When an employee changes leader, the new leader has access at once and the former leader loses it
on their next request (docs/trust.md § Leader change)."""

from __future__ import annotations

from django.urls import reverse

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.org.models import PlacementChange
from samtale.org.services import person_change_placement
from samtale.testing import Org


def test_the_new_leader_gets_access_and_the_former_loses_it_at_once(org: Org) -> None:
    url = reverse("org:person", args=[org.employee.uuid])
    old_leader, new_leader = org.client("leader"), org.client("former_leader")
    assert old_leader.get(url).status_code == 200
    assert new_leader.get(url).status_code == 404

    person_change_placement(
        viewer=viewer_for(org.hr.user),
        person=org.employee,
        unit=org.accounting,
        personnel_leader=org.former_leader,
        daily_leader=None,
    )

    assert new_leader.get(url).status_code == 200
    assert old_leader.get(url).status_code == 404


def test_a_leader_change_by_hand_keeps_its_time_and_writes_an_audit_event(org: Org) -> None:
    before = PlacementChange.objects.filter(person=org.employee).count()
    response = org.client("hr").post(
        reverse("org:person_placement", args=[org.employee.uuid]),
        {"unit_code": "REG", "personnel_leader_number": org.former_leader.employee_number, "daily_leader_number": ""},
    )
    assert response.status_code == 302
    changes = PlacementChange.objects.filter(person=org.employee).order_by("-id")[:3]
    assert PlacementChange.objects.filter(person=org.employee).count() == before + 3
    assert {c.field for c in changes} == {"unit", "personnel_leader", "daily_leader"}
    assert all(c.changed_at is not None and c.changed_by == org.hr.user for c in changes)
    event = AuditEvent.objects.get(action="org.personnel_leader_changed", subject_person_id=org.employee.pk)
    assert event.actor_id == org.hr.user.pk
    assert event.data == {"from": org.leader.pk, "to": org.former_leader.pk, "source": "manual"}


def test_a_leader_loop_is_refused_with_a_clear_message(org: Org) -> None:
    org.hr.user.language = "en"
    org.hr.user.save(update_fields=["language"])
    response = org.client("hr").post(
        reverse("org:person_placement", args=[org.head.uuid]),
        {"unit_code": "OKO", "personnel_leader_number": org.employee.employee_number, "daily_leader_number": ""},
    )
    assert response.status_code == 400
    assert "Emil Ærø is below Hans Afdelingschef, so this would make a loop." in response.content.decode()
    org.head.refresh_from_db()
    assert org.head.personnel_leader == org.director


def test_an_unknown_unit_code_is_refused_and_nothing_changes(org: Org) -> None:
    response = org.client("hr").post(
        reverse("org:person_placement", args=[org.employee.uuid]),
        {"unit_code": "NOPE", "personnel_leader_number": org.leader.employee_number, "daily_leader_number": ""},
    )
    assert response.status_code == 400
    org.employee.refresh_from_db()
    assert org.employee.unit == org.payroll
