"""Preparation, the meeting guide with the minutes, open items, and the outcome."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern

from samtale.access.viewer import Viewer
from samtale.conversations.models import Conversation

urlpatterns: list[URLPattern] = []


def section_context(viewer: Viewer, conversation: Conversation) -> dict[str, Any]:
    """What templates/conversations/_meeting.html needs on the conversation's page."""
    return {}
