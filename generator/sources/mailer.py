"""Sending an issue over SMTP (STARTTLS or implicit TLS), one message per recipient, never twice (a state file)."""

from __future__ import annotations

import json
import os
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from urllib.parse import unquote, urlsplit

TIMEOUT = 30


class SendError(Exception):
    """A send that cannot go on, said in one line without any secret."""


@dataclass(frozen=True)
class SmtpSettings:
    """``PICKS_SMTP_URL``: ``smtp://[user:pass@]host:port`` (STARTTLS when offered) or ``smtps://...`` (TLS)."""

    scheme: str
    host: str
    port: int
    username: str = ""
    password: str = field(default="", repr=False)

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise SendError("PICKS_SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
        try:
            port = parts.port or (465 if parts.scheme == "smtps" else 587)
        except ValueError:
            raise SendError("PICKS_SMTP_URL has a port that is not a number") from None
        return cls(parts.scheme, parts.hostname, port, unquote(parts.username or ""), unquote(parts.password or ""))

    def __str__(self) -> str:
        user = f"{self.username}:***@" if self.username else ""
        return f"{self.scheme}://{user}{self.host}:{self.port}"


class SendState:
    """Who has received which issue, and which picks it held: one JSON line per delivery, appended and flushed
    once the server accepted it. Appending keeps each record cheap and a crash can cost at most the line being
    written. Lines written before picks were recorded say only the period.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._served: dict[str, set[str]] = {}
        self._picks: dict[tuple[str, str], set[str] | None] = {}  # (address, period) → pick ids it held
        try:
            lines = path.read_text("utf-8").splitlines()
        except FileNotFoundError:
            lines = []
        for number, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
                self._remember(record["period"], record["to"], record.get("picks"))
            except (ValueError, KeyError, TypeError, AttributeError):
                if number < len(lines):  # only a last line cut short by a crash is forgiven
                    raise SendError(f"{path}:{number}: not a line this tool wrote; move the file aside") from None

    def _remember(self, period: str, address: str, picks: list[str] | None) -> None:
        address = address.lower()
        self._served.setdefault(period, set()).add(address)
        known = self._picks.get((address, period), set())
        self._picks[(address, period)] = None if picks is None or known is None else known | set(picks)

    def served(self, period: str) -> set[str]:
        return set(self._served.get(period, set()))

    def delivered(self, address: str) -> dict[str, set[str] | None]:
        """Each period sent to the address, with the pick ids it held (None where the line did not say)."""
        return {period: picks for (to, period), picks in self._picks.items() if to == address.lower()}

    def record(self, period: str, address: str, picks: list[str] | None = None) -> None:
        self._remember(period, address, picks)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"period": period, "to": address} | ({"picks": picks} if picks is not None else {})
        with open(self.path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(line) + "\n")
            stream.flush()
            os.fsync(stream.fileno())


def valid_address(address: str) -> bool:
    name, parsed = parseaddr(address)
    local, _, domain = parsed.partition("@")
    return bool(local and "." in domain and parsed == address.strip() and " " not in parsed)


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection; the password only ever travels inside TLS."""
    context = ssl.create_default_context()
    try:
        if settings.scheme == "smtps":
            server: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
            server.ehlo()
            if server.has_extn("starttls"):
                server.starttls(context=context)
                server.ehlo()
            elif settings.username:
                server.close()
                raise SendError(f"{settings} offers no STARTTLS: refusing to send the password unencrypted")
        if settings.username:
            _authenticate(server, settings)
        # Many small commands per message: without this, Nagle's algorithm waits on delayed ACKs (~40 ms each).
        server.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(f"{settings}: authentication failed for '{settings.username}' ({exc.smtp_code})") from None
    except ssl.SSLError as exc:
        raise SendError(f"{settings}: TLS failed ({exc.reason or exc})") from None
    except (smtplib.SMTPException, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        raise SendError(f"cannot connect to {settings}: {reason}") from None
    return server


def _authenticate(server: smtplib.SMTP, settings: SmtpSettings) -> None:
    # One attempt with PLAIN when offered (inside TLS by now): smtplib's login() would retry a wrong password
    # with every other mechanism, which some servers answer by hanging up.
    if "PLAIN" in server.esmtp_features.get("auth", "").upper().split():
        server.user, server.password = settings.username, settings.password
        server.auth("PLAIN", server.auth_plain)
    else:
        server.login(settings.username, settings.password)


@dataclass
class SendReport:
    sent: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # already served
    failed: list[tuple[str, str]] = field(default_factory=list)


def send_issue(
    period: str,
    recipients: Iterable[str],
    message_for: Callable[[str], EmailMessage],
    settings: SmtpSettings,
    state: SendState,
    *,
    resend: bool,
    dry_run: bool,
    contents: Callable[[str], list[str]] | None = None,
) -> SendReport:
    """One message per recipient over one connection, each recorded once the server accepted it.

    A dropped connection stops the run (SendError) with every accepted recipient recorded, so running
    again sends to the rest only. ``contents`` names the picks each recipient's message holds, for the record.
    Each message is dated when it is sent (the written .eml keeps the issue's reproducible date).
    """
    report = SendReport()
    served = state.served(period)
    todo = []
    for address in dict.fromkeys(r.strip() for r in recipients if r.strip()):
        if not valid_address(address):
            report.failed.append((address, "not a valid e-mail address"))
        elif address.lower() in served and not resend:
            report.skipped.append(address)
        else:
            todo.append(address)
    if dry_run or not todo:
        report.sent = todo if dry_run else []
        return report
    server = connect(settings)
    try:
        for address in todo:
            message = message_for(address)
            message.replace_header("Date", format_datetime(datetime.now(UTC)))
            try:
                server.send_message(message, to_addrs=[address])
            except smtplib.SMTPRecipientsRefused as exc:
                code, reason = next(iter(exc.recipients.values()))
                report.failed.append((address, f"refused by the server ({code} {reason.decode(errors='replace')})"))
                continue
            except (smtplib.SMTPServerDisconnected, smtplib.SMTPDataError, smtplib.SMTPSenderRefused, OSError) as exc:
                left = len(todo) - len(report.sent)
                raise SendError(
                    f"{settings} stopped after {len(report.sent)} message(s) ({exc.__class__.__name__}); "
                    f"{left} recipient(s) left: run the same command again to send to them only"
                ) from None
            state.record(period, address, contents(address) if contents else None)
            report.sent.append(address)
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()
    return report
