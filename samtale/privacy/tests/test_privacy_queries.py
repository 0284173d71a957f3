"""The privacy pages make the same queries for a small organisation as for a larger one with more
audit events, holds, deletions and records (docs/architecture.md: a query-count test per page); and
the retention page counts what is due only up to its cap, so its cost does not grow with it."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse

from samtale.audit.models import AuditEvent
from samtale.org.models import RoleKind
from samtale.privacy import views
from samtale.privacy.models import LegalHold
from samtale.privacy.retention import ACTION
from samtale.testing import Mus, Org, grow_org
from samtale.testing.personas import make_person, make_role
from samtale.testing.privacy import CLOSED_ON, local, plant, round_closed
from samtale.testing.queries import Page, assert_same_queries


def _officer_client(org: Org) -> Client:
    officer = make_person("Dorte Databeskyttelse", unit=org.hr_unit, leader=org.director)
    make_role(officer, RoleKind.DPO)
    client = Client()
    assert officer.user is not None
    client.force_login(officer.user)
    return client


def test_the_privacy_pages_make_the_same_queries_as_the_organisation_and_the_trail_grow(org: Org, mus: Mus) -> None:
    officer = _officer_client(org)
    plant(mus.conversation, leader=org.leader, held_on=CLOSED_ON - timedelta(days=30), sent_on=CLOSED_ON)

    def grow() -> None:
        grow_org(org, 6)
        plant(mus.colleague_conversation, leader=org.leader, held_on=CLOSED_ON, sent_on=CLOSED_ON)
        LegalHold.objects.create(person=org.colleague, reason="A case")
        LegalHold.objects.create(person=org.union_rep, reason="Another case")
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    action=ACTION,
                    target_type="retention",
                    target_id=kind,
                    subject_person_id=person.pk,
                    data={"kind": kind, "count": 3},
                    at=local(CLOSED_ON),
                )
                for kind in ("preparations", "emails")
                for person in (org.employee, org.colleague, org.daily_leader)
            ]
            + [AuditEvent(action="plans.plan_read", subject_person_id=org.employee.pk) for _ in range(120)]
        )

    assert_same_queries(
        grow,
        Page(officer, reverse("privacy:audit"), name="the audit trail"),
        Page(
            officer, reverse("privacy:audit"), {"person": org.employee.email, "reads": "on"}, name="one person's reads"
        ),
        Page(officer, reverse("privacy:retention"), name="retention"),
        Page(officer, reverse("privacy:holds"), name="the legal holds"),
        Page(officer, reverse("privacy:person", args=[org.employee.uuid]), name="a person's privacy page"),
        Page(org.client("employee"), reverse("privacy:my_data"), name="my data"),
    )


def test_the_retention_page_counts_what_is_due_up_to_its_cap(org: Org, mus: Mus, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    round_closed(mus.round)
    plant(mus.conversation, leader=org.leader, held_on=CLOSED_ON - timedelta(days=30), sent_on=CLOSED_ON)
    plant(mus.colleague_conversation, leader=org.leader, held_on=CLOSED_ON - timedelta(days=30), sent_on=CLOSED_ON)
    monkeypatch.setattr(views, "DUE_SHOWN", 1)
    page = _officer_client(org).get(reverse("privacy:retention")).content.decode()
    assert "mere end 1" in page or "more than 1" in page
