"""Search in Chromium: Material's search box answered from Pagefind's split index, fetched when a reader searches."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pagefind_bin import get_executable

from conftest import (
    mkdocs_build,
    pagefind_records,
    pick_text,
    serious_axe_violations,
    serve_folder,
    type_search,
    write_project,
)
from generator.outputs import search

TARGET = "2024-04-10-patchscopes"
OTHER = "2024-04-11-other"
FILLERS = 24  # more matches than the worker loads (20), so the cap is exercised
PICKS = {
    f"{TARGET}.md": pick_text(
        "Patchscopes",
        "2024-04-10",
        arxiv="2404.07129",
        tags=["logit lens"],
        authors="[Gonçalo Faria, 李华, Ada Lovelace]",
        paper_title="Patchscopes: inspecting hidden representations",
        body="A second forward pass reads what a hidden state encodes.\n",
    ).replace("    year: 2024\n", "    year: 2024\n    venue: ICLR 2025\n"),
    f"{OTHER}.md": pick_text("Other pick", "2024-04-11", arxiv="2404.09999", authors="[Alan Turing]"),
    "2024-04-13-confidence.md": pick_text(
        "Confidence regulation neurons",
        "2024-04-13",
        arxiv="2406.16254",
        extra='mentions: ["@wesg52"]\n',
        body="Thanks @wesg52 for the pointer, and to the reading group for a long discussion of it.\n\n"
        "Language models regulate the confidence of their predictions.\n\n"
        "The paper finds entropy neurons in the last layer, which write to a null space of the unembedding.\n",
    ),
    "2024-04-12-initials.md": pick_text(
        "Initials", "2024-04-12", arxiv="2404.09998", authors="[J. D. Doe]", body="Models d. and heads.\n"
    ),
    **{
        f"2024-03-{day:02d}-filler.md": pick_text(
            f"Filler {day}", f"2024-03-{day:02d}", arxiv=f"2403.{day:05d}", body="Sparse autoencoders find features.\n"
        )
        for day in range(1, FILLERS + 1)
    },
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = write_project(tmp_path_factory.mktemp("search"), PICKS)
    result = mkdocs_build(config)
    assert result.returncode == 0, result.stderr
    return config.parent / "site"


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    yield from serve_folder(site)


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def _search(page, base_url: str, query: str, *, key: str = "/") -> None:
    type_search(page, base_url, query, key=key)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)


def _first_result(page) -> str:
    return page.locator(".md-search-result__item a").first.get_attribute("href")


def test_record_holds_what_readers_search_by() -> None:
    from conftest import load_one_pick

    pick = load_one_pick(PICKS[f"{TARGET}.md"], f"{TARGET}.md")
    record = search.pick_record(pick, f"picks/{TARGET}/")
    assert record.title == "Patchscopes"
    for needle in (
        "Patchscopes: inspecting",
        "Gonçalo Faria",
        "李华",
        "2404.07129",
        "logit lens",
        "second forward",
        "ICLR",
    ):
        assert needle in record.content, needle
    assert record.meta == {
        "date": "10 April 2024",
        "papers": "Patchscopes: inspecting hidden representations",
        "authors": "Gonçalo Faria, 李华, Ada Lovelace",
    }


@pytest.mark.parametrize(
    ("program", "message"),
    [("/bin/false", "pagefind failed"), ("/nonexistent/pagefind", "/nonexistent/pagefind")],
    ids=["fails", "missing"],
)
def test_a_failed_index_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog, program, message):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    monkeypatch.setattr(search, "get_executable", lambda: Path(program))
    config = load_config(str(write_project(tmp_path, {f"{OTHER}.md": PICKS[f"{OTHER}.md"]})))
    with pytest.raises(Abort):
        build(config)
    assert message in caplog.text


def test_a_reindex_keeps_the_old_index_until_the_new_one_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pagefind, held until the test says go: meanwhile the site must still answer from its old index.
    started, go = tmp_path / "started", tmp_path / "go"
    held = tmp_path / "held-pagefind"
    held.write_text(
        f'#!/bin/sh\ntouch {started}\nwhile [ ! -e {go} ]; do sleep 0.01; done\nexec {get_executable()} "$@"\n',
        "utf-8",
    )
    held.chmod(0o755)
    monkeypatch.setattr(search, "get_executable", lambda: held)
    site_dir = tmp_path / "site"
    (site_dir / "pagefind").mkdir(parents=True)
    (site_dir / "pagefind" / "pagefind-entry.json").write_text("{}", "utf-8")
    run = search.IndexRun([search.page_record("about/", "About", "<p>Zanzibar</p>")], site_dir, "en")
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert started.exists()
    assert (site_dir / "pagefind" / "pagefind-entry.json").read_text("utf-8") == "{}"  # still whole while indexing
    go.touch()
    run.finish()
    assert (
        json.loads((site_dir / "pagefind" / "pagefind-entry.json").read_text("utf-8"))["languages"]["en"]["page_count"]
        == 1
    )
    assert [path.name for path in site_dir.iterdir()] == ["pagefind"]  # no half-made or old index left behind
    assert not list((site_dir / "pagefind").glob("pagefind-ui*"))


def test_the_index_is_split_and_holds_every_pick(site: Path) -> None:
    records = pagefind_records(site)
    authors = {url for url in records if url.startswith("authors/")}
    assert len(authors) == len(list((site / "authors").glob("*/feed.xml")))  # one record per author page
    assert len(records) == len(PICKS) + 1 + len(authors)  # and About
    assert "Gonçalo Faria" in records[f"picks/{TARGET}/"]["content"]
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert entry["languages"]["en"]["page_count"] == len(records)
    assert not list((site / "pagefind").glob("pagefind-ui*"))  # Material's box is the UI


def test_a_page_load_transfers_no_index(page, base_url: str) -> None:
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    local = [url.removeprefix(base_url) for url in fetched if url.startswith(base_url)]
    assert not [url for url in local if url.startswith("pagefind/")]
    # Material still asks for its index; it holds the search settings and no page.
    settings = page.evaluate("async () => (await fetch('search/search_index.json')).json()")
    assert settings["docs"] == []


@pytest.mark.parametrize(
    ("query", "pick", "author"),
    [
        pytest.param("2404.07129", TARGET, None, id="exact-arxiv-id"),
        pytest.param("Gonçalo", TARGET, "goncalo-faria", id="accented-name"),
        pytest.param("李华", TARGET, "li-hua", id="chinese-name"),
        pytest.param("logit lens", TARGET, None, id="tag"),
        pytest.param("hidden representations", TARGET, None, id="paper-title"),
        pytest.param("Turing", OTHER, "alan-turing", id="author"),
    ],
)
def test_search_finds_its_pick(page, base_url: str, query: str, pick: str, author: str | None) -> None:
    """A name finds the author's page first (issue 35), then the pick; anything else finds the pick first."""
    _search(page, base_url, query)
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]
    if author is not None:
        assert hrefs[0].endswith(f"authors/{author}/"), hrefs
        hrefs = hrefs[1:]
    assert hrefs[0].endswith(f"picks/{pick}/"), hrefs


