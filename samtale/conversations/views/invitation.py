"""HR's launch of a round, after a confirmation: a conversation for every participant who has
none yet (``samtale.conversations.services.invitation``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtale.access.viewer import get_viewer
from samtale.conversations.services.invitation import round_launch
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.forms.rounds import LaunchForm, add_service_errors
from samtale.rounds.lookups import round_for_hr
from samtale.rounds.models import RoundStatus
from samtale.rounds.selectors.rounds import round_launch_preview


@login_required
def round_launch_page(request: AuthenticatedRequest, round_uuid: str) -> HttpResponse:
    """The launch, after a confirmation: a conversation for every participant who has none yet."""
    viewer = get_viewer(request)
    round_ = round_for_hr(viewer, round_uuid)
    form = LaunchForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        first = round_.status == RoundStatus.DRAFT
        try:
            result = round_launch(viewer=viewer, round_=round_)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _launched_message(result.created, first=first))
            return redirect("rounds:detail", round_uuid=round_.uuid)
    context = {"round": round_, "form": form, "preview": round_launch_preview(round_=round_)}
    return render(request, "rounds/round_launch.html", context, status=400 if form.errors else 200)


def _launched_message(created: int, *, first: bool) -> str:
    if created == 0:
        return _("Nobody new has joined: no conversations were added.")
    if first:
        return ngettext(
            "The round is launched: %(count)s conversation was created, and the participant and their leader are told.",
            "The round is launched: %(count)s conversations were created, and the participants and their leaders "
            "are told.",
            created,
        ) % {"count": created}
    return ngettext(
        "%(count)s conversation was added for the person who joined since the launch, and they and their leader "
        "are told.",
        "%(count)s conversations were added for the people who joined since the launch, and they and their "
        "leaders are told.",
        created,
    ) % {"count": created}
