"""The organisation's pages as people use them: the tree, a unit, a person, my team, the
people search and the roles beside the line."""

from __future__ import annotations

from django.urls import reverse

from samtale.audit.models import AuditEvent
from samtale.org.models import Role, RoleKind
from samtale.testing import Org


def test_the_tree_shows_the_top_units_with_their_leaders_and_headcount(org: Org) -> None:
    response = org.client("employee").get(reverse("org:tree"))
    assert response.status_code == 200
    [root] = response.context["children"]
    assert root.name == "Kommunen"
    assert root.headcount == 12  # everyone is below the top


def test_the_kept_headcounts_follow_every_change_they_are_counted_from(org: Org) -> None:
    """Headcounts are kept in the cache (``kept_count``) until something they are counted from
    moves: a move by hand, a new person, a unit moved by an import, a last day passing."""
    from datetime import datetime, time, timedelta

    import time_machine
    from django.utils import timezone

    from samtale.access.viewer import viewer_for
    from samtale.org.models import ImportRun, ImportStatus, Person, Unit
    from samtale.org.services import person_change_placement, unit_tree_rebuild
    from samtale.testing import make_person

    def below_economy() -> dict[str, int]:
        children = org.client("hr").get(reverse("org:unit", args=[org.economy.uuid])).context["children"]
        return {u.name: u.headcount for u in children}

    assert below_economy() == {"Løn": 5, "Regnskab": 1}
    person_change_placement(
        viewer=viewer_for(org.hr.user),
        person=org.colleague,
        unit=org.accounting,
        personnel_leader=org.colleague.personnel_leader,
        daily_leader=None,
    )
    assert below_economy() == {"Løn": 4, "Regnskab": 2}
    newcomer = make_person("Ny Nielsen", unit=org.accounting, leader=org.leader)
    assert below_economy() == {"Løn": 4, "Regnskab": 3}

    Unit.objects.filter(pk=org.children.pk).update(parent=org.economy)
    unit_tree_rebuild()
    ImportRun.objects.create(
        file_name="org.csv", file_sha256="0" * 64, status=ImportStatus.APPLIED, applied_at=timezone.now()
    )
    assert set(below_economy()) == {"Løn", "Regnskab", org.children.name}

    # Five minutes before midnight on a person's last day they count; six minutes later, with
    # nothing written, they do not (sooner than a kept count expires by itself).
    evening = timezone.make_aware(datetime.combine(timezone.localdate(), time(23, 55)))
    with time_machine.travel(evening, tick=False):
        Person.objects.filter(pk=newcomer.pk).update(end_date=timezone.localdate())
        ImportRun.objects.create(
            file_name="org.csv", file_sha256="1" * 64, status=ImportStatus.APPLIED, applied_at=timezone.now()
        )
        assert below_economy()["Regnskab"] == 3
    with time_machine.travel(evening + timedelta(minutes=6), tick=False):
        assert below_economy()["Regnskab"] == 2


def test_a_unit_page_shows_the_way_up_and_the_units_below(org: Org) -> None:
    response = org.client("employee").get(reverse("org:unit", args=[org.economy.uuid]))
    assert [u.name for u in response.context["ancestors"]] == ["Kommunen"]
    assert {u.name: u.headcount for u in response.context["children"]} == {"Løn": 5, "Regnskab": 1}


