"""Digest issues: periods, site pages and feed, email files, and sending through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import email.policy
import re
import ssl
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import feedparser
import lxml.html
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import free_port, load_one_pick, mkdocs_build, pick_text, write_picks, write_project
from generator.cli import main
from generator.core.digest import period_days, period_label, period_of

# Three picks in ISO week 2024-W15 (8-14 April) and one in the next; the late one is Sunday night in Los Angeles.
PICKS = {
    "2024-04-08-monday.md": pick_text("Monday", "2024-04-08", arxiv="2404.00001", body="First [link](../x/).\n"),
    "2024-04-10-wednesday.md": pick_text("Wednesday", "2024-04-10", arxiv="2404.00002", tags=["probe"]),
    "2024-04-14-sunday-late.md": pick_text("Sunday late", "2024-04-14T23:30:00-07:00", arxiv="2404.00003"),
    "2024-04-16-next-week.md": pick_text("Next week", "2024-04-16", arxiv="2404.00004"),
}
DIGEST = {
    "every": "week",
    "title": "Picks weekly",
    "sender": "picks@example.org",
    "unsubscribe": "mailto:off@example.org",
}


@pytest.mark.parametrize(
    ("day", "every", "period", "label"),
    [
        (date(2024, 4, 8), "week", "2024-W15", "Week of 8 April 2024"),
        (date(2024, 4, 14), "week", "2024-W15", "Week of 8 April 2024"),
        (date(2024, 12, 30), "week", "2025-W01", "Week of 30 December 2024"),
        (date(2024, 4, 12), "day", "2024-04-12", "12 April 2024"),
        (date(2024, 2, 29), "month", "2024-02", "February 2024"),
    ],
)
def test_periods(day: date, every: str, period: str, label: str) -> None:
    assert period_of(day, every) == period and period_label(period, every) == label
    first, last = period_days(period, every)
    assert first <= day <= last


@settings(max_examples=300, deadline=None)
@given(st.dates(date(1990, 1, 1), date(2100, 12, 31)), st.sampled_from(["day", "week", "month"]))
def test_a_period_runs_from_its_first_day_to_its_last_and_no_further(day: date, every: str) -> None:
    period = period_of(day, every)
    first, last = period_days(period, every)
    assert first <= day <= last and period_of(first, every) == period == period_of(last, every)
    assert period_of(first - timedelta(days=1), every) < period < period_of(last + timedelta(days=1), every)


@pytest.fixture
def project(make_project, monkeypatch: pytest.MonkeyPatch):
    def make(timezone: str = "America/Los_Angeles", **digest: object) -> Path:
        config = make_project(PICKS, timezone=timezone, digest={**DIGEST, **digest})
        monkeypatch.chdir(config.parent)
        monkeypatch.delenv("PICKS_SMTP_FROM", raising=False)
        return config.parent

    return make


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_weeks_run_monday_to_sunday_in_the_configured_time_zone(project) -> None:
    root = project()
    assert run("email", "2024-W15", "--out", "out").exit_code == 0
    text = (root / "out" / "2024-W15.txt").read_text("utf-8")
    assert "Sunday late" in text and "Next week" not in text
    root_utc = project(timezone="UTC")
    run("email", "2024-W16", "--out", "utc")
    assert "Sunday late" in (root_utc / "utc" / "2024-W16.txt").read_text("utf-8")  # Monday 06:30 UTC


def test_digest_pages_and_feed(tmp_path: Path) -> None:
    config = write_project(tmp_path, PICKS, timezone="America/Los_Angeles", digest=DIGEST)
    assert mkdocs_build(config).returncode == 0
    site = tmp_path / "site"
    page = lxml.html.parse(str(site / "digest" / "2024-W15" / "index.html")).getroot()
    titles = [a.text for a in page.cssselect(".pick-card__title a")]
    assert titles == ["Sunday late", "Wednesday", "Monday"]  # the listing's order, newest first
    index = lxml.html.parse(str(site / "digest" / "index.html")).getroot()
    assert [a.text for a in index.cssselect(".picks-index a")] == ["Week of 15 April 2024", "Week of 8 April 2024"]
    parsed = feedparser.parse((site / "digest" / "feed.xml").read_bytes())
    assert not parsed.bozo
    assert [e.id for e in parsed.entries] == ["urn:daily-picks:digest:2024-W16", "urn:daily-picks:digest:2024-W15"]
    assert "Sunday late" in parsed.entries[1].content[0].value and parsed.entries[1].link.startswith("https://")
    moved = write_project(tmp_path / "moved", PICKS, site_url="https://new.example/", timezone="America/Los_Angeles")
    assert mkdocs_build(moved).returncode == 0
    again = feedparser.parse((tmp_path / "moved" / "site" / "digest" / "feed.xml").read_bytes())
    assert [e.id for e in again.entries] == [e.id for e in parsed.entries]


def test_email_files(project) -> None:
    root = project()
    result = run("email", "--out", "out")  # the latest period with picks
    assert result.exit_code == 0 and "out/2024-W16.html" in result.output
    result = run("email", "2024-W15", "--out", "out")
    html = (root / "out" / "2024-W15.html").read_text("utf-8")
    assert "<style" not in html and "<script" not in html and len(html.encode()) < 100_000
    doc = lxml.html.fromstring(html)
    urls = [url for _, attr, url, _ in doc.iterlinks() if attr in ("href", "src")]
    assert urls and all(url.startswith(("https://", "mailto:")) for url in urls)
    assert "https://example.org/picks/picks/x/" in urls  # the body's relative link, made absolute
    assert 'style="' in html and "table" in html
    text = (root / "out" / "2024-W15.txt").read_text("utf-8")
    assert "Links:\n[1] https://example.org/picks/picks/2024-04-14-sunday-late/" in text
    message = email.message_from_bytes((root / "out" / "2024-W15.eml").read_bytes(), policy=email.policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert message["Subject"] == "Picks weekly: Week of 8 April 2024" and message["From"] == "picks@example.org"
    assert message["To"] == "undisclosed-recipients:;"
    assert message["Date"] == "Mon, 15 Apr 2024 06:30:00 +0000"  # the newest pick, never the clock
    assert re.fullmatch(r"<digest-2024-W15\.[0-9a-f]{12}@example\.org>", message["Message-ID"])
    assert message["List-Unsubscribe"] == "<mailto:off@example.org>"
    assert message.get_body(("plain",)).get_content() == text


def test_from_and_to_from_config_or_environment(project, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(to="Readers <readers@example.org>")
    monkeypatch.setenv("PICKS_SMTP_FROM", "Daily Picks <news@example.net>")
    run("email", "2024-W15", "--out", "out")
    message = email.message_from_bytes((root / "out" / "2024-W15.eml").read_bytes(), policy=email.policy.default)
    assert (message["From"], message["To"]) == ("Daily Picks <news@example.net>", "Readers <readers@example.org>")


def test_email_files_are_reproducible(project) -> None:
    root = project()
    run("email", "2024-W15", "--out", "a")
    run("email", "2024-W15", "--out", "b")
    for suffix in ("html", "txt", "eml"):
        assert (root / "a" / f"2024-W15.{suffix}").read_bytes() == (root / "b" / f"2024-W15.{suffix}").read_bytes()


def test_busy_week_stays_under_gmails_clip(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    long_body = "A paragraph of summary text that runs on. " * 12 + "\n\nNotable findings:\n\n" + "- A finding.\n" * 6
    picks = {
        f"2024-04-{8 + i // 2:02d}-busy-{i}.md": pick_text(
            f"Busy {i}",
            f"2024-04-{8 + i // 2:02d}T{9 + i % 2 * 6:02d}:00:00Z",
            arxiv=f"2404.{i + 1:05d}",
            body=long_body,
        )
        for i in range(14)
    }
    monkeypatch.chdir(make_project(picks, digest=DIGEST).parent)
    result = run("email", "2024-W15", "--out", "out")
    size = (Path("out") / "2024-W15.html").stat().st_size
    assert result.exit_code == 0 and "Busy 13" in Path("out/2024-W15.html").read_text("utf-8")
    assert size < 100_000, size


@pytest.mark.parametrize(
    ("period", "code", "words"), [("2024-15", 2, "is not a week"), ("2023-W01", 1, "no published")]
)
def test_bad_periods(project, period: str, code: int, words: str) -> None:
    project()
    result = run("email", period)
    assert result.exit_code == code and words in result.output


# A real SMTP server: STARTTLS with a certificate made for the test, AUTH only inside TLS.
class Mailbox:
    def __init__(self, drop_after: int | None = None) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.drop_after = drop_after
        self.encrypted: list[bool] = []
        self.unknown: set[str] = set()  # mailboxes the server does not have: RCPT is answered 550

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802
        if address in self.unknown:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            return "421 4.3.0 closing: too many messages"
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        self.encrypted.append(session.ssl is not None)  # aiosmtpd sets it once STARTTLS succeeded
        return "250 OK"


AUTH_TRIES: list[str] = []  # the mechanisms clients tried, in order


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    AUTH_TRIES.append(mechanism)
    ok = auth_data.login == b"picks" and auth_data.password == b"s3cret p@ss"
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself on failure


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory):
    ca = trustme.CA()
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server)
    trusted = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(trusted))
    return server, trusted


@pytest.fixture
def smtp(certificates, monkeypatch: pytest.MonkeyPatch):
    """Start a server; returns (mailbox, url). The client trusts the test CA through SSL_CERT_FILE."""
    server_context, trusted = certificates
    monkeypatch.setenv("SSL_CERT_FILE", str(trusted))
    controllers = []

    def start(
        drop_after: int | None = None, *, implicit: bool = False, tls: bool = True, trust: bool = True, plain=True
    ):
        mailbox = Mailbox(drop_after)
        port = free_port()
        # aiosmtpd cannot tell an implicit-TLS connection is encrypted, so it would not offer AUTH there.
        options: dict = {"authenticator": _authenticate, "auth_require_tls": tls and not implicit}
        if not plain:
            options["auth_exclude_mechanism"] = ["PLAIN"]
        if implicit:
            options["ssl_context"] = server_context
        elif tls:
            options["tls_context"] = server_context
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        controllers.append(controller)
        if not trust:
            monkeypatch.delenv("SSL_CERT_FILE")
        scheme = "smtps" if implicit else "smtp"
        return mailbox, f"{scheme}://picks:s3cret%20p%40ss@127.0.0.1:{port}"

    AUTH_TRIES.clear()
    yield start
    for controller in controllers:
        controller.stop()


def _send(url: str, *args: str):
    return CliRunner(env={"PICKS_SMTP_URL": url}).invoke(main, ["email", "send", "2024-W15", *args])


def _received(mailbox: Mailbox) -> list[str]:
    return [address for recipients, _ in mailbox.messages for address in recipients]


RECIPIENTS = ["ada@example.org", "alan@example.net", "grace@example.com"]


def test_send_over_starttls_with_auth_and_never_twice(project, smtp) -> None:
    root = project()
    mailbox, url = smtp()
    args = [arg for address in RECIPIENTS for arg in ("--to", address)]
    result = _send(url, *args)
    assert result.exit_code == 0, result.output
    assert _received(mailbox) == RECIPIENTS
    for (_, raw), address in zip(mailbox.messages, RECIPIENTS, strict=True):
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["To"] == address and message.get_body(("html",)) and message.get_body(("plain",))
        assert "<style" not in message.get_body(("html",)).get_content()
    again = _send(url, *args)
    assert again.exit_code == 0 and "sent to 0, already served 3" in again.output and len(mailbox.messages) == 3
    shouted = [arg for address in RECIPIENTS for arg in ("--to", address.upper())]  # one mailbox, any case
    assert _send(url, *shouted).exit_code == 0 and len(mailbox.messages) == 3
    assert _send(url, "--to", "Mixed.Case@Example.org").exit_code == 0 and len(mailbox.messages) == 4
    assert _send(url, "--to", "mixed.case@example.org").exit_code == 0 and len(mailbox.messages) == 4
    resent = _send(url, *args, "--resend")
    assert resent.exit_code == 0 and len(mailbox.messages) == 7
    assert "s3cret" not in result.output + again.output + resent.output
    assert (root / ".cache" / "picks" / "sent.jsonl").exists()


def test_resumed_send_after_a_dropped_connection_delivers_each_once(project, smtp) -> None:
    project()
    everyone = [f"reader{i}@example.org" for i in range(7)]
    mailbox, url = smtp(drop_after=3)
    first = _send(url, *[arg for address in everyone for arg in ("--to", address)])
    assert (
        first.exit_code == 1 and "stopped after 3 message(s)" in first.output and "4 recipient(s) left" in first.output
    )
    mailbox.drop_after = None
    second = _send(url, *[arg for address in everyone for arg in ("--to", address)])
    assert second.exit_code == 0 and "sent to 4, already served 3" in second.output
    assert sorted(_received(mailbox)) == sorted(everyone)  # each exactly once


def test_implicit_tls(project, smtp) -> None:
    project()
    mailbox, url = smtp(implicit=True)
    assert _send(url, "--to", "ada@example.org").exit_code == 0 and _received(mailbox) == ["ada@example.org"]


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("wrong-password", "authentication failed for 'picks' (535)"),
        ("refused", "cannot connect to smtp://picks:***@127.0.0.1:"),
        ("untrusted-certificate", "TLS failed (CERTIFICATE_VERIFY_FAILED)"),
        ("no-starttls", "offers no STARTTLS: refusing to send the password unencrypted"),
    ],
)
def test_failures_are_clear_and_keep_the_state(project, smtp, case: str, words: str) -> None:
    root = project()
    if case == "refused":
        url = f"smtp://picks:s3cret%20p%40ss@127.0.0.1:{free_port()}"
    else:
        mailbox, url = smtp(trust=case != "untrusted-certificate", tls=case != "no-starttls")
        if case == "wrong-password":
            url = url.replace("s3cret%20p%40ss", "wrong")
    result = _send(url, "--to", "ada@example.org")
    assert result.exit_code == 1 and words in result.output
    assert "s3cret" not in result.output and "wrong" not in result.output
    assert not (root / ".cache" / "picks" / "sent.jsonl").exists()


def test_invalid_address_fails_alone(project, smtp) -> None:
    root = project()
    mailbox, url = smtp()
    result = _send(url, "--to", "not an address", "--to", "ada@example.org")
    assert result.exit_code == 1 and "error: not an address: not a valid e-mail address" in result.output
    assert _received(mailbox) == ["ada@example.org"]
    assert "ada@example.org" in (root / ".cache" / "picks" / "sent.jsonl").read_text("utf-8")


def test_dry_run_sends_nothing(project, smtp, tmp_path: Path) -> None:
    project()
    mailbox, url = smtp()
    recipients = tmp_path / "list.txt"
    recipients.write_text("# readers\nada@example.org\nalan@example.net\n", "utf-8")
    result = _send(url, "--to-file", str(recipients), "--dry-run")
    assert result.exit_code == 0 and "would send to ada@example.org" in result.output and mailbox.messages == []


# Every text's colour against the background actually behind it (the nearest ancestor that paints one).
_LOW_CONTRAST = """
() => {
  const lum = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(v => v / 255)
    .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
    if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
  const low = [];
  for (const e of document.querySelectorAll('body *')) {
    if (![...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const [a, b] = [lum(getComputedStyle(e).color), lum(bg(e))].sort((x, y) => y - x);
    if ((a + 0.05) / (b + 0.05) < 4.5) low.push(e.tagName + '.' + e.className);
  }
  return low;
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_email_text_keeps_its_contrast_in_light_and_dark_clients(chromium, project, scheme: str) -> None:
    """Colours are set in pairs (text and its own background), so a client's dark mode cannot strand dark text."""
    root = project()
    run("email", "2024-W15", "--out", "out")
    context = chromium.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto((root / "out" / "2024-W15.html").as_uri())
    assert page.evaluate(_LOW_CONTRAST) == []
    context.close()


@pytest.mark.parametrize("width", [375, 800])
def test_email_html_fits_phone_and_desktop_widths(chromium, project, width: int, tmp_path: Path) -> None:
    root = project()
    run("email", "2024-W15", "--out", "out")
    page = chromium.new_page(viewport={"width": width, "height": 900})
    page.goto((root / "out" / "2024-W15.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("text=Sunday late").first.is_visible()
    page.screenshot(path=str(tmp_path / f"email-{width}.png"), full_page=True)
    page.close()


def test_without_a_period_the_latest_closed_one_is_taken(project, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(timezone="UTC")
    monkeypatch.setenv("PICKS_NOW", "2024-04-17T12:00:00Z")  # Wednesday of 2024-W16, which has a pick already
    result = run("email", "--out", "out")
    assert result.exit_code == 0 and "2024-W15: the latest closed week (the running 2024-W16 only when named)" in (
        result.output
    )
    assert sorted(p.name for p in (root / "out").iterdir()) == ["2024-W15.eml", "2024-W15.html", "2024-W15.txt"]
    monkeypatch.setenv("PICKS_NOW", "2024-04-12T12:00:00Z")  # in 2024-W15; no earlier week has picks
    result = run("email", "--out", "early")
    assert result.exit_code == 1 and "no week with published picks has ended yet; name 2024-W15" in result.output


def test_a_pick_added_to_a_sent_week_goes_out_late_with_the_next_issue(project, smtp, monkeypatch) -> None:
    root = project(timezone="UTC")
    late = root / "picks" / "2024-04-12-added-later.md"
    mailbox, url = smtp()
    assert _send(url, "--to", "ada@example.org").exit_code == 0  # 2024-W15, as it stood
    late.write_text(pick_text("Added later", "2024-04-12", arxiv="2404.00099"), "utf-8")
    send_w16 = ["email", "send", "2024-W16", "--to", "ada@example.org", "--to", "alan@example.net"]
    result = CliRunner(env={"PICKS_SMTP_URL": url}).invoke(main, send_w16)
    assert result.exit_code == 0, result.output
    assert "late: 2024-04-12-added-later (Week of 8 April 2024) goes out with this issue to 1 recipient(s)" in (
        result.output
    )
    by_address = {to[0]: email.message_from_bytes(raw, policy=email.policy.default) for to, raw in mailbox.messages[1:]}
    ada, alan = (by_address[a].get_body(("plain",)).get_content() for a in ("ada@example.org", "alan@example.net"))
    assert "Late addition to Week of 8 April 2024" in ada and "Added later" in ada and "Next week" in ada
    assert "Added later" not in alan  # alan never had 2024-W15: nothing of it is late for him
    assert by_address["ada@example.org"]["Message-ID"] != by_address["alan@example.net"]["Message-ID"]
    # Recorded as delivered: the next issue carries it to nobody again, and W15 stays served.
    again = CliRunner(env={"PICKS_SMTP_URL": url}).invoke(
        main, ["email", "send", "2024-W16", "--to", "ada@example.org"]
    )
    assert "late:" not in again.output and "sent to 0, already served 1" in again.output
    assert "sent to 0, already served 1" in _send(url, "--to", "ada@example.org").output
    # Added to W15 after W16 went out to ada: a repeated W16 send skips her and promises nothing; W17 carries it.
    late.with_name("2024-04-13-later-still.md").write_text(
        pick_text("Later still", "2024-04-13", arxiv="2404.00097"), "utf-8"
    )
    repeated = CliRunner(env={"PICKS_SMTP_URL": url}).invoke(
        main, ["email", "send", "2024-W16", "--to", "ada@example.org"]
    )
    assert "late:" not in repeated.output and "already served 1" in repeated.output
    late.with_name("2024-04-23-week-after.md").write_text(
        pick_text("Week after", "2024-04-23", arxiv="2404.00098"), "utf-8"
    )
    after = ["email", "send", "2024-W17", "--to", "ada@example.org"]
    output = CliRunner(env={"PICKS_SMTP_URL": url}).invoke(main, after).output
    assert "late: 2024-04-13-later-still" in output and "added-later" not in output


def test_a_sent_message_is_dated_when_sent_and_the_file_keeps_its_date(project, smtp) -> None:
    root = project()
    mailbox, url = smtp()
    before = datetime.now(UTC).replace(microsecond=0)
    assert _send(url, "--to", "ada@example.org").exit_code == 0
    [(_, raw)] = mailbox.messages
    sent = email.message_from_bytes(raw, policy=email.policy.default)["Date"].datetime
    assert before <= sent <= datetime.now(UTC)
    run("email", "2024-W15", "--out", "out")
    written = email.message_from_bytes((root / "out/2024-W15.eml").read_bytes(), policy=email.policy.default)
    assert written["Date"].datetime == datetime(2024, 4, 15, 6, 30, tzinfo=UTC)  # the newest pick: Sunday 23:30 in LA


def test_send_warns_without_an_unsubscribe_link(project, smtp) -> None:
    project(unsubscribe="")
    mailbox, url = smtp()
    result = _send(url, "--to", "ada@example.org")
    assert result.exit_code == 0 and "warning: no digest.unsubscribe" in result.output and "one-click" in result.output
    project()
    assert "warning: no digest.unsubscribe" not in _send(url, "--to", "alan@example.net").output


def test_an_anonymous_connection_still_upgrades_to_starttls(project, smtp) -> None:
    """No login, but the server offers STARTTLS: the message still travels encrypted (SPEC section 8)."""
    project()
    mailbox, url = smtp()
    anonymous = url.replace("picks:s3cret%20p%40ss@", "")
    result = _send(anonymous, "--to", "ada@example.org")
    assert result.exit_code == 0, result.output
    assert _received(mailbox) == ["ada@example.org"] and mailbox.encrypted == [True]


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("smtp://mail.example.org:587", "smtp://mail.example.org:587"),
        ("smtps://ada:s3cret@mail.example.org:465", "smtps://ada:***@mail.example.org:465"),
    ],
)
def test_the_server_is_named_without_its_password(url: str, shown: str) -> None:
    from generator.sources.mailer import SmtpSettings

    assert str(SmtpSettings.from_url(url)) == shown


def test_a_period_closes_after_its_last_day() -> None:
    """On a week's Sunday (its last day) that week may still get picks: the latest closed one is the week before."""
    from generator.core.digest import Issue, latest_closed

    weeks = [Issue("2024-W15", "", []), Issue("2024-W14", "", [])]
    assert latest_closed(weeks, "week", date(2024, 4, 14)).period == "2024-W14"
    assert latest_closed(weeks, "week", date(2024, 4, 15)).period == "2024-W15"


def test_a_wrong_password_is_tried_once_and_login_works_without_plain(project, smtp) -> None:
    """smtplib's login() would retry a refused password with every mechanism offered; some servers hang up."""
    project()
    mailbox, url = smtp()
    assert _send(url.replace("s3cret%20p%40ss", "wrong"), "--to", "ada@example.org").exit_code == 1
    assert AUTH_TRIES == ["PLAIN"]
    AUTH_TRIES.clear()
    mailbox, url = smtp(plain=False)  # a server offering LOGIN only
    assert _send(url, "--to", "ada@example.org").exit_code == 0 and _received(mailbox) == ["ada@example.org"]
    assert AUTH_TRIES == ["LOGIN"]


def test_the_send_state_merges_what_each_reader_got(tmp_path: Path) -> None:
    """Late picks delivered later join what a reader has of that period; a line without picks (an older
    state file) stays unknown; a new state's folders are made; a second reader of the file agrees."""
    from generator.sources.mailer import SendState

    path = tmp_path / "new" / "cache" / "sent.jsonl"
    state = SendState(path)
    state.record("2024-W15", "ada@example.org", ["a", "b"])
    state.record("2024-W15", "ada@example.org", ["c"])
    state.record("2024-W14", "ada@example.org")
    state.record("2024-W14", "ada@example.org", ["d"])
    expected = {"2024-W15": {"a", "b", "c"}, "2024-W14": None}
    assert state.delivered("Ada@example.org") == expected
    assert SendState(path).delivered("ada@example.org") == expected
    assert state.delivered("alan@example.net") == {}


def test_a_recipient_the_server_refuses_fails_alone(project, smtp) -> None:
    root = project()
    mailbox, url = smtp()
    mailbox.unknown.add("alan@example.net")
    result = _send(url, *[arg for address in RECIPIENTS for arg in ("--to", address)])
    assert result.exit_code == 1 and _received(mailbox) == ["ada@example.org", "grace@example.com"]
    lines = result.output.splitlines()
    assert "sent to ada@example.org" in lines and "sent to grace@example.com" in lines
    assert (
        "error: alan@example.net: refused by the server (550 5.1.1 <alan@example.net>: Recipient address rejected: "
        "User unknown)" in lines
    )
    assert "alan" not in (root / ".cache" / "picks" / "sent.jsonl").read_text("utf-8")


def test_implicit_tls_verifies_the_certificate(project, smtp) -> None:
    project()
    mailbox, url = smtp(implicit=True, trust=False)
    result = _send(url, "--to", "ada@example.org")
    assert result.exit_code == 1 and "TLS failed (CERTIFICATE_VERIFY_FAILED)" in result.output
    assert mailbox.messages == []


def test_a_server_that_never_greets_times_out(project, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    project()
    monkeypatch.setattr("generator.sources.mailer.TIMEOUT", 0.5)
    for scheme, said in (("smtp", "Connection unexpectedly closed: timed out"), ("smtps", "")):
        with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts (the kernel's backlog), never answers
            url = f"{scheme}://127.0.0.1:{silent.getsockname()[1]}"
            result = _send(url, "--to", "ada@example.org")
        assert result.exit_code == 1 and f"cannot connect to {url}: {said}" in result.output, result.output


def test_a_refused_connection_says_so(project) -> None:
    project()
    result = _send(f"smtp://127.0.0.1:{free_port()}", "--to", "ada@example.org")
    assert result.exit_code == 1 and ": Connection refused" in result.output


@pytest.mark.parametrize(
    ("url", "settings"),
    [
        ("smtp://mail.example.org", ("smtp", "mail.example.org", 587, "", "")),
        ("smtps://mail.example.org", ("smtps", "mail.example.org", 465, "", "")),
        ("smtp://ada@mail.example.org:25", ("smtp", "mail.example.org", 25, "ada", "")),
        ("smtps://ada%40x:p%20w@mail.example.org:2465", ("smtps", "mail.example.org", 2465, "ada@x", "p w")),
    ],
)
def test_smtp_urls_and_their_default_ports(url: str, settings: tuple) -> None:
    from dataclasses import astuple

    from generator.sources.mailer import SmtpSettings

    assert astuple(SmtpSettings.from_url(url)) == settings


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://mail.example.org",
            "PICKS_SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465",
        ),
        ("smtp://", "PICKS_SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465"),
        ("smtp://mail.example.org:abc", "PICKS_SMTP_URL has a port that is not a number"),
    ],
)
def test_bad_smtp_urls_say_what_is_expected(url: str, message: str) -> None:
    from generator.sources.mailer import SendError, SmtpSettings

    with pytest.raises(SendError) as refused:
        SmtpSettings.from_url(url)
    assert str(refused.value) == message


def test_the_send_state_forgives_only_a_cut_last_line(tmp_path: Path) -> None:
    from generator.sources.mailer import SendError, SendState

    good = '{"period": "2024-W15", "to": "ada@example.org", "picks": ["a"]}'
    path = tmp_path / "sent.jsonl"
    path.write_text(f'{good}\n{{"period": "2024-W1', "utf-8")  # a crash while writing the last line
    assert SendState(path).delivered("ada@example.org") == {"2024-W15": {"a"}}
    path.write_text(f"{good}\nnot json\n{good}\n", "utf-8")
    with pytest.raises(SendError, match=r"sent\.jsonl:2: not a line this tool wrote; move the file aside$"):
        SendState(path)


@pytest.mark.parametrize("address", ["ada@localhost", '"ada lovelace"@example.org', "ada@@example.org"])
def test_addresses_a_digest_cannot_go_to(address: str) -> None:
    from generator.sources.mailer import valid_address

    assert not valid_address(address)


def test_the_digest_feed_item_of_each_issue(tmp_path: Path) -> None:
    """In-process, field by field: one item per issue, id from its period, the count and titles as its
    description, every pick's content; the channel updated at its newest pick."""
    from lxml import etree

    from generator.core.digest import Issue
    from generator.core.loader import LoadSettings, load_picks
    from generator.outputs.digest_feed import IssueEntry, digest_rss, write_digest_feed
    from generator.outputs.feed import FeedEntry, FeedInfo

    write_picks(tmp_path, PICKS)
    picks = list(reversed(load_picks(tmp_path, LoadSettings("UTC", "interpretability")).picks))
    issues = [Issue("2024-W15", "Week of 8 April 2024", picks[:2]), Issue("2024-W14", "Week of 1 April", picks[2:3])]
    entries = [
        IssueEntry(i, f"https://e.org/digest/{i.period}/", [FeedEntry(p, "https://e.org/p/", p.html) for p in i.picks])
        for i in issues
    ]
    info = FeedInfo("digest", "Digest", "Weekly", "https://e.org/digest/")
    raw = digest_rss(info, entries, "https://e.org/digest/feed.xml")
    root = etree.fromstring(raw, etree.XMLParser(recover=False, resolve_entities=False))
    parsed = feedparser.parse(raw)
    assert not parsed.bozo and parsed.feed.updated_parsed[:6] == picks[0].instant.astimezone(UTC).timetuple()[:6]
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    for item, entry, issue in zip(root.findall("channel/item"), parsed.entries, issues, strict=True):
        assert (entry.id, entry.title, entry.link) == (
            f"urn:daily-picks:digest:{issue.period}",
            issue.label,
            f"https://e.org/digest/{issue.period}/",
        )
        assert item.find("guid").get("isPermaLink") == "false"
        assert entry.published_parsed[:6] == issue.newest.instant.astimezone(UTC).timetuple()[:6]
        count = len(issue.picks)
        titles = "; ".join(p.title for p in issue.picks)
        assert entry.summary == f"{count} pick{'' if count == 1 else 's'}: {titles}"
        text = item.find(content).text
        assert text.count("<h2>") == count and all(p.html in text for p in issue.picks)
    assert raw.count(b"\n") > 10 * len(issues)  # pretty-printed, for people reading it
    empty = digest_rss(info, [], "https://e.org/digest/feed.xml")  # no issue yet: a valid feed, dated 1970
    assert feedparser.parse(empty).feed.updated_parsed[:3] == (1970, 1, 1) and b"<item>" not in empty
    target = tmp_path / "site" / "digest" / "feed.xml"  # folders made as needed
    write_digest_feed(info, entries, "https://e.org/digest/feed.xml", target)
    assert target.read_bytes() == raw


def test_late_picks_of_every_period_sent_oldest_first() -> None:
    """Issues come newest first; late picks of several periods are gathered, oldest pick first."""
    from generator.core.digest import Issue, late_picks

    def pick(day: str, name: str):
        return load_one_pick(pick_text(name, day), f"{day}-{name}.md")

    w15 = Issue("2024-W15", "W15", [pick("2024-04-12", "late15"), pick("2024-04-08", "got15")])
    w14 = Issue("2024-W14", "W14", [pick("2024-04-05", "late14"), pick("2024-04-01", "got14")])
    w13 = Issue("2024-W13", "W13", [pick("2024-03-28", "unknown13")])
    w16 = Issue("2024-W16", "W16", [pick("2024-04-15", "now16")])
    delivered = {"2024-W15": {"2024-04-08-got15"}, "2024-W14": {"2024-04-01-got14"}, "2024-W13": None}
    found = late_picks([w16, w15, w14, w13], "2024-W16", delivered)
    assert [(issue.period, p.id) for issue, p in found] == [
        ("2024-W14", "2024-04-05-late14"),
        ("2024-W15", "2024-04-12-late15"),
    ]


def test_pick_text_in_the_email_html_is_escaped() -> None:
    """The e-mail templates escape what a pick says: a title reads as text, never as markup."""
    from generator.core.digest import Issue
    from generator.outputs.email_issue import Newsletter, compose

    pick = load_one_pick(pick_text('A <b>bold</b> & "quoted" title', "2024-04-11"))
    issue = compose(Issue("2024-W15", "Week of 8 April 2024", [pick]), Newsletter("Picks & Co", "https://e.org/"))
    assert "A &lt;b&gt;bold&lt;/b&gt; &amp; " in issue.html and "<b>bold</b>" not in issue.html
    assert "Picks &amp; Co" in issue.html


def test_the_masthead_names_the_newsletter_the_period_and_its_count() -> None:
    import lxml.html

    from generator.core.digest import Issue
    from generator.outputs.email_issue import Newsletter, compose

    pick = load_one_pick(pick_text("Only one", "2024-04-11"))
    composed = compose(Issue("2024-W15", "Week of 8 April 2024", [pick]), Newsletter("Picks", "https://e.org/"))
    assert composed.period == "2024-W15"
    page = lxml.html.fromstring(composed.html)
    masthead = [" ".join(p.text_content().split()) for p in page.xpath("//p[contains(@class, 'masthead')]")]
    assert masthead[:2] == ["Picks", "Week of 8 April 2024 · 1 pick"]
    assert composed.text.splitlines()[:2] == ["Picks", "Week of 8 April 2024 · 1 pick"]


def _composed(unsubscribe: str = "https://e.org/unsubscribe", late: bool = False):
    from generator.core.digest import Issue
    from generator.outputs.email_issue import Newsletter, compose

    first = load_one_pick(
        pick_text("First heads", "2024-04-09", arxiv="2404.07129").replace(
            "    year: 2024\n",
            '    year: 2024\n    code: "https://github.com/a/b"\n    url: "https://e.org/paper"\n',
            1,
        ),
        "2024-04-09-first.md",
    )
    second = load_one_pick(
        pick_text("Second", "2024-04-11").replace('    arxiv: "2404.07129"', '    doi: "10.1234/x"'),
        "2024-04-11-second.md",
    )
    newsletter = Newsletter(
        "Daily Picks", "https://e.org/picks/", sender="Picks <picks@e.org>", unsubscribe=unsubscribe
    )
    issue = Issue("2024-W15", "Week of 8 April 2024", [second, first])
    return compose(issue, newsletter, [("Week of 1 April 2024", first)] if late else []), second


def test_the_issue_as_a_message_header_by_header() -> None:
    import hashlib

    composed, newest = _composed()
    message = email.message_from_bytes(composed.eml, policy=email.policy.default)
    site_hash = hashlib.sha256(b"https://e.org/picks/").hexdigest()[:12]
    assert (message["Subject"], message["From"], message["To"]) == (
        "Daily Picks: Week of 8 April 2024",
        "Picks <picks@e.org>",
        "undisclosed-recipients:;",
    )
    assert message["Date"].datetime == newest.instant
    assert message["Message-ID"] == f"<digest-2024-W15.{site_hash}@e.org>"
    assert message["List-Unsubscribe"] == "<https://e.org/unsubscribe>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.get_body(("plain",)), message.get_body(("html",))
    assert (text.get_content_charset(), html.get_content_charset()) == ("utf-8", "utf-8")
    assert text.get_content() == composed.text and html.get_content().rstrip("\n") == composed.html.rstrip("\n")
    boundary = hashlib.sha256((composed.text + composed.html).encode()).hexdigest()[:24]
    assert message.get_boundary() == f"==picks-{boundary}"  # from the content: the same issue, the same bytes
    late, _ = _composed(late=True)
    late_id = email.message_from_bytes(late.eml, policy=email.policy.default)["Message-ID"]
    assert late_id.startswith("<digest-2024-W15.") and late_id != message["Message-ID"]
    mailto, _ = _composed(unsubscribe="mailto:leave@e.org")
    plain = email.message_from_bytes(mailto.eml, policy=email.policy.default)
    assert plain["List-Unsubscribe"] == "<mailto:leave@e.org>" and plain["List-Unsubscribe-Post"] is None


def test_the_text_part_cites_every_link_by_number() -> None:
    composed, _ = _composed()
    lines = composed.text.splitlines()
    assert lines[:2] == ["Daily Picks", "Week of 8 April 2024 · 2 picks"]
    links = [
        line
        for line in lines
        if line.startswith("  ") and line.strip().split(" ")[0] in ("arXiv", "DOI", "Paper", "Code")
    ]
    assert [link.split(" [")[0].strip() for link in links] == ["DOI", "arXiv", "Paper", "Code"]
    listed = lines[lines.index("Links:") + 1 :]
    assert [entry.split(" ", 1)[0] for entry in listed] == [f"[{n}]" for n in range(1, len(listed) + 1)]
    assert "[1] https://e.org/picks/picks/2024-04-11-second/" in listed and "https://doi.org/10.1234/x" in listed[1]
    assert listed[-1].endswith("https://e.org/unsubscribe") and "Unsubscribe [" in composed.text


def test_the_text_part_golden() -> None:
    """The plain-text part of an issue with a late addition, every paper link and an unsubscribe link, byte for
    byte (its layout: a separator per pick, blank lines between blocks, numbered links at the end)."""
    from conftest import assert_matches_golden

    composed, _ = _composed(late=True)
    assert_matches_golden(Path(__file__).parent / "golden" / "email-issue.txt", composed.text.encode("utf-8"))


def test_the_subject_template_and_the_html_links() -> None:
    from generator.core.digest import Issue
    from generator.outputs.email_issue import Newsletter, compose

    pick = load_one_pick(pick_text("One", "2024-04-11"))
    newsletter = Newsletter(
        "Picks", "https://e.org/p/", subject="{title} {period} ({count}) {label}", unsubscribe="https://e.org/u"
    )
    composed = compose(Issue("2024-W15", "Week of 8 April 2024", [pick, pick]), newsletter)
    assert composed.subject == "Picks 2024-W15 (2) Week of 8 April 2024"
    for href in (
        "https://e.org/p/digest/2024-W15/",
        "https://e.org/p/digest/feed.xml",
        "https://e.org/u",
        "https://e.org/p/",
    ):
        assert f'href="{href}"' in composed.html, href
    assert "<title>Picks 2024-W15 (2) Week of 8 April 2024</title>" in composed.html


def test_every_label_of_an_issue_as_a_reader_sees_it(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 37, point 4: the email's words, each on the HTML part a reader opens, with where each link goes."""
    x2 = pick_text("Two papers", "2024-04-09", arxiv="2404.00005").replace(
        '    arxiv: "2404.00005"\n',
        '    arxiv: "2404.00005"\n    doi: "10.1234/x"\n    code: "https://github.com/a/b"\n'
        '  - title: "Another"\n    authors: [Ada Lovelace]\n    year: 2024\n    url: "https://example.org/p"\n',
    )
    picks = {"2024-04-08-one.md": pick_text("One", "2024-04-08", arxiv="2404.00001"), "2024-04-09-two.md": x2}
    config = make_project(picks, digest={**DIGEST, "title": "Picks weekly"})
    monkeypatch.chdir(config.parent)
    assert run("email", "2024-W15", "--out", "out").exit_code == 0
    doc = lxml.html.fromstring((config.parent / "out" / "2024-W15.html").read_text("utf-8"))

    def link(text: str) -> str:  # the first link of that text: the newest pick's, the x2 edition
        return next(a for a in doc.iter("a") if a.text_content().strip() == text).get("href")

    assert doc.cssselect(".masthead-period")[0].text_content() == "Week of 8 April 2024 · 2 picks"
    assert link("Picks weekly") == "https://example.org/picks/"
    dates = [p.text_content() for p in doc.cssselect(".pick-date")]
    assert dates == ["9 April 2024 · x2 edition", "8 April 2024"]  # newest first, as the site
    assert link("Two papers") == "https://example.org/picks/picks/2024-04-09-two/"
    assert link("arXiv 2404.00005") == "https://arxiv.org/abs/2404.00005"
    assert link("PDF") == "https://arxiv.org/pdf/2404.00005"
    assert link("DOI") == "https://doi.org/10.1234/x"
    assert link("Code") == "https://github.com/a/b"
    assert link("Paper") == "https://example.org/p"
    assert link("Read this issue on the web") == "https://example.org/picks/digest/2024-W15/"
    assert link("RSS") == "https://example.org/picks/digest/feed.xml"  # the digest feed: one item an issue
    assert link("Unsubscribe") == "mailto:off@example.org"
    assert "You receive Picks weekly because you subscribed." in doc.text_content()


def test_state_names_another_file_and_each_file_is_its_own_list(project, smtp, tmp_path: Path) -> None:
    root = project()
    mailbox, url = smtp()
    other = tmp_path / "elsewhere" / "sent-to-list-b.jsonl"
    assert _send(url, "--to", "ada@example.org", "--state", str(other)).exit_code == 0
    assert "ada@example.org" in other.read_text("utf-8") and not (root / ".cache/picks/sent.jsonl").exists()
    again = _send(url, "--to", "ada@example.org", "--state", str(other))
    assert "already served 1" in again.output and len(mailbox.messages) == 1
    default = _send(url, "--to", "ada@example.org")  # the configured state knows nothing of the other list
    assert default.exit_code == 0 and len(mailbox.messages) == 2
    assert "ada@example.org" in (root / ".cache/picks/sent.jsonl").read_text("utf-8")


def test_send_needs_recipients_and_takes_them_from_both_options(project, smtp, tmp_path: Path) -> None:
    project()
    mailbox, url = smtp()
    nobody = _send(url)
    assert nobody.exit_code == 2 and "give recipients with --to ADDR (repeatable) or --to-file FILE" in nobody.output
    listed = tmp_path / "list.txt"
    listed.write_text("# readers\ngrace@example.com\n\n", "utf-8")
    both = _send(url, "--to", "ada@example.org", "--to-file", str(listed))
    assert both.exit_code == 0, both.output
    assert _received(mailbox) == ["ada@example.org", "grace@example.com"]
