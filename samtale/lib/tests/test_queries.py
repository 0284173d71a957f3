"""Statements compiled once per process (lib.queries): the same rows as the ORM gives, with each
call's own values, and never a kept statement for a query of another shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import MultipleObjectsReturned
from django.db.models import Value
from django.db.models.sql.compiler import SQLCompiler

from samtale.lib import queries
from samtale.lib.queries import fetch, one_or_none
from samtale.org.models import Person, Unit
from samtale.testing import Org


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch, settings: Any) -> list[str]:
    """The statements compiled whole (not only their WHERE), starting with nothing kept; the
    suite's check of each kept statement (compiling it again) is off, to count."""
    settings.SAMTALE_QUERIES_CHECKED = False
    monkeypatch.setattr(queries, "_kept", {})
    monkeypatch.setattr(queries, "_shapes_per_name", {})
    seen: list[str] = []
    whole = SQLCompiler.as_sql

    def counted(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        sql, params = whole(self, *args, **kwargs)
        seen.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return seen


def _person(uuid: Any) -> Person | None:
    return one_or_none(Person.objects.select_related("unit", "personnel_leader").filter(uuid=uuid), key="test.person")


def test_a_statement_is_compiled_once_and_run_with_each_calls_values(org: Org, compiled: list[str]) -> None:
    first = _person(org.employee.uuid)
    assert first == org.employee and first.unit == org.employee.unit
    assert first.personnel_leader == org.employee.personnel_leader
    assert len(compiled) == 1
    compiled.clear()

    leader = _person(org.leader.uuid)
    assert leader == org.leader and leader.unit == org.leader.unit
    assert _person("00000000-0000-0000-0000-000000000000") is None
    assert compiled == []  # run again, not compiled again


def test_the_instances_are_those_the_orm_makes(org: Org, compiled: list[str]) -> None:
    _person(org.employee.uuid)
    again = _person(org.employee.uuid)
    plain = Person.objects.select_related("unit", "personnel_leader").get(uuid=org.employee.uuid)
    assert again is not None
    assert {k: v for k, v in vars(again).items() if k != "_state"} == {
        k: v for k, v in vars(plain).items() if k != "_state"
    }
    assert vars(again.unit) == vars(plain.unit) | {"_state": again.unit._state}
    assert again._state.adding is False and again._state.db == "default"


def test_another_shape_under_the_same_name_is_another_statement(org: Org, compiled: list[str]) -> None:
    key = "test.shapes"
    by_uuid = fetch(Person.objects.filter(uuid=org.employee.uuid), key)
    by_number = fetch(Person.objects.filter(employee_number=org.leader.employee_number), key)
    assert by_uuid == [org.employee] and by_number == [org.leader]
    some = [org.employee.pk, org.leader.pk]
    assert set(fetch(Person.objects.filter(pk__in=some), key)) == {org.employee, org.leader}
    assert fetch(Person.objects.filter(pk__in=some[:1]), key) == [org.employee]  # an IN of another length
    ordered = fetch(Person.objects.filter(pk__in=some).order_by("-name"), key)
    assert ordered == sorted([org.employee, org.leader], key=lambda p: p.name, reverse=True)
    assert len(fetch(Person.objects.filter(pk__in=some).order_by("name")[:1], key)) == 1
    assert fetch(Person.objects.filter(pk__in=some).values_list("pk", flat=True).order_by("pk"), key) == sorted(some)
    assert fetch(Person.objects.filter(pk__in=[]), key) == []
    from django.db.models import F

    for field in ("name", "employee_number"):  # the same name for another expression
        (row,) = fetch(Person.objects.filter(pk=org.leader.pk).annotate(shown=F(field)).values_list("shown"), key)
        assert row == (getattr(org.leader, field),)
    (named,) = fetch(Person.objects.filter(pk=org.leader.pk).only("pk", "name"), key)
    assert named.get_deferred_fields() and named.name == org.leader.name
    assert len(fetch(Unit.objects.all(), key)) == Unit.objects.count()
    assert len(compiled) == 12


def test_a_statement_with_a_value_outside_its_where_is_compiled_each_time(org: Org, compiled: list[str]) -> None:
    for word in ("one", "two"):
        (person,) = fetch(Person.objects.filter(pk=org.employee.pk).annotate(word=Value(word)), "test.annotated")
        assert person.word == word
    assert len(compiled) == 4  # each call: once to see, once to run
    assert queries._kept == {}


def test_the_queryset_is_left_as_it_was(org: Org, compiled: list[str]) -> None:
    query = Person.objects.filter(pk__in=[org.employee.pk, org.leader.pk])
    fetch(query, "test.left")
    fetch(query, "test.left")
    assert query.filter(pk=org.leader.pk).get() == org.leader  # a clone compiles its own


def test_two_rows_for_a_unique_key_are_an_error(org: Org) -> None:
    with pytest.raises(MultipleObjectsReturned):
        one_or_none(Person.objects.filter(pk__in=[org.employee.pk, org.leader.pk]), key="test.two")


def test_a_condition_on_a_sum_is_never_kept(org: Org, compiled: list[str]) -> None:
    """A condition on an aggregate goes to HAVING: the WHERE compiled on its own is not the
    statement's, so its parameters could be in another order; such a statement is not kept."""
    from django.db.models import Count

    def units(least: int, depth: int) -> set[Unit]:
        # "counted" sorts before "depth": the WHERE compiled on its own lists its value first,
        # the statement lists the depth's (in WHERE) before it (in HAVING).
        query = Unit.objects.annotate(counted=Count("members")).filter(counted__gte=least, depth=depth)
        return set(fetch(query, "test.having"))

    for least, depth in ((1, 1), (2, 1), (0, 2), (3, 2)):  # the first two values alike
        expected = {u for u in Unit.objects.filter(depth=depth) if u.members.count() >= least}
        assert units(least, depth) == expected
    assert queries._kept == {}


def test_a_join_through_another_relation_is_another_statement(org: Org, compiled: list[str]) -> None:
    """The same table joined through another foreign key (the personnel leader, the daily leader)
    under the same name: the join's relation is part of the shape."""
    from django.db.models import F

    key = "test.relation"
    led = fetch(Person.objects.filter(personnel_leader__uuid=org.leader.uuid).order_by("pk"), key)
    daily = fetch(Person.objects.filter(daily_leader__uuid=org.leader.uuid).order_by("pk"), key)
    assert led == list(Person.objects.filter(personnel_leader=org.leader).order_by("pk"))
    assert daily == list(Person.objects.filter(daily_leader=org.leader).order_by("pk"))
    assert led != daily
    for relation in ("personnel_leader", "daily_leader"):
        (name,) = fetch(Person.objects.filter(pk=org.employee.pk).values_list(F(f"{relation}__name"), flat=True), key)
        assert name == getattr(getattr(org.employee, relation), "name", None)


def test_locking_reads_subqueries_and_filtered_relations_are_never_kept(org: Org, compiled: list[str]) -> None:
    from django.db import transaction
    from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery

    with transaction.atomic():
        assert fetch(Person.objects.select_for_update().filter(pk=org.employee.pk), "test.lock") == [org.employee]
    reports = Person.objects.filter(personnel_leader=OuterRef("pk"))
    for _ in range(3):
        leads = fetch(Person.objects.filter(pk=org.leader.pk).annotate(leads=Exists(reports)), "test.exists")
        assert leads[0].leads is True
        unit = Unit.objects.filter(pk=OuterRef("unit_id")).values("name")[:1]
        (named,) = fetch(Person.objects.filter(pk=org.leader.pk).annotate(unit_name=Subquery(unit)), "test.subquery")
        assert named.unit_name == org.leader.unit.name
        mine = FilteredRelation("members", condition=Q(members__pk=org.leader.pk))
        joined = Unit.objects.filter(pk=org.leader.unit_id).annotate(mine=mine).values_list("mine__pk")
        (counted,) = fetch(joined, "test.filtered")
        assert counted == (org.leader.pk,)
    assert queries._kept == {}


def test_a_name_keeps_a_few_shapes(org: Org, compiled: list[str]) -> None:
    """A page's subquery with its own LIMIT is a shape per page: one name keeps a few, and the
    rest are compiled each time, right all the same."""
    people = list(Person.objects.order_by("pk"))
    for offset in range(queries.MOST_PER_NAME + 4):
        found = fetch(Person.objects.order_by("pk")[offset : offset + 1], "test.pages")
        assert found == people[offset : offset + 1]
    assert len(queries._kept) == queries.MOST_PER_NAME


def test_the_suite_checks_each_kept_statement(org: Org, compiled: list[str], settings: Any) -> None:
    """With ``SAMTALE_QUERIES_CHECKED`` (the suite's setting), a kept statement that is not what
    Django compiles is an error, not another person's rows."""
    _person(org.employee.uuid)
    ((shape, (compiler, sql)),) = queries._kept.items()
    queries._kept[shape] = (compiler, sql.replace('"uuid"', '"employee_number"'))
    settings.SAMTALE_QUERIES_CHECKED = True
    with pytest.raises(AssertionError, match="not the statement kept"):
        _person(org.leader.uuid)
