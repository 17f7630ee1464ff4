"""The ``picks`` plugin's options in mkdocs.yml, and reading them without a full build."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import base, load_config
from mkdocs.config import config_options as c
from mkdocs.exceptions import Abort, ConfigurationError

from ..core.body import BodyRenderer
from ..core.digest import EVERY
from ..core.listings import absolute_url
from ..core.loader import LoadSettings
from ..core.schedule import NowError, publishing_now

ORDER_CHOICES = ("newest-first", "oldest-first")


class _Timezone(c.Type):
    def __init__(self, default: str = "UTC") -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        name = super().run_validation(value)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise c.ValidationError(f"'{name}' is not an IANA time zone (e.g. UTC, Europe/Rome)") from None
        return name


class _AtLeastOne(c.Type):
    def __init__(self, default: int) -> None:
        super().__init__(int, default=default)

    def run_validation(self, value: object) -> int:
        number = super().run_validation(value)
        if number < 1:
            raise c.ValidationError(f"must be at least 1 (got {number})")
        return number


class CollectionConfig(base.Config):
    title = c.Type(str, default="")
    description = c.Type(str, default="")
    order = c.Optional(c.Choice(ORDER_CHOICES))
    hf_collection = c.Optional(c.Type(str))  # owner/slug-id of a Hugging Face collection to keep in this order


class FeedConfig(base.Config):
    rss = c.Type(str, default="feed.xml")
    atom = c.Type(str, default="atom.xml")
    json = c.Type(str, default="feed.json")
    limit = _AtLeastOne(default=50)


class PostConfig(base.Config):
    header = c.Type(str, default="🔍 Today's pick in {collection}:")
    header_x2 = c.Type(str, default="🔍 Today's pick in {collection}: x{count} edition!")


class DigestConfig(base.Config):
    every = c.Choice(EVERY, default="week")
    title = c.Type(str, default="")  # default: "<site_name> digest"
    subject = c.Type(str, default="{title}: {label}")  # also {period} and {count}
    sender = c.Type(str, default="")  # From: address; PICKS_SMTP_FROM wins
    to = c.Type(str, default="")  # To: of the .eml file (sending puts each recipient there); PICKS_EMAIL_TO wins
    unsubscribe = c.Type(str, default="")  # mailto: or https: URL for List-Unsubscribe
    state = c.Type(str, default=".cache/picks/sent.jsonl")  # who has received which issue


class AnnounceConfig(base.Config):
    max_per_run = _AtLeastOne(default=1)  # picks announced per run and network, oldest first
    since = c.Optional(c.Type(str))  # YYYY-MM-DD: nothing older is announced; default: the last 7 days
    language = c.Type(str, default="en")
    # The public accounts announce posts to, shown on the subscribe page (names, never secrets).
    bluesky_handle = c.Type(str, default="")  # e.g. picks.bsky.social
    mastodon_account = c.Type(str, default="")  # e.g. @picks@sigmoid.social


class ConversationConfig(base.Config):
    """Replies to the announced posts, read by ``picks refresh`` into .picks/conversation.json (SPEC 14)."""

    bluesky = c.Type(bool, default=False)
    mastodon = c.Type(bool, default=False)
    hide = c.ListOfItems(c.Type(str), default=[])  # replies the curator removes: post URLs or URIs
    requests = _AtLeastOne(default=200)  # per run: a large site refreshes in slices, oldest-refreshed first


class CitationsConfig(base.Config):
    """The papers' citations from OpenAlex, read by ``picks refresh`` into .picks/citations.json (SPEC 14)."""

    openalex = c.Type(bool, default=False)
    mailto = c.Type(str, default="")  # OpenAlex's polite pool: an address it can write to about the traffic
    requests = _AtLeastOne(default=300)


class PicksConfig(base.Config):
    dir = c.Type(str, default="picks")
    order = c.Choice(ORDER_CHOICES, default="newest-first")
    per_page = _AtLeastOne(default=20)
    timezone = _Timezone()
    default_collection = c.Type(str, default="picks")
    collections = c.DictOfItems(c.SubConfig(CollectionConfig), default={})
    feed = c.SubConfig(FeedConfig)
    bibtex = c.Type(str, default="picks.bib")
    people = c.Type(str, default="people.yml")  # author names to handles per network, for posts
    post = c.SubConfig(PostConfig)
    digest = c.SubConfig(DigestConfig)
    announce = c.SubConfig(AnnounceConfig)
    conversation = c.SubConfig(ConversationConfig)
    citations = c.SubConfig(CitationsConfig)


def collection_keys(config: PicksConfig) -> frozenset[str]:
    """Declared collections; the default one is declared implicitly."""
    return frozenset(config.collections) | {config.default_collection}


def collection_settings(config: PicksConfig) -> dict[str, tuple[str, str, str | None]]:
    """Each collection's (title, description, order or None); the default one is always there."""
    settings = {key: (c.title or key, c.description, c.order) for key, c in config.collections.items()}
    settings.setdefault(config.default_collection, (config.default_collection.title(), "", None))
    return settings


@dataclass(frozen=True)
class ProjectConfig:
    """What commands outside a build need from mkdocs.yml, read by MkDocs itself (so ``!ENV`` and every
    form of ``plugins:`` mean what they mean in a build)."""

    picks: PicksConfig
    root: Path
    site_url: str
    site_name: str
    use_directory_urls: bool
    markdown_extensions: list
    mdx_configs: dict

    def page_url(self, folder: str) -> str:
        """The absolute URL of a generated page (``picks/<id>``, ``digest/2024-W15``)."""
        return absolute_url(self.site_url, folder, self.use_directory_urls)


class _Collected(logging.Handler):
    """MkDocs logs each configuration error, then aborts; keep the messages for one clear line."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def read_project_config(config_file: Path) -> ProjectConfig:
    """The validated config of an mkdocs.yml whose plugins include ``picks``; ConfigurationError otherwise."""
    errors = _Collected()
    logger = logging.getLogger("mkdocs.config")
    logger.addHandler(errors)
    try:
        mkdocs_config = load_config(str(config_file))
    except Abort:
        raise ConfigurationError("; ".join(errors.messages) or "invalid configuration") from None
    finally:
        logger.removeHandler(errors)
    plugin = mkdocs_config.plugins.get("picks")
    if plugin is None:
        raise ConfigurationError("the 'picks' plugin is not enabled under 'plugins:'")
    return ProjectConfig(
        picks=plugin.config,
        root=config_file.parent,
        site_url=mkdocs_config.site_url or "",
        site_name=mkdocs_config.site_name,
        use_directory_urls=mkdocs_config.use_directory_urls,
        markdown_extensions=list(mkdocs_config.markdown_extensions),
        mdx_configs=dict(mkdocs_config.mdx_configs),
    )


CACHE = Path(".cache") / "picks"  # beside mkdocs.yml; rendered bodies and API answers


def load_settings(
    picks: PicksConfig, extensions: list, mdx_configs: dict, *, include_drafts: bool = False
) -> LoadSettings:
    """How the loader reads this site's picks: time zone, collections, Markdown extensions, the body cache."""
    root = Path(picks.config_file_path or "mkdocs.yml").parent
    try:
        now = publishing_now()
    except NowError as error:
        raise Abort(str(error)) from None
    return LoadSettings(
        picks.timezone,
        picks.default_collection,
        collection_keys(picks),
        include_drafts,
        BodyRenderer(extensions, mdx_configs, cache_dir=root / CACHE),
        now,
    )
