"""A real SMTP server on localhost for the "no lost mail" tests, that can be stopped and started
again on the same port. It speaks just enough SMTP for ``smtplib`` (EHLO/HELO, MAIL, RCPT, DATA,
RSET, NOOP, QUIT), accepts everything and keeps what it received. (aiosmtpd would do this too;
it is not a dependency, and this is fifty lines.)"""

from __future__ import annotations

import socket
import socketserver
import threading
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from email.policy import default as default_policy


@dataclass(frozen=True)
class Received:
    sender: str
    recipients: tuple[str, ...]
    data: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.data, policy=default_policy)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    block_on_close = False
    sink: SmtpSink


class _Session(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        self.reply("220 sink.test ESMTP")
        sender = ""
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8")
            elif verb == "HELO":
                self.reply("250 sink.test")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)  # dot-unstuffing
                self.server.sink.received(Received(sender, tuple(recipients), b"".join(lines)))
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")


class SmtpSink:
    """``start()`` and ``stop()`` as often as you like; it keeps its port and what it received."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[Received] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None

    def received(self, message: Received) -> None:
        with self._lock:
            self.messages.append(message)

    def start(self) -> None:
        assert self._server is None, "already running"
        self._server = _Server(("127.0.0.1", self.port), _Session)
        self._server.sink = self
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def mailer(self) -> dict[str, object]:
        """The ``MAILERS`` setting that sends to this server."""
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": self.port, "use_tls": False, "timeout": 5},
            }
        }
