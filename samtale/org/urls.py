from django.urls import path

from samtale.org import views

app_name = "org"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("units/<uuid:unit_uuid>/", views.unit, name="unit"),
    path("units/<uuid:unit_uuid>/leader/", views.unit_leader, name="unit_leader"),
    path("people/", views.people, name="people"),
    path("units/options/", views.unit_options, name="unit_options"),
    path("people/<uuid:person_uuid>/", views.person, name="person"),
    path("people/<uuid:person_uuid>/placement/", views.person_placement, name="person_placement"),
    path("people/<uuid:person_uuid>/eligibility/", views.person_eligibility, name="person_eligibility"),
    path("people/<uuid:person_uuid>/invite/", views.person_invite, name="person_invite"),
    path("import/", views.import_start, name="import"),
    path("import/<uuid:run_uuid>/", views.import_run, name="import_run"),
    path("import/<uuid:run_uuid>/apply/", views.import_apply, name="import_apply"),
    path("import/<uuid:run_uuid>/discard/", views.import_discard, name="import_discard"),
    path("export.csv", views.export, name="export"),
    path("roles/", views.roles, name="roles"),
    path("roles/<uuid:role_uuid>/remove/", views.role_remove, name="role_remove"),
]
