from django.urls import path

from samtale.conversations import invitation_views, meeting_views, scheduling_views, views

app_name = "conversations"

urlpatterns = [
    path("<uuid:conversation_uuid>/", views.detail, name="detail"),
    *scheduling_views.urlpatterns,
    *meeting_views.urlpatterns,
    *invitation_views.urlpatterns,
]
