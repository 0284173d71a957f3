"""The outbox in the admin: what waits, what was sent, and what is parked (refused by the mail
server or impossible to build) with its last error. Parked messages are found with the status
filter ("Parked"); "Try again" sends them again, and the audit trail records who asked."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from samtale.lib.admin import ReadOnlyAdmin
from samtale.outbox.models import OutboxMessage
from samtale.outbox.services import outbox_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "to_email", "status", "attempts", "failures", "next_attempt_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "kind"]
    exclude = ["context", "claim"]
    actions = ["try_again"]

    @admin.action(description=_("Try again: send the selected parked or waiting messages now"))
    def try_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry(actor=request.user, messages=queryset)
        if count:
            text = ngettext(
                "%(count)d message will be sent again.", "%(count)d messages will be sent again.", count
            ) % {"count": count}
            messages.success(request, text)
        else:
            messages.warning(request, _("None of the selected messages is parked or waiting."))
