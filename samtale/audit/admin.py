from django.contrib import admin

from samtale.audit.models import AuditEvent
from samtale.lib.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "outcome", "target_type", "target_id"]
    list_filter = ["outcome", "action"]
    search_fields = ["actor_label", "action", "target_id"]
    date_hierarchy = "at"
