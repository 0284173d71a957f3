"""The evaluations' whole URL map: HR's surveys, the answer page and the results."""

from django.urls import path

from samtale.surveys import views

app_name = "surveys"

SURVEY = "<uuid:survey_uuid>"
LEADER = f"{SURVEY}/leaders/<uuid:person_uuid>"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("answer/<uuid:invitation_uuid>/", views.answer, name="answer"),
    path(f"{SURVEY}/", views.survey_detail, name="detail"),
    path(f"{SURVEY}/settings/", views.survey_settings, name="settings"),
    path(f"{SURVEY}/questions/", views.survey_questions, name="questions"),
    path(f"{SURVEY}/open/", views.survey_open, name="open"),
    path(f"{SURVEY}/remind/", views.survey_remind, name="remind"),
    path(f"{SURVEY}/close/", views.survey_close, name="close"),
    path(f"{SURVEY}/results/", views.results, name="results"),
    path(f"{SURVEY}/results/round/", views.result_group, name="round_result"),
    path(f"{SURVEY}/results/<uuid:unit_uuid>/", views.result_group, name="unit_result"),
    path(f"{SURVEY}/leaders/", views.leaders, name="leaders"),
    path(f"{LEADER}/", views.leader_report, name="leader_report"),
    path(f"{LEADER}/report.pdf", views.leader_report_pdf, name="leader_report_pdf"),
]
