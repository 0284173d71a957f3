"""The plan's URLs, one module of views per area: writing (the plan page, the form, comments,
the activity catalogue), signing (submit, ask for changes, sign, amend, versions, PDF) and
follow-up (progress, departures, the follow-up conversation)."""

from samtale.plans import follow_up_views, signing_views, writing_views

app_name = "plans"

urlpatterns = [
    *writing_views.urlpatterns,
    *signing_views.urlpatterns,
    *follow_up_views.urlpatterns,
]