def test_the_units_below_load_as_a_fragment_for_htmx(org: Org) -> None:
    response = org.client("employee").get(
        reverse("org:unit", args=[org.economy.uuid]), {"part": "children"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Løn" in html


def test_an_employee_sees_the_units_but_not_who_works_in_them(org: Org) -> None:
    response = org.client("employee").get(reverse("org:unit", args=[org.payroll.uuid]))
    assert response.context["members"] is None
    assert "Kåre Kollega" not in response.content.decode()


def test_a_department_head_sees_who_works_in_the_units_below(org: Org) -> None:
    response = org.client("head").get(reverse("org:unit", args=[org.payroll.uuid]))
    names = [p.name for p in response.context["members"]]
    assert "Kåre Kollega" in names
    assert "Emil Ærø" in names


def test_people_who_have_left_are_not_listed_in_their_unit(org: Org) -> None:
    from datetime import timedelta

    from django.utils import timezone

    org.colleague.end_date = timezone.localdate() - timedelta(days=1)
    org.colleague.save(update_fields=["end_date"])
    response = org.client("head").get(reverse("org:unit", args=[org.payroll.uuid]))
    assert "Kåre Kollega" not in [p.name for p in response.context["members"]]


def test_my_team_lists_the_people_i_lead_and_those_i_lead_day_to_day(org: Org) -> None:
    leader = org.client("leader").get(reverse("dashboards:team"))
    assert {p.name for p in leader.context["reports"]} == {"Dagny Daglig", "Emil Ærø", "Kåre Kollega", "Tove Tillid"}
    daily = org.client("daily_leader").get(reverse("dashboards:team"))
    assert [p.name for p in daily.context["daily_reports"]] == ["Emil Ærø"]
    assert list(daily.context["reports"]) == []


def test_the_person_page_shows_employment_to_leaders_but_not_to_the_daily_leader(org: Org) -> None:
    url = reverse("org:person", args=[org.employee.uuid])
    assert org.client("leader").get(url).context["may_view_employment"] is True
    daily = org.client("daily_leader").get(url)
    assert daily.context["may_view_employment"] is False
    assert "Fastansat" not in daily.content.decode() and "Permanent" not in daily.content.decode()


def test_hr_searches_people_by_name_number_or_e_mail_within_their_units(org: Org) -> None:
    hr = org.client("hr")
    assert [p.name for p in hr.get(reverse("org:people"), {"q": "ærø"}).context["page"]] == ["Emil Ærø"]
    number = org.colleague.employee_number
    assert [p.name for p in hr.get(reverse("org:people"), {"q": number}).context["page"]] == ["Kåre Kollega"]
    regional = org.client("regional_hr").get(reverse("org:people"))
    assert {p.name for p in regional.context["page"]} == {"Olga Børnechef", "Ulla Udenfor", "Rita Regional"}


def test_the_search_answers_htmx_with_the_results_only(org: Org) -> None:
    response = org.client("hr").get(reverse("org:people"), {"q": "Emil"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "Emil Ærø" in html


def test_hr_overrides_participation_with_a_reason_and_it_is_audited(org: Org) -> None:
    url = reverse("org:person_eligibility", args=[org.employee.uuid])
    missing_reason = org.client("hr").post(url, {"choice": "exclude", "reason": ""})
    assert missing_reason.status_code == 400
    org.employee.refresh_from_db()
    assert org.employee.eligibility_override is None

    assert org.client("hr").post(url, {"choice": "exclude", "reason": "Orlov hele året"}).status_code == 302
    org.employee.refresh_from_db()
    assert org.employee.is_eligible() is False
    assert org.employee.eligibility_override_reason == "Orlov hele året"
    assert AuditEvent.objects.filter(action="org.eligibility_overridden", subject_person_id=org.employee.pk).exists()

    org.client("hr").post(url, {"choice": "follow", "reason": "ignored"})
    org.employee.refresh_from_db()
    assert (org.employee.eligibility_override, org.employee.eligibility_override_reason) == (None, "")


def test_hr_sets_a_unit_s_leader_by_hand(org: Org) -> None:
    response = org.client("hr").post(
        reverse("org:unit_leader", args=[org.payroll.uuid]), {"leader_number": org.daily_leader.employee_number}
    )
    assert response.status_code == 302
    org.payroll.refresh_from_db()
    assert org.payroll.leader == org.daily_leader
    unknown = org.client("hr").post(reverse("org:unit_leader", args=[org.payroll.uuid]), {"leader_number": "999999"})
    assert unknown.status_code == 400


def test_hr_gives_and_takes_a_role_and_both_are_audited(org: Org) -> None:
    hr = org.client("hr")
    response = hr.post(
        reverse("org:roles"),
        {
            "employee_number": org.colleague.employee_number,
            "kind": RoleKind.HR,
            "unit_codes": "OKO, LON",
            "region": "Økonomi",
        },
    )
    assert response.status_code == 302
    role = Role.objects.get(person=org.colleague, kind=RoleKind.HR)
    assert {u.code for u in role.units.all()} == {"OKO", "LON"}
    assert hr.post(reverse("org:role_remove", args=[role.uuid]), {"confirmed": "1"}).status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()
    actions = set(AuditEvent.objects.filter(subject_person_id=org.colleague.pk).values_list("action", flat=True))
    assert {"org.role_assigned", "org.role_removed"} <= actions


def test_a_role_for_an_unknown_unit_or_person_is_refused_clearly(org: Org) -> None:
    response = org.client("hr").post(
        reverse("org:roles"), {"employee_number": "nobody", "kind": RoleKind.HR, "unit_codes": "NOPE"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "employee_number" in errors and "unit_codes" in errors


def test_a_new_role_takes_effect_at_once(org: Org) -> None:
    url = reverse("org:person", args=[org.employee.uuid])
    assert org.client("colleague").get(url).status_code == 404
    org.client("hr").post(reverse("org:roles"), {"employee_number": org.colleague.employee_number, "kind": "hr"})
    assert org.client("colleague").get(url).status_code == 200


def test_the_home_page_names_the_mus_consultants_and_union_representatives_for_my_unit(org: Org) -> None:
    response = org.client("employee").get(reverse("dashboards:home"))
    assert [r.person.name for r in response.context["hr_contacts"]] == ["Hanne HR"]
    assert [r.person.name for r in response.context["union_reps"]] == ["Tove Tillid"]
    outsider = org.client("outsider").get(reverse("dashboards:home"))
    assert [r.person.name for r in outsider.context["hr_contacts"]] == ["Hanne HR", "Rita Regional"]
    assert list(outsider.context["union_reps"]) == []


def test_an_administrator_without_a_person_goes_to_the_administration(org: Org) -> None:
    response = org.client("admin").get(reverse("dashboards:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_the_administration_shows_the_organisation_but_cannot_change_it(org: Org) -> None:
    admin = org.client("admin")
    assert admin.get(reverse("admin:org_person_changelist")).status_code == 200
    change = admin.get(reverse("admin:org_person_change", args=[org.employee.pk]))
    assert change.status_code == 200
    assert b'name="name"' not in change.content  # read-only: no inputs
    assert admin.get(reverse("admin:org_person_add")).status_code == 403


def test_the_navigation_follows_the_role(org: Org) -> None:
    def labels(persona: str) -> list[str]:
        response = org.client(persona).get(reverse("dashboards:home"), follow=True)
        return [str(item.label) for item in response.context["nav"]]

    org.employee.user.language = "en"
    for persona in ("employee", "leader", "hr"):
        user = org.user(persona)
        user.language = "en"
        user.save(update_fields=["language"])
    assert labels("employee") == ["My conversations", "Competences"]
    assert labels("leader") == [
        "My conversations",
        "My team",
        "MUS rounds",
        "Evaluations",
        "Competences",
        "The organisation",
    ]
    assert labels("hr") == ["My conversations", "MUS rounds", "Competences", "The organisation"]


def test_regional_hr_moves_people_and_names_leaders_only_inside_their_units(org: Org) -> None:
    """A regional HR consultant cannot hand someone in their units to a leader elsewhere, nor
    learn from the form which employee numbers exist elsewhere."""
    org.regional_hr.user.language = "en"
    org.regional_hr.user.save(update_fields=["language"])
    rita = org.client("regional_hr")
    url = reverse("org:person_placement", args=[org.outsider.uuid])
    elsewhere = rita.post(url, {"unit_code": "BOR", "personnel_leader_number": org.colleague.employee_number})
    missing = rita.post(url, {"unit_code": "BOR", "personnel_leader_number": "nobody-has-this"})
    assert elsewhere.status_code == missing.status_code == 400
    assert elsewhere.context["form"].errors["personnel_leader_number"] == [
        f"No current employee has the number {org.colleague.employee_number}."
    ]
    moved_out = rita.post(url, {"unit_code": "LON", "personnel_leader_number": org.other_head.employee_number})
    assert moved_out.status_code == 400
    org.outsider.refresh_from_db()
    assert (org.outsider.unit, org.outsider.personnel_leader) == (org.children, org.other_head)
    # Inside her units she can.
    ok = rita.post(url, {"unit_code": "BOR", "personnel_leader_number": org.regional_hr.employee_number})
    assert ok.status_code == 302
