"""Conversation concepts: HR copies and edits them; a concept in use is versioned, not changed."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
