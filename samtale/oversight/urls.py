"""Oversight's whole URL map: HR's completion pages of a round."""

from django.urls import path

from samtale.oversight import views

app_name = "oversight"

UNIT = "<uuid:round_uuid>/units/<uuid:unit_uuid>"

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("<uuid:round_uuid>/", views.overview, name="overview"),
    path("<uuid:round_uuid>/nudge/", views.nudge, name="nudge"),
    path("<uuid:round_uuid>/close/", views.round_close, name="round_close"),
    path(f"{UNIT}/", views.unit_people, name="unit"),
    path(f"{UNIT}/export.csv", views.unit_people_export, {"kind": "csv"}, name="csv"),
    path(f"{UNIT}/export.xlsx", views.unit_people_export, {"kind": "xlsx"}, name="xlsx"),
]
