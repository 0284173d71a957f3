"""The plan's whole URL map. The pages live in ``views/``, one module per area: the plan's page
(``plan``), writing (the form, sharing, the activity catalogue), signing (submit, ask for changes,
sign, amend, versions, PDF) and follow-up (progress, departures, the follow-up conversation)."""

from django.urls import path

from samtale.plans.views import follow_up, plan, signing, writing

app_name = "plans"

urlpatterns = [
    # The plan's page, and the comment that re-renders it on an error.
    path("<uuid:plan_uuid>/", plan.detail, name="detail"),
    path("<uuid:plan_uuid>/comments/", plan.comment_add, name="comment_add"),
    # Writing.
    path("<uuid:plan_uuid>/write/", writing.edit, name="edit"),
    path("<uuid:plan_uuid>/share/", writing.share, name="share"),
    path("activity-types/", writing.activity_types, name="activity_types"),
    path("activity-types/<uuid:type_uuid>/", writing.activity_type_change, name="activity_type_change"),
    # Signing.
    path("<uuid:plan_uuid>/submit/", signing.submit, name="plan_submit"),
    path("<uuid:plan_uuid>/ask-changes/", signing.ask_changes, name="plan_ask_changes"),
    path("<uuid:plan_uuid>/sign/", signing.sign, name="plan_sign"),
    path("<uuid:plan_uuid>/amend/", signing.amend, name="plan_amend"),
    path("<uuid:plan_uuid>/versions/", signing.versions, name="plan_versions"),
    path("<uuid:plan_uuid>/versions/<int:number>/", signing.version_detail, name="plan_version"),
    path("<uuid:plan_uuid>/versions/<int:number>/pdf/", signing.version_pdf, name="plan_version_pdf"),
    # Follow-up.
    path("<uuid:plan_uuid>/follow-up/", follow_up.page, name="follow_up"),
    path("<uuid:plan_uuid>/follow-up/progress/<str:item_id>/", follow_up.progress, name="progress"),
    path("<uuid:plan_uuid>/follow-up/departure/", follow_up.departure, name="departure"),
    path("<uuid:plan_uuid>/follow-up/call/", follow_up.call, name="follow_up_call"),
    path("<uuid:plan_uuid>/follow-up/cancel/", follow_up.cancel, name="follow_up_cancel"),
    path("<uuid:plan_uuid>/follow-up/held/", follow_up.held, name="follow_up_held"),
    path("<uuid:plan_uuid>/follow-up/invitation.ics", follow_up.ics, name="follow_up_ics"),
    path("minutes/", follow_up.minutes_consent, name="minutes_consent"),
]
