"""The plan's URLs, one module of views per area (writing, signing, follow-up), each adding
its ``urlpatterns`` here."""

from django.urls import URLPattern

app_name = "plans"

urlpatterns: list[URLPattern] = []
