"""Rounds: HR creates and launches them, management writes the goals, leaders write their unit's
focus areas and open the round, employees propose topics."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
