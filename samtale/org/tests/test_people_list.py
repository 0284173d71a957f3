"""HR's people list at scale (docs/domain.md § The organisation): narrowed by a unit and the units
below it (chosen by typing its name, at any depth), the personnel leader, a role and a state,
sorted by any column in the database, and a search that finds a misspelt name on PostgreSQL while
SQLite finds the exact spelling only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from samtale.org.models import Person
from samtale.testing import Mus, Org
from samtale.testing.queries import Page, assert_same_queries


def names(org: Org, **params: str) -> list[str]:
    response = org.client("hr").get(reverse("org:people"), params)
    assert response.status_code == 200
    return [person.name for person in response.context["page"]]


def test_a_unit_narrows_the_list_to_it_and_the_units_below(org: Org) -> None:
    economy = set(names(org, unit=org.economy.code))
    assert {org.head.name, org.leader.name, org.employee.name, org.former_leader.name} <= economy
    assert org.outsider.name not in economy and org.director.name not in economy
    assert set(names(org, unit=org.payroll.code)) == {
        p.name for p in Person.objects.filter(unit__path__startswith=org.payroll.path)
    }
    page = org.client("hr").get(reverse("org:people"), {"unit": "NO-SUCH"}).content.decode()
    assert "No unit you cover has that code" in page or "Ingen enhed" in page


def test_leader_role_and_state_narrow_the_list(org: Org) -> None:
    assert set(names(org, leader=org.leader.name.split()[0].lower())) >= {org.employee.name, org.colleague.name}
    assert org.outsider.name not in names(org, leader=org.leader.name)
    leaders = set(names(org, role="leader"))
    assert {org.leader.name, org.head.name, org.director.name} <= leaders and org.employee.name not in leaders
    assert names(org, role="union_rep") == [org.union_rep.name]
    Person.objects.filter(pk=org.colleague.pk).update(end_date="2020-01-01")
    assert names(org, state="ended") == [org.colleague.name]
    assert org.colleague.name not in names(org)


def test_every_column_sorts_both_ways_and_the_links_keep_the_filters(org: Org) -> None:
    by_name = names(org)
    assert by_name == sorted(by_name, key=lambda n: (n, ""))  # the default
    assert names(org, sort="-name") == list(reversed(by_name))
    numbers = [
        p.employee_number for p in org.client("hr").get(reverse("org:people"), {"sort": "number"}).context["page"]
    ]
    assert numbers == sorted(numbers)
    page = org.client("hr").get(reverse("org:people"), {"sort": "unit", "unit": org.economy.code}).content.decode()
    assert 'aria-sort="ascending"' in page and f"unit={org.economy.code}&amp;sort=-unit" in page


def test_a_unit_is_found_by_typing_part_of_its_name_at_any_depth(org: Org) -> None:
    options = org.client("hr").get(reverse("org:unit_options"), {"unit": "regn"}).content.decode()
    assert f'<option value="{org.accounting.code}">{org.accounting.name} – ' in options
    assert org.economy.name in options  # the units above it, to tell alike names apart
    covered = org.client("regional_hr").get(reverse("org:unit_options"), {"unit": "regn"}).content.decode()
    assert org.accounting.code not in covered  # outside the units regional HR covers
    assert org.client("employee").get(reverse("org:unit_options"), {"unit": "regn"}).status_code == 404


def test_the_search_finds_a_misspelt_name_on_postgresql_and_the_exact_one_everywhere(org: Org) -> None:
    assert names(org, q="ærø") == [org.employee.name]  # "Emil Ærø", Danish letters folded
    misspelt = names(org, q="Emil Æør")
    if connection.vendor == "postgresql":
        assert org.employee.name in misspelt
    else:
        assert misspelt == []


@pytest.mark.parametrize("params", [{"unit": "OKO", "sort": "-leader"}, {"role": "leader", "state": "not_signed_in"}])
def test_the_filtered_list_costs_the_same_queries_for_a_bigger_organisation(org: Org, params: dict[str, str]) -> None:
    from samtale.testing import grow_org

    assert_same_queries(lambda: grow_org(org, 12), Page(org.client("hr"), reverse("org:people"), params))


def test_the_participants_of_a_round_are_narrowed_by_unit_and_sorted_by_any_column(org: Org, mus: Mus) -> None:
    url = reverse("rounds:participants", args=[mus.round.uuid])

    def shown(**params: str) -> list[str]:
        response = org.client("hr").get(url, params)
        assert response.status_code == 200
        return [candidate.name for candidate, _has, _uuid in response.context["rows"]]

    in_payroll = shown(unit=org.payroll.code)
    assert set(in_payroll) == {p.name for p in Person.objects.filter(unit__path__startswith=org.payroll.path)}
    assert shown(unit=org.payroll.code, sort="-name") == list(reversed(shown(unit=org.payroll.code, sort="name")))
    by_part = org.client("hr").get(url, {"sort": "part"}).context["rows"]
    parts = [candidate.takes_part for candidate, _has, _uuid in by_part]
    assert parts == sorted(parts, reverse=True)  # those taking part first
    page = org.client("hr").get(url, {"unit": org.payroll.code, "sort": "name"}).content.decode()
    assert 'aria-sort="ascending"' in page