def test_result_shows_title_date_papers_authors_and_a_marked_snippet(page, base_url: str) -> None:
    _search(page, base_url, "forward")
    result = page.locator(".md-search-result__item").first
    text = result.inner_text()
    for needle in ("Patchscopes", "10 April 2024", "inspecting hidden representations", "Gonçalo Faria, 李华"):
        assert needle in text, needle
    assert result.locator("mark").first.inner_text().lower() == "forward"


def test_the_snippet_is_the_passage_that_matches_with_the_words_marked(page, base_url: str) -> None:
    """Issue 32: the snippet for "entropy neurons" was the pick's first lines, cut at "Thanks @wesg52 for"."""
    _search(page, base_url, "entropy neurons")
    result = page.locator(".md-search-result__item").first
    assert result.locator("a").first.get_attribute("href").endswith("picks/2024-04-13-confidence/")
    snippet = result.locator("article > p").last
    assert "Thanks" not in snippet.inner_text() and "finds entropy neurons in the last layer" in snippet.inner_text()
    marked = [m.inner_text() for m in snippet.locator("mark").all()]
    assert marked[:2] == ["entropy", "neurons"] and set(marked) == {"entropy", "neurons"}


@pytest.mark.parametrize("key", ["/", "s"])
def test_keyboard_opens_search_and_walks_the_results(page, base_url: str, key: str) -> None:
    _search(page, base_url, "Turing", key=key)
    page.keyboard.press("ArrowDown")  # the author's page, then their picks
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("authors/alan-turing/")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith(f"picks/{OTHER}/")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/picks/{OTHER}/**")


def test_a_search_loads_only_the_results_it_shows(page, base_url: str) -> None:
    sizes: dict[str, int] = {}
    page.on("requestfinished", lambda request: sizes.setdefault(request.url, request.sizes()["responseBodySize"]))
    _search(page, base_url, "sparse")
    page.wait_for_load_state("networkidle")
    # Material shows the count and renders ten at once, the rest as the reader scrolls.
    # All 24 matches are counted; the 20 best are loaded and shown.
    assert page.locator(".md-search-result__meta").inner_text() == "24 matching documents, the 20 best shown"
    fragments = [url for url in sizes if "/pagefind/fragment/" in url]
    assert len(fragments) == 20
    assert sum(size for url, size in sizes.items() if "/pagefind/" in url) < 300_000


@pytest.mark.parametrize(("query", "count"), [("drafty", "No matching documents"), ("head", "1 matching document")])
def test_a_word_in_no_pick_matches_nothing(page, base_url: str, query: str, count: str) -> None:
    """Pagefind answers "drafty" with the initial "d." of an unrelated pick; a reader would call that no match.
    Its stemming stays: "head" finds "heads"."""
    type_search(page, base_url, query)
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text=count).wait_for(timeout=10_000)
    page.wait_for_timeout(500)  # no later answer changes it
    assert meta.inner_text() == count


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_results_pass_axe_in_both_palettes(chromium, base_url: str, scheme: str) -> None:
    context = chromium.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    _search(page, base_url, "forward")
    # Axe measures contrast as painted: let Material's fade-ins and transitions of the results finish first.
    page.evaluate("() => Promise.all(document.getAnimations().map(animation => animation.finished))")
    violations = serious_axe_violations(page)
    context.close()
    assert violations == []


# Records what Material's page and the search worker say to each other, in order (types: 2 QUERY, 3 RESULT).
WORKER_LOG = """
const Native = window.Worker
window.picksWorkerLog = []
window.Worker = class extends Native {
  constructor(...args) {
    super(...args)
    this.addEventListener("message", ({ data }) => window.picksWorkerLog.push(["answer", data.type, data.data]))
  }
  postMessage(message, ...rest) {
    window.picksWorkerLog.push(["asked", message.type, message.data])
    super.postMessage(message, ...rest)
  }
}
"""


def _worker_log(page) -> list[list]:
    return page.evaluate("window.picksWorkerLog")


def test_the_count_line_answers_the_typed_query_and_clears_with_the_box(chromium, base_url: str) -> None:
    context = chromium.new_context(bypass_csp=True)  # the log is read with script the site's policy refuses
    page = context.new_page()
    page.add_init_script(WORKER_LOG)
    page.goto(base_url)
    page.keyboard.press("/")
    # Material asks for "" once its worker is ready; answered after typing began, that answer read
    # "No matching documents" for a query with results.
    page.wait_for_function("window.picksWorkerLog.some(([who, type, data]) => who === 'asked' && type === 2)")
    page.keyboard.insert_text("Patchscopes")
    page.keyboard.press("End")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    answers = [data for who, kind, data in _worker_log(page) if who == "answer" and kind == 3]
    assert [len(answer["items"]) for answer in answers] == [1]  # the worker answers in order: none came first
    assert page.locator(".md-search-result__meta").inner_text() == "1 matching document"

    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")  # an emptied box clears the list and the count line
    page.wait_for_function("window.picksWorkerLog.filter(([who, type]) => who === 'answer' && type === 3).length == 2")
    assert page.locator(".md-search-result__item").count() == 0
    assert page.locator(".md-search-result__meta").inner_text() == "Type to start searching"
    context.close()


def test_an_authors_name_finds_their_page_first_then_their_picks(page, base_url: str) -> None:
    """Issue 35: a reader who types an author's name meets the author page, then the picks of their papers."""
    _search(page, base_url, "Gonçalo Faria")
    hrefs = [a.get_attribute("href") for a in page.locator(".md-search-result__item a").all()]
    assert hrefs[0].endswith("authors/goncalo-faria/"), hrefs
    assert any(href.endswith(f"picks/{TARGET}/") for href in hrefs[1:]), hrefs
