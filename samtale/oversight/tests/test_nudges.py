"""HR's reminder to the leaders of conversations not held by the round's deadline: through the
outbox, one e-mail per leader and day, a link and a count, never a name or content; audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from samtale.access.viewer import viewer_for
from samtale.audit.models import AuditEvent
from samtale.outbox.delivery import outbox_deliver
from samtale.outbox.models import OutboxMessage
from samtale.oversight.services import leaders_nudge
from samtale.testing import Mus, Org
from samtale.testing.oversight import SECRET, deadline_passed, plant_states
from samtale.testing.signing import english


def _nudged() -> set[str]:
    return set(OutboxMessage.objects.filter(kind="oversight.nudge").values_list("to_email", flat=True))


def test_each_leader_of_a_late_conversation_gets_one_reminder(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    deadline_passed(mus.round)
    result = leaders_nudge(viewer=viewer_for(org.user("hr")), round_=mus.round)
    # Løn's late ones are the leader's; the head's, Børn's and HR's are still to be scheduled too.
    assert _nudged() == {org.leader.email, org.head.email, org.director.email, org.other_head.email}
    assert result.sent == result.leaders == 4


def test_a_leader_is_reminded_once_a_day(org: Org, mus: Mus) -> None:
    deadline_passed(mus.round)
    hr = viewer_for(org.user("hr"))
    leaders_nudge(viewer=hr, round_=mus.round)
    again = leaders_nudge(viewer=hr, round_=mus.round)
    assert again.sent == 0 and again.leaders == 4
    assert OutboxMessage.objects.filter(kind="oversight.nudge").count() == 4
    tomorrow = leaders_nudge(viewer=hr, round_=mus.round, today=timezone.localdate() + timedelta(days=1))
    assert tomorrow.sent == 4


def test_nobody_is_reminded_before_the_deadline(org: Org, mus: Mus) -> None:
    assert leaders_nudge(viewer=viewer_for(org.user("hr")), round_=mus.round).leaders == 0
    assert not _nudged()


def test_regional_hr_reminds_only_the_leaders_of_its_units(org: Org, mus: Mus) -> None:
    deadline_passed(mus.round)
    leaders_nudge(viewer=viewer_for(org.user("regional_hr")), round_=mus.round)
    # Børn's people: the outsider and regional HR report to its head, its head to the director.
    assert _nudged() == {org.other_head.email, org.director.email}


def test_only_hr_may_remind(org: Org, mus: Mus) -> None:
    deadline_passed(mus.round)
    for persona in ("leader", "head", "employee"):
        with pytest.raises(PermissionDenied):
            leaders_nudge(viewer=viewer_for(org.user(persona)), round_=mus.round)
    assert not _nudged()


def test_the_reminder_is_audited(org: Org, mus: Mus) -> None:
    deadline_passed(mus.round)
    org.client("hr").post(reverse("oversight:nudge", args=[mus.round.uuid]), {"confirmed": "1"})
    event = AuditEvent.objects.get(action="oversight.nudge")
    assert event.actor_id == org.user("hr").pk and event.target_id == str(mus.round.uuid)
    assert event.data["sent"] == 4


def test_the_e_mail_holds_a_count_and_a_link_and_no_names_or_content(org: Org, mus: Mus) -> None:
    plant_states(org, mus)
    deadline_passed(mus.round)
    english(org, "hr", "leader")
    response = org.client("hr").post(reverse("oversight:nudge", args=[mus.round.uuid]), {"confirmed": "1"}, follow=True)
    assert "A reminder goes to 4 leaders." in response.content.decode()
    outbox_deliver()  # if the delivery task has not run already
    to_leader = next(m for m in mail.outbox if m.to == [org.leader.email] and "deadline" in m.subject)
    html = to_leader.alternatives[0][0]
    assert "2 conversations are not held by the deadline" in to_leader.subject
    assert reverse("dashboards:team") in to_leader.body and reverse("dashboards:team") in str(html)
    for text in (to_leader.subject, to_leader.body, str(html)):
        assert SECRET not in text
        assert org.colleague.name not in text and org.daily_leader.name not in text


def test_the_overview_offers_the_reminder_to_hr_only(org: Org, mus: Mus) -> None:
    deadline_passed(mus.round)
    url = reverse("oversight:overview", args=[mus.round.uuid])
    nudge = reverse("oversight:nudge", args=[mus.round.uuid])
    assert nudge in org.client("hr").get(url).content.decode()
    assert nudge not in org.client("head").get(url).content.decode()


def test_hr_who_also_leads_a_team_reminds_only_the_leaders_of_the_people_it_covers(org: Org, mus: Mus) -> None:
    deadline_passed(mus.round)
    org.colleague.personnel_leader = org.regional_hr
    org.colleague.save(update_fields=["personnel_leader"])
    leaders_nudge(viewer=viewer_for(org.user("regional_hr")), round_=mus.round)
    assert _nudged() == {org.other_head.email, org.director.email}
