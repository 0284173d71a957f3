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
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from samtale.plans.content import point_text, reference_date, span_text
from samtale.plans.models import ActivityType, Plan, PlanVersion, Signature


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


def activity_type_labels(content: dict[str, Any]) -> dict[str, str]:
    """The catalogue's names for the activity types the content uses (by key or uuid), in the
    current language."""
    wanted = {
        str(activity.get("type", "")) for goal in content.get("goals", []) for activity in goal.get("activities", [])
    }
    wanted.discard("")
    if not wanted:
        return {}
    labels: dict[str, str] = {}
    # A built-in type by its key, one of HR's by its uuid's hex (content.activity_type_ref).
    uuids = [value for value in wanted if len(value) == 32 and all(c in "0123456789abcdef" for c in value)]
    for activity_type in ActivityType.objects.filter(Q(key__in=wanted) | Q(uuid__in=uuids)):
        labels[str(activity_type.key) if activity_type.key else activity_type.uuid.hex] = activity_type.label
    return labels


def signature_lines(version: PlanVersion) -> list[SignatureLine]:
    zone = ZoneInfo(settings.TIME_ZONE)
    signatures: list[Signature] = list(version.signatures.select_related("person").order_by("signed_at", "id"))
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


def readable_content(version: PlanVersion) -> dict[str, Any]:
    """The version's content for a page or the PDF: the same lists, with the activity types'
    names, who is responsible in words, and dates and weeks as people read them ("uge 8",
    "uge 10–16", "4. april 2027"; a week's year only when it is not the obvious one)."""
    content = version.content or {}
    labels = activity_type_labels(content)
    reference = reference_date(version.plan)
    responsible = {"employee": _("The employee"), "leader": _("The leader")}
    topics = [
        {
            **topic,
            "responsible_label": topic.get("responsible_name") or ""
            if topic.get("responsible") == "other"
            else str(responsible.get(topic.get("responsible", ""), "")),
            "by": point_text(topic.get("by", ""), reference=reference),
        }
        for topic in content.get("follow_up_topics", [])
    ]
    goals = [
        {
            **goal,
            "activities": [
                {
                    **activity,
                    "type_label": labels.get(str(activity.get("type", "")), str(activity.get("type", ""))),
                    "when": span_text(activity.get("from", ""), activity.get("to", ""), reference=reference),
                    "follow_up_when": point_text(activity.get("follow_up_when", ""), reference=reference),
                }
                for activity in goal.get("activities", [])
            ],
        }
        for goal in content.get("goals", [])
    ]
    follow_up = version.follow_up_on.isoformat() if version.follow_up_on else version.follow_up_week
    return {
        "focus_areas": content.get("focus_areas", []),
        "follow_up_topics": topics,
        "goals": goals,
        "follow_up": point_text(follow_up, reference=reference),
    }


def plan_pdf_context(*, plan: Plan, version: PlanVersion, label: str) -> dict[str, Any]:
    return {
        "plan": plan,
        "version": version,
        "content": readable_content(version),
        "signatures": signature_lines(version),
        "label": label,
        "time_zone": settings.TIME_ZONE,
        "made_at": timezone.localtime(),
    }


def plan_pdf(*, plan: Plan, version: PlanVersion, label: str) -> bytes:
    """The PDF in the current language (the caller overrides it to the reader's)."""
    import weasyprint  # imported here: it loads Pango, which only this download needs

    html = render_to_string("plans/plan_pdf.html", plan_pdf_context(plan=plan, version=version, label=label))
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # type: ignore[no-any-return]
