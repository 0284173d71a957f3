"""Rounds: HR creates and launches them, management writes the goals, leaders write their unit's
focus areas and open the round, employees propose topics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from samtale.access import lookups, round_policies
from samtale.access.viewer import get_viewer
from samtale.lib.requests import AuthenticatedRequest
from samtale.rounds.models import Round


@login_required
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    viewer = get_viewer(request)
    lookups.require(round_policies.may_manage_rounds(viewer))
    rounds = Round.objects.select_related("concept").order_by("-opens_on", "name")
    return render(request, "rounds/round_list.html", {"rounds": rounds})


urlpatterns: list[URLPattern] = [
    path("", round_list, name="list"),
]
