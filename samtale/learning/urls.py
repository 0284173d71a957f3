"""Learning's whole URL map: seats asked for from a plan, a request, the leader's team, the
education consultant's enrolment and sessions, the overview for the competence strategy."""

from django.urls import path

from samtale.learning import views

app_name = "learning"

urlpatterns = [
    path("plans/<uuid:plan_uuid>/", views.plan_courses, name="plan_courses"),
    path("plans/<uuid:plan_uuid>/<str:activity_id>/", views.request_seat, name="request_seat"),
    path("requests/<uuid:request_uuid>/", views.seat_request, name="request"),
    path("requests/<uuid:request_uuid>/decide/", views.decide, name="decide"),
    path("requests/<uuid:request_uuid>/enrol/", views.enrol, name="enrol"),
    path("requests/<uuid:request_uuid>/cancel/", views.cancel, name="cancel"),
    path("requests/<uuid:request_uuid>/completed/", views.completed, name="completed"),
    path("team/", views.team, name="team"),
    path("enrolment/", views.enrolment, name="enrolment"),
    path("sessions/<uuid:session_uuid>/", views.session, name="session"),
    path("sessions/<uuid:session_uuid>/cancel/", views.session_cancel, name="session_cancel"),
    path("overview/", views.overview, name="overview"),
    path("overview/export.csv", views.overview_export, name="overview_export"),
]
