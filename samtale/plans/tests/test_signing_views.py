"""The signing pages through the test client: handing in, asking for changes, signing with the
password, amending, the versions with what changed, the PDF (read back with pdftotext), and the
admin that shows no plan."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.urls import reverse

from samtale.audit.models import AuditEvent
from samtale.plans import models as plan_models
from samtale.plans.diff import ADDED, CHANGED, REMOVED, version_diff
from samtale.plans.models import PlanStatus, PlanVersion, Signature
from samtale.plans.services import signing
from samtale.plans.services.signing import current_version
from samtale.testing import PASSWORD, Mus, Org
from samtale.testing.signing import as_, edit_current, english, make_plan, reload, signed_plan, submitted_plan

PDFTOTEXT = shutil.which("pdftotext")


def _url(name: str, plan, *args) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"plans:{name}", args=[plan.uuid, *args])


def test_the_employee_hands_in_from_the_page(org: Org, mus: Mus) -> None:
    english(org, "employee")
    plan = make_plan(mus)
    response = org.client("employee").post(_url("plan_submit", plan), follow=True)
    assert response.status_code == 200
    assert "The plan is handed in. Your leader is told." in response.content.decode()
    assert reload(plan).status == PlanStatus.SUBMITTED


def test_an_incomplete_plan_comes_back_with_what_is_missing(org: Org, mus: Mus) -> None:
    english(org, "employee")
    plan = make_plan(mus, complete=False)
    response = org.client("employee").post(_url("plan_submit", plan), follow=True)
    page = response.content.decode()
    assert "The plan cannot be handed in yet" in page
    assert reload(plan).status == PlanStatus.DRAFT


def test_the_leader_asks_for_changes_on_a_page_and_an_empty_comment_is_refused(org: Org, mus: Mus) -> None:
    english(org, "leader")
    plan = submitted_plan(org, mus)
    client = org.client("leader")
    page = client.get(_url("plan_ask_changes", plan))
    assert page.status_code == 200 and "Kan selv køre lønkørslen" in page.content.decode()
    empty = client.post(_url("plan_ask_changes", plan), {"comment": " "})
    assert empty.status_code == 400 and "Say what should be changed." in empty.content.decode()
    done = client.post(_url("plan_ask_changes", plan), {"comment": "Mere konkret"})
    assert done.status_code == 302
    assert reload(plan).status == PlanStatus.CHANGES_ASKED
    # The request is between the two: the employee reads it on the plan page, the chain does not.
    detail = reverse("plans:detail", args=[plan.uuid])
    assert "Mere konkret" in org.client("employee").get(detail).content.decode()
    chain = org.client("head").get(detail)
    assert chain.status_code == 200 and "Mere konkret" not in chain.content.decode()


def test_signing_on_the_page_with_the_password(org: Org, mus: Mus) -> None:
    english(org, "leader")
    plan = submitted_plan(org, mus)
    client = org.client("leader")
    page = client.get(_url("plan_sign", plan))
    assert page.status_code == 200
    assert 'autocomplete="current-password"' in page.content.decode()
    wrong = client.post(_url("plan_sign", plan), {"password": "forkert"})
    assert wrong.status_code == 400
    assert "The password is not right" in wrong.content.decode()
    assert not Signature.objects.exists()
    right = client.post(_url("plan_sign", plan), {"password": PASSWORD}, follow=True)
    assert "You have signed. The other side is asked to sign." in right.content.decode()
    assert Signature.objects.get().person == org.leader


def test_signing_a_draft_on_the_page_says_why_not(org: Org, mus: Mus) -> None:
    english(org, "leader")
    plan = make_plan(mus)
    response = org.client("leader").post(_url("plan_sign", plan), {"password": PASSWORD})
    assert response.status_code == 400
    assert "The plan must be handed in before it can be signed." in response.content.decode()


def test_the_plan_page_section_offers_each_side_its_actions(org: Org, mus: Mus, rf) -> None:  # type: ignore[no-untyped-def]
    from samtale.plans.views.signing import section_context

    plan = submitted_plan(org, mus)
    employee = section_context(rf.get("/"), as_(org, "employee"), plan)["signing"]
    leader = section_context(rf.get("/"), as_(org, "leader"), plan)["signing"]
    head = section_context(rf.get("/"), as_(org, "head"), plan)["signing"]
    assert (employee["may_submit"], employee["may_sign"], employee["may_ask_changes"]) == (False, True, False)
    assert (leader["may_sign"], leader["may_ask_changes"]) == (True, True)
    assert not (head["may_sign"] or head["may_ask_changes"] or head["may_amend"] or head["may_submit"])


def test_the_signing_section_renders(org: Org, mus: Mus, rf) -> None:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string
    from django.utils import translation

    from samtale.plans.views.signing import section_context

    plan = submitted_plan(org, mus)
    signing.plan_ask_changes(viewer=as_(org, "leader"), plan=plan, comment="Tilføj en milepæl")
    with translation.override("en"):
        html = render_to_string("plans/_signing.html", section_context(rf.get("/"), as_(org, "employee"), plan))
    assert "Tilføj en milepæl" in html
    assert "Hand in the changed plan" in html


# Versions, what changed ----------------------------------------------------------------------------


def test_an_amendment_shows_what_changed_in_words(org: Org, mus: Mus) -> None:
    english(org, "leader")
    plan = signed_plan(org, mus)
    signing.plan_amend(viewer=as_(org, "employee"), plan=plan, reason="Kurset er aflyst")

    def change(content):  # type: ignore[no-untyped-def]
        content["goals"][0]["activities"].pop()  # the course is dropped
        content["goals"][0]["text"] = "Kører lønkørslen alene"
        content["focus_areas"].append({"id": "f" * 32, "text": "Mentor for nye kolleger", "must_improve": False})

    edit_current(plan, change)
    first, second = PlanVersion.objects.filter(plan=plan).order_by("number")
    diff = version_diff(first, second)
    changes = {part.key: [(c.kind, c.label) for c in part.changes] for part in diff.parts}
    assert changes["focus_areas"] == [(ADDED, "Mentor for nye kolleger")]
    assert (CHANGED, "Kører lønkørslen alene") in changes["goals"]
    assert (REMOVED, "Kursus i lønmodulet") in changes["goals"]
    assert changes["follow_up_topics"] == []
    page = org.client("leader").get(_url("plan_version", plan, 2))
    html = page.content.decode()
    assert page.status_code == 200
    assert "What changed since version 1" in html
    assert "Added:" in html and "Removed:" in html and "Changed:" in html  # in words, not colour
    assert "<del>Kan selv køre lønkørslen</del>" in html
    # The earlier version stays readable, and both are listed.
    assert "Kursus i lønmodulet" in org.client("leader").get(_url("plan_version", plan, 1)).content.decode()
    listing = org.client("leader").get(_url("plan_versions", plan)).content.decode()
    assert "Version 1" in listing and "Version 2" in listing and "Kurset er aflyst" in listing


def test_a_missing_version_is_404(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    assert org.client("employee").get(_url("plan_version", plan, 7)).status_code == 404


def test_the_leaders_reading_of_a_version_is_audited_and_the_employees_not(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    org.client("employee").get(_url("plan_version", plan, 1))
    assert not AuditEvent.objects.filter(action="plans.version_read").exists()
    org.client("head").get(_url("plan_version", plan, 1))
    assert AuditEvent.objects.get(action="plans.version_read").actor_id == org.head.user_id


# The PDF ---------------------------------------------------------------------------------------------


def _pdf_text(content: bytes, tmp_path: Path) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext is missing: install poppler-utils (scripts/bootstrap dev does)")
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    text = subprocess.run(  # noqa: S603 (our own file, a fixed program)
        [PDFTOTEXT, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(text.split())  # table cells wrap: compare words


def test_the_employee_downloads_a_copy_with_both_signatures_the_hash_and_the_version(
    org: Org, mus: Mus, tmp_path: Path
) -> None:
    english(org, "employee")
    plan = signed_plan(org, mus)
    version = current_version(plan)
    response = org.client("employee").get(_url("plan_version_pdf", plan, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = _pdf_text(response.content, tmp_path)
    assert "Copy" in text and "Original" not in text
    assert "Development plan" in text and "Version 1" in text
    assert org.employee.name in text and org.leader.name in text
    assert "Kan selv køre lønkørslen" in text and "Must improve:" in text
    assert version.content_hash in text
    for signature in version.signatures.all():
        local = signature.signed_at.astimezone(ZoneInfo("Europe/Copenhagen"))
        utc = signature.signed_at.astimezone(UTC)
        assert local.strftime("%Y-%m-%d %H:%M:%S") in text
        assert utc.strftime("%Y-%m-%d %H:%M:%S UTC") in text
        assert local.strftime("%H") != utc.strftime("%H")  # the two columns really differ
    assert "Copenhagen" in text
    event = AuditEvent.objects.get(action="plans.pdf_downloaded")
    assert event.data == {"version": 1, "label": "copy", "hash": version.content_hash}


def test_the_leader_downloads_the_original_in_danish(org: Org, mus: Mus, tmp_path: Path) -> None:
    plan = signed_plan(org, mus)  # the personas read Danish
    response = org.client("leader").get(_url("plan_version_pdf", plan, 1))
    text = _pdf_text(response.content, tmp_path)
    assert "Original" in text
    assert "Æ" in org.employee.name and org.employee.name in text  # Danish letters survive
    # Weeks and dates as Danes read them, not as stored ("2027-W10", "2027-04-01").
    assert "uge 10–16" in text and "1. april 2027" in text and "2027-W10" not in text
    assert AuditEvent.objects.get(action="plans.pdf_downloaded").data["label"] == "original"


def test_the_signing_times_are_shown_in_copenhagen_and_utc(org: Org, mus: Mus) -> None:
    from samtale.plans.pdf import signature_lines

    plan = signed_plan(org, mus)
    lines = signature_lines(current_version(plan))
    assert len(lines) == 2
    for line in lines:
        # The same instant (compared as timestamps: Python holds a time in the hour the clocks
        # repeat, fold=1, unequal to every time in another zone) in Copenhagen and in UTC.
        assert line.local.timestamp() == line.utc.timestamp() and str(line.local.tzinfo) == "Europe/Copenhagen"
        assert line.utc.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def test_there_is_no_pdf_before_both_signed(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    signing.plan_sign(viewer=as_(org, "leader"), plan=plan, password=PASSWORD)
    assert org.client("leader").get(_url("plan_version_pdf", plan, 1)).status_code == 404
    assert not AuditEvent.objects.filter(action="plans.pdf_downloaded").exists()


@pytest.mark.parametrize("persona", ["outsider", "colleague", "hr", "former_leader", "admin"])
def test_a_stranger_gets_404_for_the_pdf(org: Org, mus: Mus, persona: str) -> None:
    plan = signed_plan(org, mus)
    assert org.client(persona).get(_url("plan_version_pdf", plan, 1)).status_code == 404


# The admin -------------------------------------------------------------------------------------------


def test_no_plan_content_is_readable_in_the_admin() -> None:
    """ "Content models are not readable through the admin" (docs/trust.md § The administrator)."""
    content_models = [
        plan_models.Plan,
        plan_models.PlanVersion,
        plan_models.PlanComment,
        plan_models.Signature,
        plan_models.Progress,
        plan_models.Departure,
        plan_models.FollowUp,
    ]
    assert [model.__name__ for model in content_models if admin.site.is_registered(model)] == []


def test_the_admin_has_no_page_for_plan_versions(org: Org, mus: Mus) -> None:
    plan = signed_plan(org, mus)
    version = current_version(plan)
    client = org.client("admin")
    assert client.get("/admin/plans/planversion/").status_code == 404
    assert client.get(f"/admin/plans/planversion/{version.pk}/change/").status_code == 404


def test_a_changed_field_is_named_and_activity_types_read_as_words(org: Org, mus: Mus) -> None:
    from django.utils import translation

    plan = signed_plan(org, mus)
    signing.plan_amend(viewer=as_(org, "employee"), plan=plan, reason="Coaching i stedet")
    edit_current(plan, lambda c: c["goals"][0]["activities"][0].update(type="coaching", to="2027-W18"))
    first, second = PlanVersion.objects.filter(plan=plan).order_by("number")
    with translation.override("en"):
        goals = next(part for part in version_diff(first, second).parts if part.key == "goals")
    [change] = goals.changes
    assert change.kind == CHANGED and change.context == "Kan selv køre lønkørslen"
    [type_change, to_change] = change.fields
    assert (type_change.label, type_change.old, type_change.new) == ("Type of activity", "Peer training", "Coaching")
    # Weeks as people read them, not as stored ("2027-W16"); the year only when not the obvious one.
    assert to_change.label == "When: to"
    assert (to_change.old.removesuffix(", 2027"), to_change.new.removesuffix(", 2027")) == ("week 16", "week 18")


def test_the_signing_page_says_at_once_why_an_open_item_stops_the_signature(org: Org, mus: Mus) -> None:
    from samtale.conversations.models import OpenItem

    english(org, "employee")
    plan = submitted_plan(org, mus)
    OpenItem.objects.create(conversation=mus.conversation, text="Budget", deadline=plan.due_on, created_by=org.leader)
    page = org.client("employee").get(_url("plan_sign", plan)).content.decode()
    assert "This version cannot be signed now:" in page
    assert "The plan cannot be signed while 1 open item is not answered." in page


def test_the_leader_reading_the_plan_on_the_signing_page_is_audited(org: Org, mus: Mus) -> None:
    plan = submitted_plan(org, mus)
    org.client("employee").get(_url("plan_sign", plan))
    assert not AuditEvent.objects.filter(action="plans.version_read").exists()
    org.client("leader").get(_url("plan_sign", plan))
    org.client("leader").get(_url("plan_ask_changes", plan))
    assert AuditEvent.objects.filter(action="plans.version_read", actor_id=org.leader.user_id).count() == 2


def test_the_versions_page_reads_in_a_constant_number_of_queries(
    org: Org, mus: Mus, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = signed_plan(org, mus)
    client = org.client("leader")
    with CaptureQueriesContext(connection) as one:
        assert client.get(_url("plan_versions", plan)).status_code == 200
    for reason in ("Første ændring", "Anden ændring"):
        signing.plan_amend(viewer=as_(org, "employee"), plan=plan, reason=reason)
        signing.plan_submit(viewer=as_(org, "employee"), plan=plan)
        signing.plan_sign(viewer=as_(org, "employee"), plan=reload(plan), password=PASSWORD)
        signing.plan_sign(viewer=as_(org, "leader"), plan=reload(plan), password=PASSWORD)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(_url("plan_versions", plan)).status_code == 200
