"""What the competence register asks of a person now, for their start page
(``samtale.dashboards.todo``): the employee registers before the MUS and settles a differing level
with the leader before it, not in it; the leader assesses and settles."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from samtale.competences.models import Competence, Registration
from samtale.lib.todo import ToDo
from samtale.org.models import Person, employed_q

_DIFFER = Q(employee_level__isnull=False, leader_level__isnull=False) & ~Q(employee_level=F("leader_level"))


def todo_for_employee(*, person: Person, mus_coming: bool) -> list[ToDo]:
    """Before a MUS that is coming: register, or settle the levels that differ (two queries)."""
    if not mus_coming:
        return []
    url = reverse("competences:register", args=[person.uuid])
    counts = Registration.objects.filter(person=person).aggregate(
        registered=Count("id"), differ=Count("id", filter=_DIFFER)
    )
    if counts["differ"]:
        text = ngettext(
            "Settle %(count)s competence level that differs from your leader's before your MUS",
            "Settle the %(count)s competence levels that differ from your leader's before your MUS",
            counts["differ"],
        ) % {"count": counts["differ"]}
        return [ToDo("competences.settle", text, url, icon="warning")]
    if not counts["registered"] and Competence.objects.active().exists():
        text = gettext("Register your competences before your MUS: your level and an example for each")
        return [ToDo("competences.register", text, url, icon="edit")]
    return []


def todo_for_leader(*, leader: Person) -> list[ToDo]:
    """The registrations of the leader's reports that wait for an assessment, and the levels that
    differ (one query)."""
    counts = Registration.objects.filter(
        person__in=Person.objects.filter(employed_q(), personnel_leader=leader)
    ).aggregate(to_assess=Count("id", filter=Q(leader_level__isnull=True)), differ=Count("id", filter=_DIFFER))
    url = reverse("learning:team")
    items = []
    if counts["to_assess"]:
        items.append(
            ToDo(
                "competences.assess",
                ngettext(
                    "Assess %(count)s competence registration of your team",
                    "Assess %(count)s competence registrations of your team",
                    counts["to_assess"],
                )
                % {"count": counts["to_assess"]},
                url,
                icon="edit",
            )
        )
    if counts["differ"]:
        items.append(
            ToDo(
                "competences.settle_team",
                ngettext(
                    "Settle %(count)s differing competence level with your team before the MUS",
                    "Settle %(count)s differing competence levels with your team before the MUS",
                    counts["differ"],
                )
                % {"count": counts["differ"]},
                url,
                icon="warning",
            )
        )
    return items
