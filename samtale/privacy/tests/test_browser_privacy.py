"""Privacy in the browser, on a 390 px phone and at 1280 px with axe at both: HR closes last year's
round from the round's page (asked first, in a dialog); the employee downloads their data from their
account; the data protection officer reads the audit trail, filters it by person, and sees the
retention schedule and the legal holds, places a hold and lifts it on the person's page."""

from __future__ import annotations

import io
import zipfile

import pytest
from playwright.sync_api import Page, expect

from samtale.demo.organisation import PERSONAS
from samtale.rounds.models import Round, RoundStatus
from samtale.testing import launch_demo_round
from samtale.testing.oversight import deadline_passed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_closes_a_round_the_employee_takes_their_data_the_officer_reads_the_trail(  # type: ignore[no-untyped-def]
    page: Page, live_server, demo, sign_in, fits
) -> None:
    round_ = launch_demo_round()
    deadline_passed(round_)

    sign_in(page, PERSONAS["hr"].email)
    page.goto(f"{live_server.url}/rounds/{round_.uuid}/")
    page.get_by_role("link", name="Se, hvad der mangler, og luk runden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Luk {round_.name}")
    fits(page)
    page.get_by_role("button", name="Luk runden").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(f"Luk {round_.name}?")
    fits(page)
    dialog.get_by_role("button", name="Ja, luk runden").click()
    expect(page.get_by_role("status")).to_contain_text(f"{round_.name} er lukket.")
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED

    page.context.clear_cookies()
    sign_in(page, PERSONAS["employee"].email)
    page.get_by_role("link", name="Min konto").click()
    page.get_by_role("link", name="Se, hvad Samtale har om dig, hvor længe det gemmes, og download det").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine data i Samtale")
    fits(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download mine data (ZIP)").click()
    archive = zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    assert PERSONAS["employee"].name in archive.read("samtale-data.json").decode()

    page.context.clear_cookies()
    sign_in(page, PERSONAS["dpo"].email)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Databeskyttelse").click()
    expect(page.get_by_role("heading", level=2, name="Handlingslog")).to_be_visible()
    fits(page)
    page.get_by_label("Person").fill(PERSONAS["employee"].email)
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("cell", name="privacy.data_exported")).to_be_visible()
    fits(page)
    page.get_by_role("link", name="Opbevaring").click()
    expect(page.get_by_role("heading", name="Opbevaringsreglerne")).to_be_visible()
    fits(page)
    page.get_by_role("link", name="Tilbageholdelser").click()
    page.get_by_label("Person").fill(PERSONAS["employee"].email)
    page.get_by_label("Begrundelse").fill("Sag ved Arbejdsretten")
    page.get_by_role("button", name="Opret tilbageholdelsen").click()
    expect(page.get_by_role("status")).to_contain_text("Tilbageholdelsen er oprettet.")
    expect(page.get_by_role("link", name=PERSONAS["employee"].name)).to_be_visible()
    fits(page)
    page.get_by_role("link", name=PERSONAS["employee"].name).click()
    expect(page.get_by_text("Omfattet af tilbageholdelse")).to_be_visible()
    expect(page.get_by_text("Ikke så længe tilbageholdelsen gælder.")).to_be_visible()  # no erasure under a hold
    fits(page)
    page.get_by_label("Begrundelse").fill("Sagen er afsluttet")
    page.get_by_role("button", name="Ophæv tilbageholdelsen").click()
    page.get_by_role("dialog").get_by_role("button", name="Ja, ophæv tilbageholdelsen").click()
    expect(page.get_by_role("status")).to_contain_text("Tilbageholdelsen af Freja Sørensen er ophævet.")
    expect(page.get_by_role("button", name="Slet MUS-oplysningerne")).to_be_visible()
    fits(page)
