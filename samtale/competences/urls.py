"""Competences' whole URL map: a person's register and education record, the competence
catalogue, the course catalogue, and their imports and exports."""

from django.urls import path

from samtale.competences.views import catalogue, importing, register

app_name = "competences"

urlpatterns = [
    path("", register.mine, name="mine"),
    path("people/<uuid:person_uuid>/", register.register, name="register"),
    path("people/<uuid:person_uuid>/record/", register.record, name="record"),
    path("people/<uuid:person_uuid>/record.pdf", register.record_pdf, name="record_pdf"),
    path("people/<uuid:person_uuid>/record.csv", register.record_csv, name="record_csv"),
    path("people/<uuid:person_uuid>/<uuid:competence_uuid>/", register.registration, name="registration"),
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/new/", catalogue.competence_edit, name="competence_new"),
    path("catalogue/<uuid:competence_uuid>/", catalogue.competence_edit, name="competence_edit"),
    path("scales/new/", catalogue.scale_edit, name="scale_new"),
    path("scales/<uuid:scale_uuid>/", catalogue.scale_edit, name="scale_edit"),
    path("profiles/new/", catalogue.profile_edit, name="profile_new"),
    path("profiles/<uuid:profile_uuid>/", catalogue.profile_edit, name="profile_edit"),
    path("courses/", catalogue.courses, name="courses"),
    path("courses/new/", catalogue.course_edit, name="course_new"),
    path("courses/<uuid:course_uuid>/", catalogue.course, name="course"),
    path("courses/<uuid:course_uuid>/edit/", catalogue.course_edit, name="course_edit"),
    path("courses/<uuid:course_uuid>/sessions/new/", catalogue.session_edit, name="session_new"),
    path("courses/<uuid:course_uuid>/sessions/<uuid:session_uuid>/", catalogue.session_edit, name="session_edit"),
    path("import/", importing.import_page, name="import"),
    path("export/<str:what>.<str:extension>", importing.export, name="export"),
]
