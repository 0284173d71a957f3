"""No leak: a crawl of every page each persona can reach finds no text they may not see
(docs/trust.md § No leak)."""

from __future__ import annotations

import pytest

from samtale.org.models import ImportRun, ImportStatus
from samtale.testing import Org
from samtale.testing.access import crawl

REASON = "Hemmelig-grund-7391"
IMPORT_ERROR = "Importfejl-5523"

# Who may read each secret; everyone else must never meet it on any page.
SECRETS = {
    REASON: {"employee", "leader", "head", "director", "hr"},
    IMPORT_ERROR: {"hr"},
}


@pytest.fixture
def secrets(org: Org) -> Org:
    org.employee.eligibility_override = False
    org.employee.eligibility_override_reason = REASON
    org.employee.save(update_fields=["eligibility_override", "eligibility_override_reason"])
    ImportRun.objects.create(
        created_by=org.hr.user,
        file_name="hr.csv",
        file_sha256="0" * 64,
        status=ImportStatus.REJECTED,
        errors=[{"line": 4, "message": IMPORT_ERROR}],
    )
    return org


@pytest.mark.parametrize("persona", Org.PERSONAS)
def test_no_page_shows_a_persona_what_it_may_not_see(secrets: Org, persona: str) -> None:
    pages = crawl(secrets.client(persona))
    assert len(pages) > 1
    for secret, allowed in SECRETS.items():
        leaks = [url for url, text in pages.items() if secret in text]
        if persona not in allowed:
            assert not leaks, f"{persona} saw {secret} on {leaks}"


def test_the_crawl_finds_the_secrets_where_they_belong(secrets: Org) -> None:
    """The crawl above would prove nothing if it could not reach the pages that hold them."""
    assert any(REASON in text for text in crawl(secrets.client("leader")).values())
    assert any(REASON in text for text in crawl(secrets.client("employee")).values())
    hr_pages = crawl(secrets.client("hr"), start="/organisation/import/")
    assert any(IMPORT_ERROR in text for text in hr_pages.values())
