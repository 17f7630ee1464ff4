"""The ``picks`` MkDocs plugin: wires MkDocs events to the loader, pages, feeds and BibTeX."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.toc import get_toc

from ..core import digest
from ..core.afterword import Caches
from ..core.body import absolute_html
from ..core.errors import count_line
from ..core.listings import Listing, ListingPage, Site, absolute_url, build_site, pick_folder
from ..core.loader import LoadSettings, load_picks
from ..core.model import Pick
from ..core.people import load_people
from ..outputs import bibtex, citing_feed, csp, digest_feed, feed, key_registry, search
from . import afterword, following, preview, render
from .chrome import ChromeCache
from .config import PicksConfig, collection_settings, load_settings
from .pages import Generated, PickPage, generate
from .staging import StagedSite, serve_folder

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
MATERIAL_SEARCH_ASSETS = ("assets/javascripts/lunr/", "assets/javascripts/workers/search.")


class PicksPlugin(BasePlugin[PicksConfig]):
    """Turns the Markdown picks into listings, pick pages, feeds and a BibTeX file."""

    def __init__(self) -> None:
        self.serving = False
        self.site: Site | None = None
        self.today: date | None = None  # "now" in the site's time zone, for what has ended
        self.activated: Any = None  # the navigation section marked active for the page being rendered
        self.generated: dict[str, Generated] = {}
        self.citations: bibtex.Citations | None = None
        self.env: Environment | None = None
        self.urls: dict[str, str] = {}  # pick id → absolute URL of its page
        self.entries: dict[str, feed.FeedEntry] = {}  # pick id → its feed entry, built once per build
        self.errors: list[str] = []  # under serve: the broken picks, left out and shown in a banner
        self.last_build: preview.LastBuild | None = None  # under serve: what the one-pick fast path reuses
        self.files: Files | None = None
        self.nav: Navigation | None = None
        self.records: dict[str, search.Record] = {}  # page URL → what Pagefind indexes for it
        self.indexing: search.IndexRun | None = None
        self.reindexing: threading.Thread | None = None  # under serve: the fast path's index refresh
        self.chrome = ChromeCache(set())
        self.command: str | None = None
        self.dirty = False
        self.staged: StagedSite | None = None  # `mkdocs build`: the folder it writes, swapped in on success
        self.built = False
        self.caches = Caches()  # replies and citations, as picks refresh left them

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.command, self.dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        parts = urlsplit(config.site_url or "")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise PluginError(
                "picks: site_url must be an absolute http(s) URL such as https://USER.github.io/REPO/ "
                f"because the feeds need absolute links (got {config.site_url!r})"
            )
        if self.command == "build" and not self.dirty and not serve_folder(config.site_dir):
            self.staged, self.built = StagedSite(config.site_dir), False
            config.site_dir = self.staged.begin()
        return config

    @property
    def picks_dir(self) -> Path:
        return Path(self.config.config_file_path or ".").parent / self.config.dir

    def load_settings(self, config: MkDocsConfig) -> LoadSettings:
        return load_settings(self.config, config.markdown_extensions, config.mdx_configs, include_drafts=self.serving)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.reindexing is not None:
            self.reindexing.join()  # it writes into site/, which this build is about to clean
        # Runs before MkDocs cleans site/, so an invalid pick leaves the last good site in place.
        self.last_build = None
        settings = self.load_settings(config)
        root = Path(config.config_file_path or "mkdocs.yml").parent  # where people.yml and .picks/ live
        self.today = settings.now.astimezone(ZoneInfo(self.config.timezone)).date() if settings.now else None
        result = load_picks(self.picks_dir, settings)
        for warning in (f for f in result.findings if f.severity == "warning"):
            log.info("%s", warning)  # a paper picked twice is allowed; strict builds must not fail on it
        self.errors = [str(e) for e in result.errors]
        if result.errors and self.serving:
            # MkDocs holds every request while builds fail; serve the valid picks and name what is broken instead.
            for error in result.errors:
                log.error("%s", error)
        elif result.errors:
            errors = "\n".join(self.errors)
            raise PluginError(f"invalid picks:\n{errors}\n{count_line(result.findings)}")
        self.site = build_site(
            result.picks,
            order=self.config.order,
            collections=collection_settings(self.config),
            rss=self.config.feed.rss,
            bib=self.config.bibtex,
            issues=digest.issues(result.picks, self.config.digest.every, self.config.timezone, self.config.order),
            people=load_people(root / self.config.people)[0],
        )
        try:
            published = key_registry.load(root / key_registry.REGISTRY)
        except key_registry.RegistryError as exc:
            raise PluginError(str(exc)) from None
        if taken := key_registry.conflicts(result.picks, published):
            errors = "\n".join(f"{pick.source}: papers[{index}].key: {message}" for pick, index, message in taken)
            raise PluginError(f"invalid picks:\n{errors}")
        self.citations = bibtex.Citations(result.picks, {i: entry.key for i, entry in published.items()})
        self.caches = afterword.load(self.config, root)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.site is not None
        made = generate(self.site, self.config.per_page, config, following.ways(self.site, self.config, config))
        for uri, (file, _) in made.items():
            if existing := files.get_file_from_path(uri):
                log.warning("docs/%s is replaced by the page the picks plugin generates there", uri)
                files.remove(existing)
            files.append(file)
        self.generated = {uri: page for uri, (_, page) in made.items()}
        self.chrome = ChromeCache(set(self.generated))
        self.urls = {}
        self.entries = {}
        self.records = {}
        for file in [f for f in files if f.src_uri.startswith(MATERIAL_SEARCH_ASSETS)]:
            files.remove(file)  # lunr, its languages and worker: search runs on Pagefind (theme/main.html)
        # MkDocs builds its page environment only after reading pages; pick headers need one before.
        self.env = self._install(config.theme.get_env(), config)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        self.files = files
        # Every page's text is known once MkDocs has read them all: index now, beside the page rendering.
        self.indexing = search.IndexRun(list(self.records.values()), Path(config.site_dir), _language(config))
        return self._install(env, config)

    def _install(self, env: Environment, config: MkDocsConfig) -> Environment:
        render.install_filters(env, config)
        env.filters["reply_html"] = afterword.reply_html
        env.globals["picks_errors"] = self.errors
        env.globals["picks_author_folder"] = lambda name: self.site.author_folder(name) if self.site else None
        env.globals["picks_chrome"] = self.chrome
        env.globals["picks_collections"] = {
            key: title for key, (title, _, _) in collection_settings(self.config).items()
        }
        return env

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        generated = self.generated.get(page.file.src_uri)
        own = page.meta.get("search") or {}
        if generated is None and not own.get("exclude"):
            self.records[page.url] = search.page_record(page.url, page.title or "", html)
        elif isinstance(generated, ListingPage) and generated.listing.kind == "author" and generated.number == 1:
            listing = generated.listing
            self.records[page.url] = search.author_record(listing.title, list(listing.aliases), listing.picks, page.url)
        # Pagefind indexes from self.records; Material's lunr index (read at page_context) skips every page.
        page.meta["search"] = {**own, "exclude": True}
        if not isinstance(generated, PickPage) or self.env is None or self.citations is None:
            return html
        pick = generated.pick
        self.urls[pick.id] = urljoin(config.site_url or "", page.url)
        self.records[page.url] = search.pick_record(pick, page.url)
        page.toc = get_toc(pick.toc)
        page.present_anchor_ids = {anchor.id for anchor in _anchors(page.toc)}
        return render.pick_content(self.env, pick, page, config, pick.html)

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav) -> dict[str, Any]:
        context["picks_feeds"] = render.feed_links(self.config, self.generated.get(page.file.src_uri))
        if (section := _section_of(page, nav)) is not None and not section.active:
            section.active = True  # its tab shows where the reader is; taken back in on_post_page
            self.activated = section
        if generated := self.generated.get(page.file.src_uri):
            context["generated"] = generated
            if isinstance(generated, PickPage) and self.citations is not None:
                context["pick_bibtex"] = self.citations.for_pick(generated.pick)
                context["pick_afterword"] = found = afterword.for_pick(generated.pick, self.caches, self.config)
                if found.citing_feed:  # feed readers find the works citing this pick's papers from its page
                    path = f"{pick_folder(generated.pick)}/{citing_feed.SITE_FEED}"
                    context["picks_feeds"].append(("application/rss+xml", "RSS: works citing this pick", path))
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.activated is not None:
            self.activated.active, self.activated = False, None
        output = render.name_search_dialog(output)
        # Under serve the policy is added where MkDocs writes its live-reload script into the response (on_serve).
        return output if self.serving else csp.with_policy(output)

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        # The static templates (404.html; sitemap.xml is no page) are rendered outside on_post_page.
        if self.serving or not template_name.endswith(".html"):
            return output_content
        return csp.with_policy(output_content)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        assert self.site is not None and self.citations is not None
        self.write_feeds(config)
        bibtex.write_bibtex(self.citations, self.site, Path(config.site_dir))
        if self.indexing is not None:
            indexing, self.indexing = self.indexing, None
            try:
                indexing.finish()
            except search.SearchIndexError as error:
                raise PluginError(str(error)) from error
        if self.serving and self.env is not None and self.files is not None and self.nav is not None:
            roots = [self.picks_dir, Path(config.docs_dir), Path(config.config_file_path or "mkdocs.yml")]
            roots += [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
            self.last_build = preview.LastBuild(config, self.files, self.nav, self.env, roots, preview.snapshot(roots))
        self.built = True  # MkDocs may still fail the build after this event (strict mode's warning count)

    def write_feeds(self, config: MkDocsConfig, showing: str | None = None) -> None:
        """Every feed: the site's RSS, Atom and JSON Feed, one RSS per collection and tag, the digest's;
        with ``showing`` (a pick id), only those whose entries include that pick."""
        assert self.site is not None
        site_dir = Path(config.site_dir)
        options = self.config.feed
        feeds = [
            (
                self._feed_info(self.site.home, config),
                self.site.home.picks,
                {"rss": options.rss, "atom": options.atom, "json": options.json},
            )
        ]
        feeds += [
            (self._feed_info(listing, config), listing.picks, {"rss": listing.feed})
            for listing in [*self.site.collections, *self.site.tags]
            if listing.feed
        ]
        feed.write_feeds(feeds, self._feed_entry, options.limit, config.site_url or "", site_dir, showing)
        # An author's feed says what was picked and links it: title, teaser and link, no body. Four hundred
        # authors' feeds with every body took more bytes than all the pick pages (bench/README.md).
        by_author = [(self._feed_info(a, config), a.picks, {"rss": a.feed}) for a in self.site.authors if a.feed]
        feed.write_feeds(by_author, self._teaser_entry, options.limit, config.site_url or "", site_dir, showing)
        self._write_digest_feed(config, site_dir)
        if self.caches.citations and self.config.citations.openalex:
            dirs = config.use_directory_urls
            citing_feed.write_citing_feeds(
                self.site.home.picks,
                self.caches,
                config.site_url or "",
                site_dir,
                lambda pick: absolute_url(config.site_url or "", pick_folder(pick), dirs),
                config.site_name,
            )
        following.write_opml(following.ways(self.site, self.config, config), config.site_name, site_dir)

    def replace_pick(self, old: Pick, new: Pick) -> None:
        """The fast path's edit: ``new`` (same pick, another title or body) wherever listings and pages hold ``old``."""
        assert self.site is not None
        self.entries.pop(old.id, None)
        for listing in self.site.listings:
            listing.picks[:] = [new if pick is old else pick for pick in listing.picks]
        for page in self.generated.values():
            if isinstance(page, ListingPage):
                page.picks[:] = [new if pick is old else pick for pick in page.picks]
        for neighbours in (self.site.previous, self.site.next):
            for key, pick in neighbours.items():
                if pick is old:
                    neighbours[key] = new
        for uri, page in self.generated.items():
            if isinstance(page, PickPage) and (old in (page.pick, page.previous, page.next) or old in page.related):
                self.generated[uri] = PickPage(
                    *(new if pick is old else pick for pick in (page.pick, page.previous, page.next)),
                    tuple(new if pick is old else pick for pick in page.related),
                )

    def refresh_search(self, config: MkDocsConfig) -> None:
        """The fast path's new body in the search index, indexed in the background: the page is served first."""
        if self.reindexing is not None:
            self.reindexing.join()
        records, site_dir = list(self.records.values()), Path(config.site_dir)

        def run() -> None:
            try:
                search.IndexRun(records, site_dir, _language(config)).finish()
            except search.SearchIndexError as error:
                log.warning("search index not refreshed: %s", error)

        self.reindexing = threading.Thread(target=run, daemon=True)
        self.reindexing.start()

    def log_fast(self, pick_id: str) -> None:
        log.info(
            "Rebuilt only picks/%s/ and what shows it (listing cards, neighbours' links, feeds): "
            "its title or body was the one change",
            pick_id,
        )

    def _write_digest_feed(self, config: MkDocsConfig, site_dir: Path) -> None:
        assert self.site is not None
        site_url = config.site_url or ""
        entries = [
            digest_feed.IssueEntry(
                listing.issue,
                absolute_url(site_url, listing.path, config.use_directory_urls),
                [self._feed_entry(pick) for pick in listing.picks],
            )
            for listing in self._closed(self.site.digests)[: self.config.feed.limit]
        ]
        title = self.config.digest.title or f"{config.site_name} digest"
        info = feed.FeedInfo(
            "digest", title, f"{title}: one issue per {self.config.digest.every}", urljoin(site_url, "digest/")
        )
        digest_feed.write_digest_feed(
            info, entries, urljoin(site_url, "digest/feed.xml"), site_dir / "digest" / "feed.xml"
        )

    def _closed(self, digests: list[Listing]) -> list[Listing]:
        """The issues whose period has ended in the site's time zone: an item for the running period would be
        mailed by an RSS-to-email service half full, once, under an id that never changes."""
        every = self.config.digest.every
        return [d for d in digests if self.today is None or digest.period_days(d.issue.period, every)[1] < self.today]

    def _teaser_entry(self, pick: Pick) -> feed.FeedEntry:
        return dataclasses.replace(self._feed_entry(pick), content="")

    def _feed_entry(self, pick: Pick) -> feed.FeedEntry:
        """A pick's entry, built once per build however many feeds (site, collection, tags, digest) show it."""
        assert self.env is not None
        if pick.id not in self.entries:
            url = self.urls[pick.id]
            content = absolute_html(render.feed_content(self.env, pick, pick.html), url)
            self.entries[pick.id] = feed.FeedEntry(pick, url, content)
        return self.entries[pick.id]

    @staticmethod
    def _feed_info(listing: Listing, config: MkDocsConfig) -> feed.FeedInfo:
        site_url = config.site_url or ""
        if listing.kind == "home":
            return feed.FeedInfo("all", config.site_name, config.site_description or "", site_url)
        kind = {"collection": "Collection", "author": "Picks of papers by"}.get(listing.kind, "Tag")
        return feed.FeedInfo(
            listing.path,
            f"{config.site_name}: {listing.title}",
            listing.description or f"{kind}: {listing.title}",
            absolute_url(site_url, listing.path, config.use_directory_urls),
        )

    def on_build_error(self, *, error: Exception) -> None:
        self.built = False
        if self.indexing is not None:
            indexing, self.indexing = self.indexing, None
            with contextlib.suppress(search.SearchIndexError):  # the build's own error is the one to report
                indexing.finish()

    def on_shutdown(self) -> None:
        if self.staged is not None:
            staged, self.staged = self.staged, None
            if self.built:
                staged.commit()
            else:
                staged.abandon()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(str(self.picks_dir))
        server.builder = preview.fast_builder(self, server.builder)  # one pick's title or body: what shows it
        # The preview gets a policy too, with MkDocs' live-reload script allowed by its hash: that script is
        # written into each response (it carries the build's epoch), after every plugin event has run.
        inject = server._inject_js_into_html
        server._inject_js_into_html = lambda content, epoch: csp.with_policy(  # type: ignore[method-assign]
            inject(content, epoch).decode("utf-8")
        ).encode("utf-8")
        return server


def _language(config: MkDocsConfig) -> str:
    return config.theme.get("language") or "en"


def _anchors(toc) -> list:
    return [anchor for item in toc for anchor in (item, *_anchors(item.children))]


def _section_of(page: Page, nav: Navigation) -> Any:
    """The navigation item a generated page belongs to, by its first folder: a pick and the home listing's
    pages to Home, a tag page to Tags, and so on. None for a page in the navigation itself or outside it."""
    if any(listed is page for listed in nav.pages):
        return None  # MkDocs marks a page of the navigation, and its section, itself
    folder = page.url.split("/", 1)[0]
    folder = "" if folder in ("picks", "page", "oldest-first", "newest-first") else folder
    return next((item for item in nav.items if getattr(item, "url", None) == (f"{folder}/" if folder else "")), None)
