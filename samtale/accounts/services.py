"""Accounts: invitations, password resets, language, and throttling of failed sign-ins."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from samtale.accounts.models import LoginFailure, User, normalize_email
from samtale.audit.models import Outcome
from samtale.audit.services import audit_record
from samtale.outbox.services import Draft, outbox_enqueue, outbox_enqueue_many, outbox_message_build


def invitation_messages_build(*, users: Iterable[User]) -> list[Draft]:
    """An invitation to set a password, for accounts created without one. At most one a day
    per account, however often it is asked for."""
    day = timezone.localdate().isoformat()
    return [
        outbox_message_build(
            kind="accounts.invitation",
            to_email=user.email,
            language=user.language,
            context={"user_id": user.pk},
            dedupe_key=f"accounts.invitation:{user.pk}:{day}",
        )
        for user in users
    ]


@transaction.atomic
def invitations_send(*, actor: User, users: Iterable[User]) -> int:
    users = [user for user in users if user.is_active and not user.has_usable_password()]
    count = outbox_enqueue_many(messages=invitation_messages_build(users=users))
    audit_record(actor=actor, action="accounts.invitations_sent", data={"count": count})
    return count


def users_for_password_reset(email: str) -> list[User]:
    """Active accounts with this address whose person (if any) is still employed. Accounts that
    never set a password are included: the link lets them set one."""
    today = timezone.localdate()
    return list(
        User.objects.select_related("person")
        .filter(email=normalize_email(email), is_active=True)
        # Accounts sit below the organisation: its rule of who is employed (org.models.employed_q),
        # written out through the relation.
        .filter(Q(person__isnull=True) | Q(person__end_date__isnull=True) | Q(person__end_date__gte=today))
    )


@transaction.atomic
def password_reset_send(*, email: str) -> int:
    """Put a password-reset link in the outbox for each account with this address (at most one per
    account every five minutes, however often it is asked for)."""
    now = timezone.now()
    window = now.strftime("%Y%m%d%H") + str(now.minute // 5)
    users = users_for_password_reset(email)
    for user in users:
        outbox_enqueue(
            kind="accounts.password_reset",
            to_email=user.email,
            language=user.language,
            context={"user_id": user.pk},
            dedupe_key=f"accounts.password_reset:{user.pk}:{window}",
        )
        person = getattr(user, "person", None)
        audit_record(
            actor=None,  # whoever asked is not known: anyone can type an address
            action="accounts.password_reset_requested",
            target=user,
            subject_person_id=person.pk if person else None,
        )
    return len(users)


def user_set_language(*, user: User, language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# Throttling of failed sign-ins ---------------------------------------------------------------


def account_key(email: str) -> str:
    """A keyed hash of what was typed as the e-mail address (it is sometimes a password)."""
    return hmac.new(settings.SECRET_KEY.encode(), normalize_email(email).encode(), hashlib.sha256).hexdigest()


def login_attempt_begin(*, email: str, address: str | None, now: datetime | None = None) -> datetime | None:
    """Count a sign-in attempt before its password is checked, and say when sign-in opens again
    if this attempt is over a limit (None: go ahead and check the password).

    The attempt is stored first and counted after, so attempts made at the same moment all see
    each other: a burst of guesses cannot slip past the limit while passwords are being hashed.
    A successful sign-in takes its attempt back (``login_attempt_succeeded``).

    Each key has its own limit within the cool-off window: an office behind one address must not
    be locked out because one person forgot their password."""
    now = now or timezone.now()
    key = account_key(email)
    with transaction.atomic():
        LoginFailure.objects.create(account_key=key, address=address, at=now)
    since = now - settings.SAMTALE_LOGIN_COOLOFF
    recent = LoginFailure.objects.filter(at__gte=since, at__lte=now)
    checks = [(recent.filter(account_key=key), settings.SAMTALE_LOGIN_FAILURES_PER_ACCOUNT)]
    if address:
        checks.append((recent.filter(address=address), settings.SAMTALE_LOGIN_FAILURES_PER_ADDRESS))
    until = None
    for attempts, limit in checks:
        times = list(attempts.order_by("-at").values_list("at", flat=True)[: limit + 1])
        if len(times) > limit:
            opens = times[-1] + settings.SAMTALE_LOGIN_COOLOFF
            until = max(until, opens) if until else opens
    if until is not None:
        audit_record(
            actor=None,
            action="accounts.sign_in_throttled",
            outcome=Outcome.DENIED,
            data={"account": key[:16], "address": address},
        )
    # Keep the table small: attempts older than the window no longer count.
    LoginFailure.objects.filter(at__lt=since).delete()
    return until


def login_attempt_succeeded(*, email: str) -> None:
    """The right password: the account's failed attempts (this one included) no longer count."""
    LoginFailure.objects.filter(account_key=account_key(email)).delete()
