"""The signed plan as a PDF (WeasyPrint), in the reader's language: what the version says, both
signatures (names; dates in Europe/Copenhagen and in UTC), the hash and the version number; the
leader's is the original, everyone else's a copy (docs/domain.md § After the conversation: "The
leader keeps the original, the employee a copy")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from samtale.lib.documents import pdf_from_template
from samtale.lib.queries import fetch
from samtale.plans.models import Plan, PlanVersion, Signature
from samtale.plans.readable import readable_version


@dataclass
class SignatureLine:
    side: str
    name: str
    local: datetime
    utc: datetime
    content_hash: str
    method: str

    # Formatted here, not in the template: a template shows every aware time in the current time
    # zone, which would turn the UTC column into Copenhagen time.
    @property
    def local_text(self) -> str:
        return self.local.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def utc_text(self) -> str:
        return self.utc.strftime("%Y-%m-%d %H:%M:%S UTC")


def version_signatures(version: PlanVersion) -> list[Signature]:
    """The version's signatures with their signers, the first first."""
    return fetch(version.signatures.select_related("person").order_by("signed_at", "id"), "plans.version_signatures")


def signature_lines(version: PlanVersion, signatures: list[Signature] | None = None) -> list[SignatureLine]:
    """The signatures as the page and the PDF print them (``signatures``: read already)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if signatures is None:
        signatures = version_signatures(version)
    return [
        SignatureLine(
            side=signature.get_side_display(),
            name=signature.person.name,
            local=signature.signed_at.astimezone(zone),
            utc=signature.signed_at.astimezone(UTC),
            content_hash=signature.content_hash,
            method=signature.get_method_display(),
        )
        for signature in signatures
    ]


def plan_pdf_context(*, plan: Plan, version: PlanVersion, label: str) -> dict[str, Any]:
    return {
        "plan": plan,
        "version": version,
        "content": readable_version(version),
        "signatures": signature_lines(version),
        "label": label,
        "time_zone": settings.TIME_ZONE,
        "made_at": timezone.localtime(),
    }


def plan_pdf(*, plan: Plan, version: PlanVersion, label: str) -> bytes:
    """The PDF in the current language (the caller overrides it to the reader's)."""

    return pdf_from_template("plans/plan_pdf.html", plan_pdf_context(plan=plan, version=version, label=label))
