"""Jinja helpers for the theme templates: URLs, dates, author lists and the pick header."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from markupsafe import Markup
from mkdocs.utils import get_relative_url

from ..core.listings import Listing, ListingPage, folder_url, pick_folder
from ..core.model import Paper, Pick, display_name, long_date, tag_slug, venue_line
from .pages import Generated, IndexPage

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

    from .config import PicksConfig

AUTHORS_SHOWN = 3


def short_authors(paper: Paper, shown: int = AUTHORS_SHOWN) -> str:
    names = [display_name(a) for a in paper.authors]
    return ", ".join(names[:shown]) + (" et al." if len(names) > shown else "")


def coins(paper: Paper) -> str:
    """A paper as an OpenURL ContextObject (COinS), which Zotero reads from a page that cites several papers."""
    fields = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:journal"),
        ("rft.genre", "article" if paper.venue else "preprint"),
        ("rft.atitle", paper.title),
        *(("rft.au", display_name(author)) for author in paper.authors),
        ("rft.date", str(paper.year)),
    ]
    fields += [("rft.jtitle", paper.venue)] if paper.venue else []
    fields += [("rft_id", f"info:arxiv/{paper.arxiv}")] if paper.arxiv else []
    fields += [("rft_id", f"info:doi/{paper.doi}")] if paper.doi else []
    fields += [("rft_id", paper.url)] if paper.url else []
    return urlencode(fields)


def install_filters(env: Environment, config: MkDocsConfig) -> None:
    """Filters the templates in ``theme/`` use; URLs follow ``use_directory_urls``."""
    dirs = config.use_directory_urls
    env.filters["pick_url"] = lambda pick: folder_url(pick_folder(pick), dirs)
    env.filters["tag_url"] = lambda tag: folder_url(f"tags/{tag_slug(tag)}", dirs)
    env.filters["folder_url"] = lambda folder: folder_url(folder, dirs)
    env.filters["long_date"] = long_date
    env.filters["short_authors"] = short_authors
    env.filters["venue_line"] = venue_line
    env.filters["coins"] = coins
    env.filters["card"] = CardRenderer(env)
    env.filters["display_name"] = display_name
    env.filters["pagefind_worker"] = pagefind_worker


class CardRenderer:
    """A pick's listing card (the ``card`` filter), rendered once per build for each depth of listing page."""

    def __init__(self, env: Environment) -> None:
        self.template = env.get_template("partials/pick-card.html")
        self.cards: dict[tuple[str, str], str] = {}

    def __call__(self, pick: Pick, root: str) -> str:
        key = (pick.id, root)
        if key not in self.cards:
            self.cards[key] = self.template.render(pick=pick, root=root)
        return self.cards[key]

    def forget(self, pick_id: str) -> None:
        """After a pick changed under serve: its cards render again."""
        self.cards = {key: card for key, card in self.cards.items() if key[0] != pick_id}


def pick_content(env: Environment, pick: Pick, page: Page, config: MkDocsConfig, body_html: str) -> str:
    """The pick page's content: its title and papers with their links, then the body."""
    template = env.get_template("partials/pick-content.html")
    base_url = get_relative_url(".", page.url)
    return template.render(pick=pick, page=page, config=config, body=body_html, base_url=base_url)


def feed_content(env: Environment, pick: Pick, body_html: str) -> str:
    """The HTML a feed entry carries: the papers, then the body (links made absolute later)."""
    return env.get_template("partials/pick-feed.html").render(pick=pick, body=body_html).strip()


def feed_links(config: PicksConfig, generated: Generated | None) -> list[tuple[str, str, str]]:
    """(type, title, path) of every feed a page should advertise for autodiscovery."""
    links = [
        ("application/rss+xml", "RSS", config.feed.rss),
        ("application/atom+xml", "Atom", config.feed.atom),
        ("application/feed+json", "JSON Feed", config.feed.json),
    ]
    listing: Listing | None = generated.listing if isinstance(generated, ListingPage) else None
    if listing is not None and listing.kind in ("collection", "tag", "author") and listing.feed:
        links.append(("application/rss+xml", f"RSS: {listing.title}", listing.feed))
    if (
        listing is not None
        and listing.kind == "digest"
        or isinstance(generated, IndexPage)
        and generated.kind == "digest"
    ):
        links.append(("application/rss+xml", "RSS: digest", "digest/feed.xml"))
    return links


_MATERIAL_WORKER = re.compile(r"assets/javascripts/workers/search\.\w+\.min\.js")


def pagefind_worker(config_block: str) -> Markup:
    """Material's ``__config`` with its search worker swapped for ours, which asks Pagefind instead of lunr."""
    return Markup(_MATERIAL_WORKER.sub("assets/javascripts/picks-search.js", config_block))


_SEARCH_DIALOG = 'class="md-search" data-md-component="search" role="dialog">'


def name_search_dialog(html: str) -> str:
    """Material's search dialog has a role and no name (axe: aria-dialog-name; Lighthouse counts it): named here,
    where the page leaves the template, so every page of Material's header gets it."""
    return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
