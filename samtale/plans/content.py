"""What a plan version says, as one canonical JSON document.

The shape (every list keeps the order the employee gave; every item has a random ``id`` that
stays the same across saves and amendments, so progress and comparisons can follow it)::

    {
      "focus_areas": [                       # part 1, required: at least one
        {"id": "…", "text": "…", "must_improve": false}
      ],
      "follow_up_topics": [                  # part 2, optional
        {"id": "…", "text": "…",
         "responsible": "employee" | "leader" | "other", "responsible_name": "…",   # the name when "other"
         "by": "2027-03-01" | "2027-W10" | ""}
      ],
      "goals": [                             # part 3, required: at least one
        {"id": "…", "text": "…",             # the development goal
         "measure": "…",                     # what will be true when it is reached
         "milestones": "…",
         "activities": [                     # at least one per goal
           {"id": "…", "type": "<ActivityType key or uuid>", "text": "…",
            "from": "2027-03-01" | "2027-W10" | "", "to": "2027-04-30" | "2027-W16" | "",
            "starts": "…",                   # who starts it ("my leader")
            "follow_up_how": "…",            # "evaluated at a team meeting"
            "follow_up_when": "2027-05-01" | "2027-W17" | ""}
         ]}
      ]
    }

The follow-up conversation's date or week is on the version itself (``follow_up_on`` /
``follow_up_week``) and is part of what is hashed and signed.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from samtale.plans.models import PlanVersion

# Bump when the shape changes; it is part of what is hashed, so old signatures still verify.
CONTENT_FORMAT = 1


def empty_content() -> dict[str, Any]:
    return {"focus_areas": [], "follow_up_topics": [], "goals": []}


def canonical_document(version: PlanVersion) -> dict[str, Any]:
    return {
        "format": CONTENT_FORMAT,
        "plan": str(version.plan.uuid),
        "version": version.number,
        "content": version.content,
        "follow_up_on": version.follow_up_on.isoformat() if version.follow_up_on else "",
        "follow_up_week": version.follow_up_week,
    }


def canonical_bytes(version: PlanVersion) -> bytes:
    """The version as bytes that are the same for the same plan, whatever the database or the
    order in which keys were stored."""
    return json.dumps(canonical_document(version), sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def content_hash(version: PlanVersion) -> str:
    """SHA-256 of the canonical bytes, in hex: what a signature records."""
    return hashlib.sha256(canonical_bytes(version)).hexdigest()
