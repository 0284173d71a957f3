"""The navigation, by role: what the signed-in person can reach is what they see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from samtale.access import policies, privacy_policies, round_policies
from samtale.access.viewer import get_viewer
from samtale.lib.links import link


@dataclass(frozen=True)
class NavItem:
    label: Any
    url: str
    section: str  # the first path segment that marks this item as the current page


def nav_items(request: HttpRequest) -> list[NavItem]:
    viewer = get_viewer(request)
    items: list[NavItem] = []
    if viewer.person is not None:
        items.append(NavItem(_("My conversations"), link("dashboards:home"), "home"))
    if policies.may_view_team(viewer):
        items.append(NavItem(_("My team"), link("dashboards:team"), "team"))
    if round_policies.may_manage_rounds(viewer):
        items.append(NavItem(_("MUS rounds"), link("rounds:list"), "rounds"))
    elif viewer.management is not None or viewer.led_units:
        # Management to the goals of the round being prepared, a leader to their unit in the round.
        items.append(NavItem(_("MUS rounds"), link("rounds:current"), "rounds"))
    if viewer.hr is not None and not round_policies.may_manage_rounds(viewer):
        # HR covering part of the organisation follows the rounds there (the rounds area has it
        # as a tab for HR covering all of it).
        items.append(NavItem(_("Completion"), link("oversight:rounds"), "oversight"))
    if not round_policies.may_manage_rounds(viewer) and (viewer.hr is not None or viewer.is_leader):
        # The results of the evaluations and the 360 reports (a tab of the rounds area for HR).
        items.append(NavItem(_("Evaluations"), link("surveys:list"), "surveys"))
    if viewer.person is not None:
        # Everyone's register, education record and the course catalogue; the leader's team, the
        # education consultant's enrolment, HR's catalogues and overview are its tabs.
        items.append(NavItem(_("Competences"), link("competences:mine"), "competences"))
    if viewer.hr is not None:
        items.append(NavItem(_("The organisation"), link("org:people"), "organisation"))
    elif viewer.is_leader:
        items.append(NavItem(_("The organisation"), link("org:tree"), "organisation"))
    if privacy_policies.may_oversee_privacy(viewer):
        items.append(NavItem(_("Data protection"), link("privacy:audit"), "privacy"))
    if policies.may_administer(viewer):
        items.append(NavItem(_("Administration"), link("admin:index"), "admin"))
    return items


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: ``nav``, the section of the current page and the organisation's name."""
    organisation = {
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_logo": bool(settings.ORGANISATION_LOGO),
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], **organisation}
    path = request.path.strip("/").split("/")
    section = path[0] if path and path[0] else "home"
    return {"nav": nav_items(request), "nav_section": section, "viewer": get_viewer(request), **organisation}
