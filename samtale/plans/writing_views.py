"""The plan's writing views. ``section_context`` gives the plan page (``views.detail``) what its
section needs; ``urlpatterns`` are added in ``samtale.plans.urls``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from samtale.access.viewer import Viewer
from samtale.plans.models import Plan


def section_context(request: HttpRequest, viewer: Viewer, plan: Plan) -> dict[str, Any]:
    return {}


urlpatterns: list[URLPattern] = []
