"""The personas built once (samtale/testing/built_once.py): every test gets the layers exactly as
they were built, whatever the tests before it did, in the database or to the objects."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection

from samtale.conversations.models import Conversation
from samtale.org.models import Person
from samtale.outbox.models import OutboxMessage
from samtale.plans.models import ActivityType
from samtale.rounds.models import Round
from samtale.testing import Mus, Org
from samtale.testing.built_once import LAYERS_OF_THIS_WORKER, built_once


@pytest.mark.parametrize("run", range(3))
def test_each_test_gets_the_personas_as_they_were_built(org: Org, mus: Mus, run: int) -> None:
    # What the runs before this one changed, in Python and in the database, is gone.
    assert org.employee.name == "Emil Ærø"
    assert Person.objects.get(pk=org.colleague.pk).name == "Kåre Kollega"
    assert Conversation.objects.get(pk=mus.conversation.pk).location == ""
    assert mus.conversation.location == ""
    # The objects refer to one another as built.
    assert org.employee.personnel_leader is org.leader
    org.employee.name = "Ændret i Python"
    Person.objects.filter(pk=org.colleague.pk).update(name="Ændret i databasen")
    Conversation.objects.filter(pk=mus.conversation.pk).update(location="Ændret i databasen")
    mus.conversation.location = "Ændret i Python"


def test_the_layers_lie_beneath_the_tests_transaction(org: Org, mus: Mus) -> None:
    assert LAYERS_OF_THIS_WORKER.names() == ["org", "mus"]
    assert len(connection.atomic_blocks) == 3  # the organisation, the round, the test


def test_each_test_with_the_round_gets_the_mails_its_launch_sent(mus: Mus) -> None:
    assert mail.outbox
    assert {message.to[0] for message in mail.outbox} <= set(Person.objects.values_list("email", flat=True))
    assert len(mail.outbox) == OutboxMessage.objects.filter(kind__startswith="rounds.").count()


def test_the_organisation_alone_has_no_round_and_sent_nothing(org: Org) -> None:
    assert LAYERS_OF_THIS_WORKER.names() == ["org"]
    assert not Round.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_test_without_the_personas_sees_none_of_them() -> None:
    assert LAYERS_OF_THIS_WORKER.names() == []
    assert not Person.objects.exists()
    assert ActivityType.objects.exists()  # what the data migrations ship is there


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_starts_without_the_personas() -> None:
    assert LAYERS_OF_THIS_WORKER.names() == []
    assert not connection.in_atomic_block
    assert not Person.objects.exists()
    assert ActivityType.objects.exists()


def test_after_a_transactional_test_the_personas_are_there_again(org: Org) -> None:
    # (Whichever ran before it on this worker: a flush, or nothing.)
    assert Person.objects.filter(pk=org.employee.pk).exists()
    assert ActivityType.objects.exists()


@pytest.fixture
def _in_english_before_the_round(org: Org) -> None:
    org.employee.user.language = "en"
    org.employee.user.save(update_fields=["language"])


def test_a_fixture_that_changes_the_organisation_first_gets_the_round_built_after_it(
    org: Org, _in_english_before_the_round: None, mus: Mus
) -> None:
    # The round is not taken from its layer: built here, it sends the employee English.
    assert LAYERS_OF_THIS_WORKER.names() == ["org"]
    opened = OutboxMessage.objects.get(kind="rounds.opened", to_email=org.employee.email)
    assert opened.language == "en"


@built_once(on="mus")
def placed(org: Org, mus: Mus) -> dict[str, Any]:
    """A module's own layer: a place for the colleague's conversation."""
    Conversation.objects.filter(pk=mus.colleague_conversation.pk).update(location="Lokale 1")
    mus.colleague_conversation.refresh_from_db()
    return {"conversation": mus.colleague_conversation}


@pytest.mark.parametrize("run", range(2))
def test_a_modules_own_layer_is_built_on_the_round(org: Org, mus: Mus, placed: dict[str, Any], run: int) -> None:
    assert LAYERS_OF_THIS_WORKER.names() == ["org", "mus", "placed"]
    assert placed["conversation"].location == "Lokale 1"
    assert Conversation.objects.get(pk=mus.colleague_conversation.pk).location == "Lokale 1"
    Conversation.objects.filter(pk=mus.colleague_conversation.pk).update(location="Ændret i databasen")
    placed["conversation"].location = "Ændret i Python"
