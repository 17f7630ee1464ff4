"""The site's search index: one Pagefind record per pick and per written page, split into fragments on disk."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path

from pagefind_bin import get_executable

from ..core.body import text_blocks
from ..core.model import Pick, display_name, long_date

FOLDER = "pagefind"  # site/pagefind/: the engine, its index chunks and one fragment per record
# Pagefind also writes search UIs of its own; the site keeps Material's search box, so only the engine stays.
UNUSED = ("pagefind-ui", "pagefind-modular-ui", "pagefind-component-ui", "pagefind-highlight")
# Pagefind runs while MkDocs renders pages on one core: niced, it takes the idle cores instead of that one.
_LOW_PRIORITY = ("nice", "-n", "15") if shutil.which("nice") else ()


class SearchIndexError(RuntimeError):
    """Pagefind failed; its own message says why."""


@dataclass(frozen=True)
class Record:
    """What search finds a page by (``content``) and what its result shows (``meta``)."""

    url: str  # site-relative, as MkDocs' page.url
    title: str
    content: str
    meta: dict[str, str]


def pick_record(pick: Pick, url: str) -> Record:
    """A pick: title, body, paper titles, authors, ids, venues and tags are all searchable."""
    papers = " · ".join(paper.title for paper in pick.papers)
    authors = "; ".join(", ".join(display_name(a) for a in paper.authors) for paper in pick.papers)
    ids = [paper.arxiv or paper.doi or "" for paper in pick.papers]
    venues = [paper.venue or "" for paper in pick.papers]
    # The body first: a result's snippet comes from where the words match, and the body reads best.
    parts = [*text_blocks(pick.html), papers, authors, *ids, *venues, *pick.tags]
    meta = {"date": long_date(pick.local_date), "papers": papers, "authors": authors}
    return Record(url, pick.title, "\n".join(part for part in parts if part), meta)


def author_record(name: str, spellings: list[str], picks: list[Pick], url: str) -> Record:
    """An author's page: found by their name (its heading, which Pagefind weighs most) and every spelling, so a
    reader typing the name meets the page before the picks that merely list it."""
    count = f"{len(picks)} pick{'' if len(picks) == 1 else 's'}"
    content = "\n".join([f"Picks of papers by {name}", *spellings])  # not their picks' words: those find the picks
    return Record(url, name, content, {"papers": count, "authors": "; ".join([name, *spellings])})


def page_record(url: str, title: str, html: str) -> Record:
    """A page written by hand in ``docs/`` (About), found by its title and text."""
    return Record(url, title, "\n".join(text_blocks(html)), {})


class IndexRun:
    """Pagefind indexing in a thread and its own process, started once every page's text is known and finished
    after the build wrote its pages, so it runs beside MkDocs' page rendering rather than after it."""

    def __init__(self, records: list[Record], site_dir: Path, language: str) -> None:
        self.target = site_dir / FOLDER
        self._outcome: subprocess.CompletedProcess[str] | OSError | None = None
        self._thread = threading.Thread(target=self._run, args=(records, language), daemon=True)
        self._thread.start()

    def _run(self, records: list[Record], language: str) -> None:
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            with (
                tempfile.TemporaryDirectory(prefix="picks-search-") as pages,
                tempfile.TemporaryDirectory(prefix=".pagefind-", dir=self.target.parent) as made,
            ):
                output = Path(made).resolve()
                # One flat folder: the page's URL travels as meta, so no folder per page is made and removed.
                for number, record in enumerate(records):
                    Path(pages, f"{number}.html").write_text(_page(record, language), encoding="utf-8")
                command = [str(get_executable()), "--site", pages, "--output-path", str(output)]
                self._outcome = subprocess.run(
                    [*_LOW_PRIORITY, *command, "--force-language", language, "--silent"],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    encoding="utf-8",
                    check=False,
                )
                if not self._outcome.returncode:
                    for path in output.iterdir():
                        if path.name.startswith(UNUSED):
                            path.unlink()
                    _swap(output, self.target)
        except OSError as error:
            self._outcome = error

    def finish(self) -> None:
        """Wait for the index; raise SearchIndexError with the reason if it failed."""
        self._thread.join()
        if isinstance(self._outcome, OSError):
            raise SearchIndexError(f"pagefind could not run: {self._outcome}")
        if self._outcome is None:  # the thread stopped on an error of another kind, which Python printed above
            raise SearchIndexError("pagefind indexing stopped before pagefind ran (see the error above)")
        if self._outcome.returncode:
            said = self._outcome.stdout.strip()
            raise SearchIndexError(f"pagefind failed (exit status {self._outcome.returncode}) {said}".strip())


def _swap(new: Path, target: Path) -> None:
    """Put the new index in place with two renames: under ``mkdocs serve``, a search while the fast path reindexes
    reads the old index or the new one, never a half-written or missing one."""
    old = new.with_name(new.name + "-old")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _page(record: Record, language: str) -> str:
    """A record as the small HTML page Pagefind indexes: the title as the heading it weighs most, meta fields as
    elements of their own (an attribute value would split at commas)."""
    fields = {"url": record.url, **record.meta}
    meta = "".join(f'<p data-pagefind-meta="{key}">{escape(value)}</p>' for key, value in fields.items())
    text = "".join(f"<p>{escape(line)}</p>" for line in record.content.splitlines())
    return (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8"></head><body>'
        f"<div data-pagefind-ignore>{meta}</div><main data-pagefind-body><h1>{escape(record.title)}</h1>"
        f"{text}</main></body></html>"
    )
