"""HR imports a real-looking export that has mistakes, reads the errors, fixes the file and
imports it — in the browser, with an axe-core audit of every step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from samtale.demo.organisation import PERSONAS
from samtale.org.models import Person, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def demo300(transactional_db):  # type: ignore[no-untyped-def]
    from samtale.demo.organisation import seed_demo

    seed_demo(employees=300)  # the size the example files were made for


def test_hr_reads_the_errors_fixes_the_file_and_imports_it(
    page: Page,
    live_server,
    demo300,
    sign_in,
    audit,  # type: ignore[no-untyped-def]
) -> None:
    people_before = set(Person.objects.values_list("employee_number", "name", "unit_id", "end_date"))
    sign_in(page, PERSONAS["hr"].email)
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Organisationen").click()
    page.get_by_role("navigation", name="Organisationen").get_by_role("link", name="Import").click()
    audit(page)

    page.get_by_label("Fil fra HR-systemet").set_input_files(EXAMPLES / "hr-eksport-med-fejl.csv")
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("alert")).to_contain_text("Der blev ikke importeret noget")
    errors = page.get_by_role("table", name=re.compile("Fejl"))
    lines = errors.locator("tbody tr td:first-child").all_inner_texts()
    assert lines == ["155", "213", "296", "303", "304", "305"]
    audit(page)
    assert set(Person.objects.values_list("employee_number", "name", "unit_id", "end_date")) == people_before

    page.get_by_role("link", name="Upload en rettet fil").click()
    page.get_by_label("Fil fra HR-systemet").set_input_files(EXAMPLES / "hr-eksport.csv")
    page.get_by_role("button", name="Kontrollér filen").click()
    expect(page.get_by_role("heading", name="Nye personer")).to_be_visible()
    audit(page)
    assert set(Person.objects.values_list("employee_number", "name", "unit_id", "end_date")) == people_before

    page.get_by_role("button", name="Gennemfør ændringerne").click()
    expect(page.locator(".alert-success")).to_be_visible()
    audit(page)
    assert Person.objects.filter(employee_number="10303", name="Laura Winther").exists()
    assert Unit.objects.filter(code="VK-5.2.4", name="Team Digital Post").exists()
    # The import is in the list of recent imports.
    page.get_by_role("navigation", name="Organisationen").get_by_role("link", name="Import").click()
    expect(page.get_by_role("cell", name=re.compile("hr-eksport.csv"))).to_be_visible()
