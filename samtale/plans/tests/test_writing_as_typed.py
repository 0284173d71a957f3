"""What the employee typed comes back as they would write it
(docs/domain.md § Dates, weeks and words): "uge 8", "uge 10–16" and "4.4.2027" are stored as
"2027-W08", "2027-W10"/"2027-W16" and "2027-04-04", and shown again in the form, on the plan page,
in what changed between versions and in the PDF as people write and read them, in their language,
with a week's year only when it is not the obvious one. Stored values are read back exactly:
parse(format(x)) == x, week 53 and the turn of the year included."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from samtale.lib import isoweek
from samtale.plans import content as plan_content
from samtale.plans.content import parse_point, parse_span, point_text, span_form, span_text
from samtale.plans.models import Plan
from samtale.testing import Mus, Org
from samtale.testing.plans import follow_up_week, held_plan, post_data, raw, topic, version_of

LANGUAGES = st.sampled_from(["da", "en"])
REFERENCES = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
# Years with a week 53 (2026, 2032, 2037 …) come up often enough to be tried every run.
LONG_YEARS = [year for year in range(2000, 2100) if isoweek.weeks_in_year(year) == 53]


@st.composite
def weeks_near(draw: st.DrawFn, reference: date) -> str:
    """A stored week from two years before the reference to eight after, week 53 included."""
    year = draw(
        st.one_of(
            st.integers(reference.year - 2, reference.year + 8),
            st.sampled_from([y for y in LONG_YEARS if reference.year - 2 <= y <= reference.year + 8] or [2026]),
        )
    )
    week = draw(st.integers(1, isoweek.weeks_in_year(year)))
    if draw(st.booleans()) and isoweek.weeks_in_year(year) == 53:
        week = 53
    return isoweek.make_week(year, week)


@st.composite
def points_near(draw: st.DrawFn, reference: date) -> str:
    if draw(st.booleans()):
        return draw(weeks_near(reference))
    return draw(
        st.dates(min_value=reference - timedelta(days=800), max_value=reference + timedelta(days=3000))
    ).isoformat()


# Weeks --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "reference", "danish", "english"),
    [
        ("2027-W08", date(2026, 11, 23), "uge 8", "week 8"),
        ("2026-W48", date(2026, 11, 23), "uge 48", "week 48"),  # the reference's own week
        ("2026-W53", date(2026, 11, 23), "uge 53", "week 53"),
        ("2026-W53", date(2027, 1, 1), "uge 53", "week 53"),  # 1 January 2027 is in week 53 of 2026
        ("2027-W47", date(2026, 11, 23), "uge 47", "week 47"),  # the last week 47 within the year
        ("2027-W48", date(2026, 11, 23), "uge 48, 2027", "week 48, 2027"),  # "uge 48" is this year's
        ("2026-W10", date(2026, 11, 23), "uge 10, 2026", "week 10, 2026"),  # before the conversation
        ("2028-W02", date(2026, 11, 23), "uge 2, 2028", "week 2, 2028"),
        ("2032-W53", date(2027, 1, 10), "uge 53, 2032", "week 53, 2032"),  # the next week 53 is years away
    ],
)
def test_a_week_is_written_with_its_year_only_when_not_the_obvious_one(
    value: str, reference: date, danish: str, english: str
) -> None:
    for language, expected in (("da", danish), ("en", english)):
        with translation.override(language):
            assert isoweek.week_text(value, reference=reference) == expected
            assert isoweek.parse_weeks(expected, reference=reference) == (value, value)


@pytest.mark.parametrize(
    ("first", "last", "reference", "danish", "english"),
    [
        ("2027-W10", "2027-W16", date(2026, 11, 23), "uge 10–16", "weeks 10–16"),
        ("2026-W52", "2027-W02", date(2026, 11, 23), "uge 52–2", "weeks 52–2"),  # over the new year
        ("2026-W53", "2027-W02", date(2026, 11, 23), "uge 53–2", "weeks 53–2"),
        ("2028-W10", "2028-W16", date(2026, 11, 23), "uge 10–16, 2028", "weeks 10–16, 2028"),
        ("2027-W50", "2028-W02", date(2026, 11, 23), "uge 50, 2027 – uge 2, 2028", "week 50, 2027 – week 2, 2028"),
        ("2027-W10", "2028-W12", date(2026, 11, 23), "uge 10, 2027 – uge 12, 2028", "week 10, 2027 – week 12, 2028"),
    ],
)
def test_a_range_of_weeks_is_written_as_people_write_it(
    first: str, last: str, reference: date, danish: str, english: str
) -> None:
    for language, expected in (("da", danish), ("en", english)):
        with translation.override(language):
            assert isoweek.weeks_text(first, last, reference=reference) == expected


@given(reference=REFERENCES, data=st.data(), language=LANGUAGES)
@example(reference=date(2026, 12, 31), data=None, language="da").via("week 53 of 2026 on New Year's Eve")
def test_a_written_week_reads_back_as_itself(reference: date, data: st.DataObject | None, language: str) -> None:
    value = data.draw(weeks_near(reference)) if data is not None else "2026-W53"
    with translation.override(language):
        text = isoweek.week_text(value, reference=reference)
        assert isoweek.parse_weeks(text, reference=reference) == (value, value), text


@given(reference=REFERENCES, data=st.data(), length=st.integers(1, 120), language=LANGUAGES)
def test_a_written_range_of_weeks_reads_back_as_itself(
    reference: date, data: st.DataObject, length: int, language: str
) -> None:
    first = data.draw(weeks_near(reference))
    last = isoweek.week_of(isoweek.week_start(first) + timedelta(weeks=length))
    with translation.override(language):
        text = isoweek.weeks_text(first, last, reference=reference)
        if " – " in text:  # longer than one range can say: each end on its own, both with their years
            start, end = text.split(" – ")
            assert parse_point(start, reference=reference) == first, text
            assert parse_point(end, reference=reference) == last, text
        else:
            assert isoweek.parse_weeks(text, reference=reference) == (first, last), text


# Dates, and when an activity runs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "read"),
    [("da", "4.4.2027", "4. april 2027"), ("en", "4 April 2027", "4 April 2027")],
)
def test_a_date_is_typed_and_read_as_people_do(language: str, typed: str, read: str) -> None:
    reference = date(2026, 11, 23)
    with translation.override(language):
        assert point_text("2027-04-04", reference=reference, typed=True) == typed
        assert point_text("2027-04-04", reference=reference) == read
    for text in (typed, read, "4. apr. 2027", "4 april 2027", "04.04.2027", "4/4-2027"):
        assert parse_point(text, reference=reference) == "2027-04-04"


@pytest.mark.parametrize("text", ["4. smarch 2027", "31. april 2027", "4. april"])
def test_a_date_that_is_no_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_point(text, reference=date(2026, 11, 23))


@given(reference=REFERENCES, data=st.data(), typed=st.booleans(), language=LANGUAGES)
def test_a_written_date_or_week_reads_back_as_itself(
    reference: date, data: st.DataObject, typed: bool, language: str
) -> None:
    value = data.draw(points_near(reference))
    with translation.override(language):
        text = point_text(value, reference=reference, typed=typed)
        assert parse_point(text, reference=reference) == value, text


@given(reference=REFERENCES, data=st.data(), language=LANGUAGES)
@example(reference=date(2026, 12, 31), data=None, language="da").via("uge 53–2 over New Year's Eve")
def test_an_activitys_time_in_the_form_reads_back_as_itself(
    reference: date, data: st.DataObject | None, language: str
) -> None:
    if data is None:
        start, end = "2026-W53", "2027-W02"
    else:
        start = data.draw(st.one_of(st.just(""), points_near(reference)))
        end = data.draw(st.one_of(st.just(""), points_near(reference)))
        if start and end and plan_content.point_end(end) < plan_content.point_start(start):
            start, end = end, start  # the form refuses a time that ends before it starts
    with translation.override(language):
        typed = span_form(start, end, reference=reference)
        assert parse_span(*typed, reference=reference) == (start, end), typed


def test_an_activitys_time_is_read_as_one_phrase() -> None:
    reference = date(2026, 11, 23)
    with translation.override("da"):
        assert span_form("2027-W10", "2027-W16", reference=reference) == ("uge 10–16", "")
        assert span_text("2027-W10", "2027-W16", reference=reference) == "uge 10–16"
        assert span_text("2027-04-01", "2027-W16", reference=reference) == "1. april 2027 – uge 16"
        assert span_text("", "2027-W16", reference=reference) == "indtil uge 16"
        assert span_text("2027-W10", "", reference=reference) == "uge 10"
    with translation.override("en"):
        assert span_text("2026-W52", "2027-W02", reference=reference) == "weeks 52–2"


# The pages ----------------------------------------------------------------------------------------


def _typed_content() -> tuple[dict, str]:  # type: ignore[type-arg]
    """A plan as the employee types it: a topic by week 8, an activity in weeks 10–16 followed up
    on 4.4.2027, and the follow-up conversation ten weeks after the conversation."""
    content = raw(start="uge 10-16", end="")
    content["goals"][0]["activities"][0]["follow_up_when"] = "4.4.2027"
    content["follow_up_topics"] = [topic(responsible="leader", by="uge 8")]
    return content, f"uge {follow_up_week()}"


class _Form(HTMLParser):
    """The fields of the plan's form as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        name = attr.get("name", "")
        if tag == "input" and attr.get("type") in ("text", "hidden") and name:
            self.values[name] = attr.get("value", "")
        elif tag == "input" and attr.get("type") == "checkbox" and "checked" in attr:
            self.values[name] = "on"
        elif tag == "textarea":
            self._textarea = name
            self.values[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attr:
            self.values[self._select] = attr.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def _field_values(page: str) -> dict[str, str]:
    form = _Form()
    form.feed(page.split('id="plan-form"', 1)[1].split("</form>", 1)[0])
    form.values.pop("csrfmiddlewaretoken", None)
    return form.values


@pytest.fixture
def saved(org: Org, mus: Mus) -> tuple[Plan, str]:
    plan = held_plan(org, mus)
    content, follow_up = _typed_content()
    response = org.client("employee").post(
        reverse("plans:edit", args=[plan.uuid]), post_data(content, follow_up=follow_up)
    )
    assert response.status_code == 302
    version = version_of(plan)
    assert version.content["follow_up_topics"][0]["by"].endswith("-W08")  # stored as ISO weeks and dates
    assert version.content["goals"][0]["activities"][0]["follow_up_when"] == "2027-04-04"
    return plan, follow_up


def test_the_form_shows_again_what_the_employee_typed(org: Org, saved: tuple[Plan, str]) -> None:
    plan, follow_up = saved
    page = org.client("employee").get(reverse("plans:edit", args=[plan.uuid])).content.decode()  # Danish
    values = _field_values(page)
    assert values["topic-0-by"] == "uge 8"
    assert (values["goal-0-act-0-from"], values["goal-0-act-0-to"]) == ("uge 10–16", "")
    assert values["goal-0-act-0-follow_up_when"] == "4.4.2027"
    assert values["follow_up"] == follow_up
    assert "-W" not in "".join(values.values()) and "2027-04-04" not in page


def test_saving_the_form_again_unchanged_changes_nothing(org: Org, saved: tuple[Plan, str]) -> None:
    plan, _ = saved
    before = version_of(plan)
    client = org.client("employee")
    page = client.get(reverse("plans:edit", args=[plan.uuid])).content.decode()
    assert client.post(reverse("plans:edit", args=[plan.uuid]), _field_values(page)).status_code == 302
    after = version_of(plan)
    assert after.revision == before.revision + 1
    assert after.content == before.content
    assert (after.follow_up_on, after.follow_up_week) == (before.follow_up_on, before.follow_up_week)


def test_the_plan_page_reads_the_weeks_and_dates_in_danish(org: Org, saved: tuple[Plan, str]) -> None:
    plan, follow_up = saved
    page = org.client("employee").get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert "Ansvarlig: Lederen · Senest uge 8" in page
    assert "Uploadet af" not in page
    assert "uge 10–16" in page and "4. april 2027" in page and follow_up in page
    assert not re.search(r"\d{4}-W\d\d", page) and "2027-04-04" not in page


def test_the_plan_page_reads_the_weeks_and_dates_in_english(org: Org, saved: tuple[Plan, str]) -> None:
    plan, _ = saved
    user = org.user("employee")
    user.language = "en"
    user.save(update_fields=["language"])
    page = org.client("employee").get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert "Responsible: The leader · By week 8" in page
    assert "weeks 10–16" in page and "4 April 2027" in page
    assert not re.search(r"\d{4}-W\d\d", page)
