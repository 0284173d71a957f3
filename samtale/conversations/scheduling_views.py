"""The invitation: time and place, the calendar file, special topics, the "must improve"
notice and who attends."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

from samtale.access.viewer import Viewer
from samtale.conversations.models import Conversation

urlpatterns: list[URLPattern] = []


def section_context(viewer: Viewer, conversation: Conversation) -> dict[str, Any]:
    """What templates/conversations/_scheduling.html needs on the conversation's page."""
    return {}
