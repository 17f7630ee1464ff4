"""What a reader follows, in one place: ``feeds.opml`` and the ``subscribe/`` page's links."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from ..core.listings import Listing, Site, absolute_url
from ..outputs.opml import FeedLink, opml

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .config import PicksConfig

OPML = "feeds.opml"
HUB = "https://huggingface.co/collections/"


@dataclass(frozen=True)
class Ways:
    """Every way to follow the site, for the subscribe page: feeds by kind, and the accounts and collections."""

    groups: list[tuple[str, list[FeedLink]]]
    bluesky: str
    mastodon: str
    hub: list[tuple[str, str]]  # (collection title, URL)
    email: bool


def ways(site: Site, picks: PicksConfig, config: MkDocsConfig) -> Ways:
    base, dirs, name = config.site_url or "", config.use_directory_urls, config.site_name

    def link(listing: Listing, title: str) -> FeedLink:
        assert listing.feed is not None
        return FeedLink(title, urljoin(base, listing.feed), absolute_url(base, listing.path, dirs))

    home = absolute_url(base, "", dirs)
    main = [
        FeedLink(f"{name} (RSS)", urljoin(base, picks.feed.rss), home),
        FeedLink(f"{name} (Atom)", urljoin(base, picks.feed.atom), home),
        FeedLink(f"{name} (JSON Feed)", urljoin(base, picks.feed.json), home),
    ]
    digest = [FeedLink(f"{name}: digest", urljoin(base, "digest/feed.xml"), absolute_url(base, "digest", dirs))]
    groups = [
        (name, main),
        ("Collections", [link(listing, f"{name}: {listing.title}") for listing in site.collections]),
        ("Tags", [link(listing, f"{name}: {listing.title}") for listing in site.tags]),
        ("Authors", [link(listing, f"{name}: papers by {listing.title}") for listing in site.authors]),
        ("Digest", digest),
    ]
    hub = [(c.title or key, HUB + c.hf_collection) for key, c in sorted(picks.collections.items()) if c.hf_collection]
    email = bool(picks.digest.sender)
    return Ways(groups, picks.announce.bluesky_handle, picks.announce.mastodon_account, hub, email)


def write_opml(found: Ways, site_name: str, site_dir: Path) -> None:
    (site_dir / OPML).write_bytes(opml(f"{site_name}: every feed", found.groups))
