from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

admin.site.site_header = _("Samtale administration")
admin.site.site_title = _("Samtale administration")
admin.site.index_title = _("Configuration and accounts")

urlpatterns = [
    path("", include("samtale.dashboards.urls")),
    path("", include("samtale.accounts.urls")),
    path("organisation/", include("samtale.org.urls")),
    path("rounds/", include("samtale.rounds.urls")),
    path("conversations/", include("samtale.conversations.urls")),
    path("plans/", include("samtale.plans.urls")),
    path("oversight/", include("samtale.oversight.urls")),
    path("surveys/", include("samtale.surveys.urls")),
    path("privacy/", include("samtale.privacy.urls")),
    path("competences/", include("samtale.competences.urls")),
    path("learning/", include("samtale.learning.urls")),
    # Administrators sign in like everyone else: the admin's own sign-in form is not throttled.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler404 = "samtale.dashboards.errors.not_found"
handler403 = "samtale.dashboards.errors.forbidden"
handler500 = "samtale.dashboards.errors.server_error"
