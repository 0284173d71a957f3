from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from samtale.lib.admin import ReadOnlyAdmin
from samtale.outbox.models import OutboxMessage
from samtale.outbox.services import outbox_retry_now


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "to_email", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "kind"]
    exclude = ["context", "claim"]
    actions = ["retry_now"]

    @admin.action(description=_("Send again now"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        for message in queryset:
            outbox_retry_now(message=message)
        messages.success(request, _("The messages will be sent again."))
