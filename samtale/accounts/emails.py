"""The e-mails of the accounts app, built by the outbox when they are sent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from samtale.accounts.models import User
from samtale.accounts.tokens import invitation_token_generator
from samtale.outbox.kinds import register, render_email
from samtale.outbox.models import OutboxMessage


def _user(message: OutboxMessage) -> User | None:
    return User.objects.filter(pk=message.context.get("user_id"), is_active=True).first()


@register("accounts.invitation")
def invitation(message: OutboxMessage) -> EmailMultiAlternatives | None:
    user = _user(message)
    if user is None or user.has_usable_password():
        return None  # gone, or already signed in: nothing to invite to
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.BASE_URL + reverse(
        "accounts:activate", kwargs={"uidb64": uid, "token": invitation_token_generator.make_token(user)}
    )
    days = settings.SAMTALE_INVITATION_TIMEOUT // 86400
    return render_email("emails/invitation", {"user": user, "link": link, "days": days}, to=user.email)


@register("accounts.password_reset")
def password_reset(message: OutboxMessage) -> EmailMultiAlternatives | None:
    user = _user(message)
    if user is None:
        return None
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = settings.BASE_URL + reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)},
    )
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    return render_email("emails/password_reset", {"user": user, "link": link, "hours": hours}, to=user.email)
