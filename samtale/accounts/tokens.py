"""One-time links for setting a password. An invitation (an account created by import) lasts
longer than a password reset, and each kind of link is only valid on its own page. Both stop
working once a password is set, because the password is part of what they sign."""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "samtale.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        # As the parent's, with the invitation's own lifetime instead of PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.SAMTALE_INVITATION_TIMEOUT:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_token_generator = InvitationTokenGenerator()
