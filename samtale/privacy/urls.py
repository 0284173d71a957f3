"""Privacy's whole URL map: a person's own data; a person's hold, export and erasure; the data
protection officer's audit trail, retention and holds."""

from django.urls import path

from samtale.privacy import views

app_name = "privacy"

urlpatterns = [
    path("me/", views.my_data, name="my_data"),
    path("me/download/", views.my_data_download, name="my_data_download"),
    path("people/<uuid:person_uuid>/", views.person, name="person"),
    path("people/<uuid:person_uuid>/export/", views.person_export_download, name="person_export"),
    path("people/<uuid:person_uuid>/hold/", views.hold_place, name="hold_place"),
    path("people/<uuid:person_uuid>/lift/", views.hold_lift, name="hold_lift"),
    path("people/<uuid:person_uuid>/erase/", views.erase, name="erase"),
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("retention/", views.retention, name="retention"),
    path("retention/setting/", views.setting, name="setting"),
    path("holds/", views.holds, name="holds"),
]
