"""A mail server that can be switched off, for the outage tests."""

from __future__ import annotations

from typing import Any, ClassVar

from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class SwitchableBackend(LocmemBackend):
    up: ClassVar[bool] = True
    refused: ClassVar[set[str]] = set()
    # Recipients whose message the server answers with this code after DATA (4xx for now, 5xx for good).
    answers: ClassVar[dict[str, int]] = {}
    sender_refused: ClassVar[bool] = False

    def open(self) -> bool:
        if not SwitchableBackend.up:
            raise ConnectionRefusedError(111, "Connection refused")
        return True

    def send_messages(self, messages: Any) -> int:
        import smtplib

        if not SwitchableBackend.up:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        for message in messages:
            if SwitchableBackend.sender_refused:
                raise smtplib.SMTPSenderRefused(530, b"Authentication required", message.from_email)
            if set(message.to) & SwitchableBackend.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
            if code := SwitchableBackend.answers.get(message.to[0]):
                raise smtplib.SMTPDataError(code, b"Not now" if code < 500 else b"Rejected")
        return super().send_messages(messages)
