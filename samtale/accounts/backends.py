from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from samtale.accounts.models import User


class EmploymentBackend(ModelBackend):
    """Sign-in by e-mail and password, for active accounts whose person is still employed.

    The same check runs on every request (``get_user``), so a session ends when the import
    ends the employment."""

    def user_can_authenticate(self, user: Any) -> bool:
        if not super().user_can_authenticate(user):
            return False
        person = getattr(user, "person", None) if user is not None else None
        return person is None or person.end_date is None or person.end_date >= timezone.localdate()

    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("person").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
