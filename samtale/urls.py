from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Samtale administration")
admin.site.site_title = _("Samtale administration")
admin.site.index_title = _("Configuration and accounts")

urlpatterns = [
    path("", include("samtale.dashboards.urls")),
    path("", include("samtale.accounts.urls")),
    path("organisation/", include("samtale.org.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "samtale.dashboards.errors.not_found"
handler403 = "samtale.dashboards.errors.forbidden"
handler500 = "samtale.dashboards.errors.server_error"
