"""The evaluations walked in the browser, with an axe-core audit (WCAG 2.1 A and AA) on every
page, charts included: the employee answers the evaluation of the round from their start page;
HR closes it and reads the results per unit; the leader reads their 360 report; a leader whose
team gave too few answers reads that there are too few."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from samtale.accounts.models import User
from samtale.demo.evaluations import demo_surveys_seed
from samtale.demo.organisation import PERSONAS
from samtale.demo.round import demo_round_seed
from samtale.org.models import Person
from samtale.surveys.models import Response, Side, Survey, SurveyKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_surveys(transactional_db):  # type: ignore[no-untyped-def]
    """The demo as ``make run`` makes it (300 people: the persona leader leads eleven)."""
    from samtale.demo.organisation import seed_demo

    seed_demo(employees=300)
    User.objects.filter(email__in=[p.email for p in PERSONAS.values()]).update(language="en")
    round_ = demo_round_seed()
    assert round_ is not None
    demo_surveys_seed(round_)
    return round_


def test_the_employee_answers_and_hr_reads_the_results_per_unit(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo_surveys, sign_in, audit
) -> None:
    name = demo_surveys.name  # the demo round is named after the year it is held by
    sign_in(page, PERSONAS["employee"].email)
    page.get_by_role("link", name=f"{name}: Evaluation of the round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}: Evaluation of the round")
    audit(page)
    # Sent with nothing chosen: every rating question is named in the summary and at its field.
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose an answer.")
    audit(page)
    # Whose conversation has not been held is not asked about it.
    about = page.get_by_role("group", name="About your conversation")
    expect(about).to_be_visible()
    page.get_by_role("group", name=f"Has your development conversation in {name} been held?").get_by_label("No").check()
    expect(about).to_be_hidden()
    page.get_by_role("group", name=f"Has your development conversation in {name} been held?").get_by_label(
        "Yes"
    ).check()
    expect(about).to_be_visible()
    for group in about.get_by_role("group").all():
        radios = group.get_by_role("radio")
        radios.nth(radios.count() - 2).check()
    page.get_by_role("textbox").fill("Gode spørgsmål i forberedelsen.")
    page.get_by_role("button", name="Send my answer").click()
    # The receipt: the answer is in, what happens next, and the way back.
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answer is received")
    expect(page.get_by_role("main")).to_contain_text("stored without your name")
    expect(page.get_by_role("main")).to_contain_text("What happens next")
    audit(page)
    page.get_by_role("link", name="Go to my start page").click()
    expect(page.get_by_role("link", name=f"{name}: Evaluation of the round")).to_have_count(0)

    # HR closes the evaluation and reads the results.
    page.context.clear_cookies()
    sign_in(page, PERSONAS["hr"].email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="MUS rounds").click()
    page.get_by_role("navigation", name="MUS rounds").get_by_role("link", name="Evaluations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluations")
    audit(page)
    page.get_by_role("link", name=f"{name}: Evaluation of the round", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{name}: Evaluation of the round")
    audit(page)
    page.wait_for_load_state()  # htmx ready: the question comes as a dialog
    page.get_by_role("button", name="Close the evaluation now").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, close it").click()
    page.get_by_role("link", name="Read the results per unit").click()
    expect(page.locator("table.completion tbody tr").first).to_be_visible()
    expect(page.get_by_role("columnheader", name="Conversation not held")).to_be_visible()
    audit(page)
    page.get_by_role("link", name="The whole round").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The whole round")
    expect(page.locator("ul.answers li").first).to_be_visible()
    audit(page)


def test_the_leader_reads_their_360_report_and_a_leader_with_too_few_answers_is_told(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo_surveys, sign_in, audit
) -> None:
    survey = Survey.objects.get(kind=SurveyKind.LEADER_360)
    head = Person.objects.get(email=PERSONAS["department_head"].email)
    Response.objects.filter(survey=survey, subject=head, side=Side.TEAM).delete()

    sign_in(page, PERSONAS["leader"].email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Evaluations").click()
    audit(page)
    page.get_by_role("link", name="Leader reports").click()
    audit(page)
    page.get_by_role("link", name="Your own report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("360-degree report: Mads Østergaard")
    expect(page.get_by_role("table")).to_contain_text("Lederen giver klar retning og klare mål for arbejdet.")
    expect(page.get_by_role("link", name="Download the report as PDF")).to_be_visible()
    audit(page)

    page.context.clear_cookies()
    sign_in(page, PERSONAS["department_head"].email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Evaluations").click()
    page.get_by_role("link", name="Leader reports").click()
    page.get_by_role("link", name="Your own report").click()
    expect(page.get_by_role("status")).to_contain_text("Too few of the team have answered to show a report")
    expect(page.get_by_role("table")).to_have_count(0)
    audit(page)


def test_hr_prepares_an_evaluation_changes_its_questions_and_opens_it(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo_surveys, sign_in, audit
) -> None:
    from samtale.testing import launch_demo_round

    launch_demo_round(name="MUS-Ekstra")
    sign_in(page, PERSONAS["hr"].email)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="MUS rounds").click()
    page.get_by_role("navigation", name="MUS rounds").get_by_role("link", name="Evaluations").click()
    page.get_by_role("link", name="New evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New evaluation")
    audit(page)
    page.get_by_label("Round", exact=True).select_option(label="MUS-Ekstra")
    page.get_by_role("button", name="Create the evaluation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MUS-Ekstra: Evaluation of the round")
    audit(page)
    page.get_by_role("link", name="Change the questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The questions")
    audit(page)
    page.get_by_role("button", name="Save the questions").click()
    page.get_by_role("link", name="Change the last day and the threshold").click()
    audit(page)
    page.get_by_label("Fewest answers shown").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Fewest answers shown")
    audit(page)
    page.get_by_label("Fewest answers shown").fill("6")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()  # htmx ready: the question comes as a dialog
    page.get_by_role("button", name="Open the evaluation").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, open it and send the links").click()
    expect(page.get_by_role("status")).to_contain_text("The evaluation is open")
    audit(page)
