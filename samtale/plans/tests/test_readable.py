"""One plan, one set of words: the plan's page, the version's page, the PDF and the comparison of
two versions all read a plan's content through ``readable.readable_content``, so the same item
says the same thing everywhere: "What someone typed comes back as they would write it …, in
their language, wherever it is shown: form, page, comparison of versions, PDF" (docs/domain.md
§ Dates, weeks and words)."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from samtale.plans.content import Activity, FollowUpTopic, Goal, PlanContent
from samtale.plans.diff import CHANGED, version_diff
from samtale.plans.models import ActivityType, PlanVersion
from samtale.plans.pdf import plan_pdf_context
from samtale.plans.readable import readable_content
from samtale.plans.services import signing
from samtale.testing import Mus, Org
from samtale.testing.signing import as_, edit_current, reload, signed_plan

# The conversation in December 2026: the weeks of 2027 read without their year.
REFERENCE = date(2026, 12, 4)


def _activity(**fields: str) -> Activity:
    activity: Activity = {
        "id": "a" * 32,
        "type": "",
        "text": "",
        "from": "",
        "to": "",
        "starts": "",
        "follow_up_how": "",
        "follow_up_when": "",
    }
    return activity | fields  # type: ignore[return-value]


def _plan(*activities: Activity, topics: tuple[FollowUpTopic, ...] = ()) -> PlanContent:
    goal: Goal = {"id": "b" * 32, "text": "Mål", "measure": "", "milestones": "", "activities": list(activities)}
    return {"focus_areas": [], "follow_up_topics": list(topics), "goals": [goal]}


def _text(html: str) -> str:
    """A page's words, without its tags: a cell's words and the next cell's are apart."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_dates_and_weeks_read_as_people_write_them() -> None:
    content = _plan(
        _activity(**{"from": "2027-W10", "to": "2027-W16", "follow_up_when": "2027-W17"}),
        _activity(**{"from": "2026-W52", "to": "2027-W02"}),
        _activity(**{"from": "2027-04-04", "to": "2027-W16", "follow_up_when": "2027-05-01"}),
        _activity(to="2027-W16"),
        _activity(**{"from": "2027-W11", "to": "2027-W11"}),
    )
    with translation.override("da"):
        plan = readable_content(content, labels={}, reference=REFERENCE, follow_up="2027-W18")
    [goal] = plan.goals
    assert [a.when for a in goal.activities] == [
        "uge 10–16",
        "uge 52–2",
        "4. april 2027 – uge 16",
        "indtil uge 16",
        "uge 11",
    ]
    # The two ends each as a point, as the comparison of versions names them.
    assert (goal.activities[0].when_from, goal.activities[0].when_to) == ("uge 10", "uge 16")
    assert [a.follow_up_when for a in goal.activities[:3]] == ["uge 17", "", "1. maj 2027"]
    assert plan.follow_up == "uge 18"


def test_who_is_responsible_and_the_types_read_in_words() -> None:
    topics: tuple[FollowUpTopic, ...] = (
        {"id": "1" * 32, "text": "a", "responsible": "leader", "responsible_name": "", "by": ""},
        {"id": "2" * 32, "text": "b", "responsible": "employee", "responsible_name": "", "by": "2027-03-01"},
        {"id": "3" * 32, "text": "c", "responsible": "other", "responsible_name": "Kåre", "by": ""},
        {"id": "4" * 32, "text": "d", "responsible": "", "responsible_name": "", "by": ""},
    )
    content = _plan(_activity(type="coaching"), _activity(type="jobrotation"), _activity(type="gone"), topics=topics)
    with translation.override("da"):
        plan = readable_content(content, labels={"jobrotation": "Jobrotation"}, reference=REFERENCE)
    assert [t.responsible for t in plan.follow_up_topics] == ["Lederen", "Medarbejderen", "Kåre", ""]
    assert plan.follow_up_topics[1].by == "1. marts 2027"
    # A built-in type by its translated name, one of HR's by the name it was given; one the
    # catalogue does not have as it is stored, never as nothing.
    assert [a.type_label for a in plan.goals[0].activities] == ["Coaching", "Jobrotation", "gone"]


def test_a_document_missing_parts_and_fields_still_reads() -> None:
    """The database does not check the JSON (a version's content defaults to ``{}``)."""
    plan = readable_content({"focus_areas": [{"text": "x"}]}, labels={}, reference=REFERENCE)  # type: ignore[typeddict-item]
    assert (plan.focus_areas[0].text, plan.focus_areas[0].must_improve) == ("x", False)
    assert (plan.follow_up_topics, plan.goals, plan.follow_up) == ((), (), "")


def test_the_page_the_pdf_and_the_comparison_say_the_same_thing_in_the_same_words(org: Org, mus: Mus) -> None:
    """An amendment moves the end of the peer training to week 18 and its follow-up to a date,
    gives the topic to someone else, and changes the course to one of HR's types: the page,
    the PDF and the comparison with the signed version say each in the same words."""
    hr_type = ActivityType.objects.create(name="Jobrotation i lønteamet", order=99)
    plan = signed_plan(org, mus)  # the personas read Danish
    signing.plan_amend(viewer=as_(org, "employee"), plan=plan, reason="Længere oplæring")

    def change(content: PlanContent) -> None:
        peer_training, course = content["goals"][0]["activities"]
        peer_training.update({"to": "2027-W18", "follow_up_when": "2027-06-03"})
        course["type"] = hr_type.uuid.hex
        content["follow_up_topics"][0].update(responsible="other", responsible_name="Kåre fra HR")

    edit_current(plan, change)
    plan = reload(plan)
    first, second = PlanVersion.objects.filter(plan=plan).order_by("number")

    with translation.override("da"):
        diff = version_diff(first, second)
        pdf = _text(render_to_string("plans/plan_pdf.html", plan_pdf_context(plan=plan, version=second, label="copy")))
    page = _text(org.client("employee").get(reverse("plans:detail", args=[plan.uuid])).content.decode())
    version_page = _text(
        org.client("leader").get(reverse("plans:plan_version", args=[plan.uuid, second.number])).content.decode()
    )

    parts = {part.key: part.changes for part in diff.parts}
    [topic] = parts["follow_up_topics"]
    peer_training, course = parts["goals"]
    assert (topic.kind, peer_training.kind, course.kind) == (CHANGED, CHANGED, CHANGED)
    said = {
        (change.label, field.name): (field.old, field.new)
        for change in (topic, peer_training, course)
        for field in change.fields
    }
    assert said == {
        # Who is responsible as the page says it, not as it is stored ("leader", "other").
        ("Deltid i foråret", "responsible"): ("Lederen", "Kåre fra HR"),
        ("Sidemandsoplæring hos Kåre", "to"): ("uge 16", "uge 18"),
        ("Sidemandsoplæring hos Kåre", "follow_up_when"): ("uge 17", "3. juni 2027"),
        ("Kursus i lønmodulet", "type"): ("Faglige kurser", "Jobrotation i lønteamet"),
    }
    for words in ("Kåre fra HR", "uge 10–18", "3. juni 2027", "Jobrotation i lønteamet"):
        assert words in page, words
        assert words in pdf, words
        assert words in version_page, words  # the version's text under what changed
    # The comparison on the version's page, in the words the page and the PDF use.
    for old, new in said.values():
        assert f"før “ {old} ”, nu “ {new} ”" in version_page
    for stored in ("2027-W18", "2027-06-03", hr_type.uuid.hex, "other"):
        assert stored not in page and stored not in pdf and stored not in version_page
