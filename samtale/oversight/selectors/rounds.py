"""The rounds to follow."""

from __future__ import annotations

from typing import Any

from samtale.rounds.models import Round, RoundStatus


def rounds_for_oversight() -> list[Round]:
    """The rounds that have started: a round being prepared has nothing to follow yet."""
    return list(Round.objects.exclude(status=RoundStatus.DRAFT).order_by("-opens_on", "name"))


def round_for_oversight(*, round_uuid: Any) -> Round | None:
    return Round.objects.exclude(status=RoundStatus.DRAFT).filter(uuid=round_uuid).first()
