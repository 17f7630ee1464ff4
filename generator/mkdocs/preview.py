"""``mkdocs serve`` fast path: when only one pick's title or body changed, rebuild what shows it, not the site."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.commands.build import _build_page, _populate_page  # the per-page steps of MkDocs' own build

from ..core.listings import ListingPage, pick_folder
from ..core.loader import load_picks
from ..core.model import Pick
from .pages import PickPage, folder_uri, pick_meta, renew

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from .plugin import PicksPlugin


def snapshot(roots: list[Path]) -> dict[str, int]:
    """Every file under the roots (or the root file itself) with its modification time."""
    found: dict[str, int] = {}
    for root in roots:
        if root.is_file():
            found[str(root)] = root.stat().st_mtime_ns
            continue
        for folder, _, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    found[path] = os.stat(path).st_mtime_ns
                except OSError:
                    continue
    return found


@dataclass
class LastBuild:
    """What a full build leaves for the fast path: MkDocs' objects and the files it saw."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    roots: list[Path]
    seen: dict[str, int] = field(default_factory=dict)


def _frame(pick: Pick) -> Pick:
    """Everything of a pick but its title, body and teaser: what order, neighbours, tags, feeds' lists depend on."""
    return dataclasses.replace(pick, title="", body="", html="", toc=[], summary="")


def rebuild_one(plugin: PicksPlugin, last: LastBuild) -> str | None:
    """The id of the one pick rebuilt, or None when the change needs a full build (anything but one pick's
    title, body or teaser)."""
    now = snapshot(last.roots)
    changed = [path for path in now.keys() | last.seen.keys() if now.get(path) != last.seen.get(path)]
    if len(changed) != 1 or not changed[0].endswith(".md") or Path(plugin.picks_dir) not in Path(changed[0]).parents:
        return None
    result = load_picks([Path(changed[0])], plugin.load_settings(last.config))
    if result.errors or len(result.picks) != 1:
        return None
    new = result.picks[0]
    uri = folder_uri(pick_folder(new))
    generated = plugin.generated.get(uri)
    if not isinstance(generated, PickPage) or _frame(generated.pick) != _frame(new):
        return None
    old = generated.pick
    uris = [uri]
    if (new.title, new.summary) != (old.title, old.summary):  # what its card shows: those listings change too
        uris += [u for u, page in plugin.generated.items() if isinstance(page, ListingPage) and old in page.picks]
        for env in {id(e): e for e in (plugin.env, last.env) if e is not None}.values():
            env.filters["card"].forget(new.id)
    if new.title != old.title:  # the neighbours' previous/next links name it
        uris += [folder_uri(pick_folder(pick)) for pick in (generated.previous, generated.next) if pick]
    renew(last.files.get_file_from_path(uri), pick_meta(new))
    plugin.replace_pick(old, new)
    doc_files = last.files.documentation_pages()
    for changed_uri in uris:
        page = last.files.get_file_from_path(changed_uri).page
        _populate_page(page, last.config, last.files)
        _build_page(page, last.config, doc_files, last.nav, last.env)
    plugin.write_feeds(last.config, showing=new.id)
    plugin.refresh_search(last.config)
    last.seen = now
    return new.id


def fast_builder(plugin: PicksPlugin, full: Callable[..., Any]) -> Callable[..., Any]:
    """The serve loop's builder: the fast path when it applies, else MkDocs' full build."""

    def build(config: MkDocsConfig | None = None) -> None:
        if config is None and plugin.last_build is not None:
            pick_id = rebuild_one(plugin, plugin.last_build)
            if pick_id is not None:
                plugin.log_fast(pick_id)
                return
        if config is None:
            full()
        else:
            full(config)

    return build
