from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from samtale.org.models import Person


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=normalize_email(email), **fields)
        user.set_password(password)  # None gives an unusable password: sign-in through an invitation link
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


def unusable_password() -> str:
    """What ``set_unusable_password`` stores, made without its per-call overhead, for accounts
    created in bulk that sign in through an invitation link."""
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def normalize_email(email: str) -> str:
    """E-mail addresses are compared case-insensitively; we store them in lower case."""
    return email.strip().lower()


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in. Most users are a person of the organisation (``user.person``); an
    administrator may be a user without one."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the administration"), default=False)
    date_joined = models.DateTimeField(_("created"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    if TYPE_CHECKING:
        person: Person

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @property
    def has_activated(self) -> bool:
        """Whether the user has set a password (people created by import start without one)."""
        return self.has_usable_password()


class LoginFailure(models.Model):
    """A sign-in attempt that has not (yet) succeeded, kept for the cool-off window to throttle
    guessing. Every attempt is stored before its password is checked; a successful one is
    removed again with the account's earlier failures.

    The typed account name is stored only as a keyed hash: people sometimes type their password
    into the e-mail field."""

    account_key = models.CharField(max_length=64, db_index=True)
    address = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.address or ''}"
