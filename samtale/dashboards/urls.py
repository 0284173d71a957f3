from django.urls import path

from samtale.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("todo/count/", views.todo_count, name="todo_count"),
    path("logo/", views.organisation_logo, name="logo"),
]
