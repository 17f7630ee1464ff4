"""A digest issue as email: inlined-CSS HTML, a plain-text part, and a reproducible multipart .eml."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import css_inline
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..core.body import absolute_html, text_blocks
from ..core.digest import Issue
from ..core.listings import absolute_url
from ..core.model import Paper, Pick, display_name, long_date, venue_line

TEMPLATES = Path(__file__).parent.parent / "templates"
MAX_BYTES = 100_000  # Gmail clips a message's HTML beyond about 102 KB


@dataclass(frozen=True)
class EmailEntry:
    pick: Pick
    url: str  # the pick page's absolute URL
    body: str  # the pick's sanitized body, links made absolute
    late_from: str = ""  # a late addition: the label of the issue it belongs to, which went out without it


@dataclass(frozen=True)
class Newsletter:
    """What every issue shares: names, addresses and URLs."""

    title: str
    site_url: str
    subject: str = "{title}: {label}"
    sender: str = ""
    to: str = "undisclosed-recipients:;"
    unsubscribe: str = ""
    directory_urls: bool = True

    def url(self, folder: str) -> str:
        return absolute_url(self.site_url, folder, self.directory_urls)


@dataclass(frozen=True)
class IssueEmail:
    period: str
    subject: str
    html: str
    text: str
    eml: bytes  # the .eml file, addressed to the newsletter's To
    message: EmailMessage = field(repr=False, compare=False)

    def addressed_to(self, to: str) -> EmailMessage:
        """The one message readdressed for a recipient: MIME is built once per issue, not once per send."""
        self.message.replace_header("To", to)
        return self.message


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters |= {"display_name": display_name, "venue_line": venue_line, "long_date": long_date}
    return env


def compose(issue: Issue, newsletter: Newsletter, late: Sequence[tuple[str, Pick]] = ()) -> IssueEmail:
    """The issue's three renderings; the same picks always give the same bytes.

    ``late``: (label of its issue, pick) for picks added to a period after it was sent to this reader; they
    follow the issue's own picks, each marked as a late addition.
    """
    entries = []
    for label, pick in [("", pick) for pick in issue.picks] + list(late):
        url = newsletter.url(f"picks/{pick.id}")
        entries.append(EmailEntry(pick, url, absolute_html(pick.html, url), label))
    subject = newsletter.subject.format(
        title=newsletter.title, label=issue.label, period=issue.period, count=len(issue.picks)
    )
    issue_url = newsletter.url(f"digest/{issue.period}")
    page = (
        _environment()
        .get_template("email.html")
        .render(
            subject=subject,
            title=newsletter.title,
            label=issue.label,
            entries=entries,
            home_url=newsletter.site_url,
            issue_url=issue_url,
            feed_url=urljoin(newsletter.site_url, "digest/feed.xml"),
            unsubscribe=newsletter.unsubscribe,
        )
    )
    html = css_inline.inline(page)
    text = _text(issue, entries, newsletter, issue_url)
    message = email_message(issue, newsletter, subject, html, text, newsletter.to, [p.id for _, p in late])
    return IssueEmail(issue.period, subject, html, text, bytes(message), message)


def _text(issue: Issue, entries: list[EmailEntry], newsletter: Newsletter, issue_url: str) -> str:
    links: list[str] = []

    def cite(url: str) -> str:
        links.append(url)
        return f"[{len(links)}]"

    lines = [newsletter.title, f"{issue.label} · {len(entries)} pick{'' if len(entries) == 1 else 's'}", ""]
    for entry in entries:
        pick = entry.pick
        lines += ["=" * 60] + ([f"Late addition to {entry.late_from}"] if entry.late_from else [])
        lines += [long_date(pick.local_date), f"{pick.title} {cite(entry.url)}", ""]
        for paper in pick.papers:
            lines += [f"  {paper.title}", f"  {', '.join(map(display_name, paper.authors))}", f"  {venue_line(paper)}"]
            lines += [f"  {name} {cite(url)}" for name, url in _paper_links(paper)]
            lines.append("")
        for block in text_blocks(entry.body):
            lines += [block, ""]
    lines += ["=" * 60, f"Read this issue on the web {cite(issue_url)}"]
    if newsletter.unsubscribe:
        lines.append(f"Unsubscribe {cite(newsletter.unsubscribe)}")
    lines += ["", "Links:"] + [f"[{n}] {url}" for n, url in enumerate(links, start=1)]
    return "\n".join(lines) + "\n"


def _paper_links(paper: Paper) -> list[tuple[str, str]]:
    found = [("arXiv", paper.arxiv_abs_url), ("DOI", paper.doi_url), ("Paper", paper.url), ("Code", paper.code)]
    return [(name, url) for name, url in found if url]


def email_message(
    issue: Issue, newsletter: Newsletter, subject: str, html: str, text: str, to: str, late: Sequence[str] = ()
) -> EmailMessage:
    """multipart/alternative in UTF-8; Date is the issue's newest pick; Message-ID comes from site, period and
    any late additions (another content, another id)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = newsletter.sender
    message["To"] = to
    message["Date"] = format_datetime(issue.newest.instant)
    host = urlsplit(newsletter.site_url).hostname or "localhost"
    extra = "." + hashlib.sha256(" ".join(late).encode()).hexdigest()[:8] if late else ""
    message["Message-ID"] = f"<digest-{issue.period}{extra}.{_site_hash(newsletter.site_url)}@{host}>"
    if newsletter.unsubscribe:
        message["List-Unsubscribe"] = f"<{newsletter.unsubscribe}>"
        if newsletter.unsubscribe.startswith("https:"):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text, charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    # A boundary from the content, not from random: the same issue gives the same bytes.
    message.set_boundary("==picks-" + hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:24])
    return message


def _site_hash(site_url: str) -> str:
    return hashlib.sha256(site_url.encode("utf-8")).hexdigest()[:12]
