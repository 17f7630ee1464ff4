"""``digest/feed.xml``: RSS with one item per digest issue, for RSS-to-email services (Buttondown, Mailchimp)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..core.digest import Issue
from .feed import NO_PICKS, FeedEntry, FeedInfo, channel


@dataclass(frozen=True)
class IssueEntry:
    """An issue as its feed item carries it: the page's absolute URL and every pick's full content."""

    issue: Issue
    url: str
    picks: list[FeedEntry]

    @property
    def content(self) -> str:
        return "\n".join(
            f'<h2><a href="{escape(entry.url)}">{escape(entry.pick.title)}</a></h2>\n{entry.content}'
            for entry in self.picks
        )


def issue_id(issue: Issue) -> str:
    """From the period alone, never the site's address: a moved site never re-sends an issue."""
    return f"urn:daily-picks:digest:{issue.period}"


def digest_rss(info: FeedInfo, entries: list[IssueEntry], self_url: str) -> bytes:
    fg = channel(info, self_url, entries[0].issue.newest.instant if entries else NO_PICKS)
    for entry in entries:
        item = fg.add_entry(order="append")
        item.guid(issue_id(entry.issue), permalink=False)
        item.title(entry.issue.label)
        item.link(href=entry.url)
        item.published(entry.issue.newest.instant)
        titles = "; ".join(p.title for p in entry.issue.picks)
        count = len(entry.issue.picks)
        item.description(escape(f"{count} pick{'' if count == 1 else 's'}: {titles}", quote=False))
        item.content(entry.content)  # RSS's content:encoded, HTML escaped as XML text (only type="CDATA" differs)
    return fg.rss_str(pretty=True)


def write_digest_feed(info: FeedInfo, entries: list[IssueEntry], self_url: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(digest_rss(info, entries, self_url))
