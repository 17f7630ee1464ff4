"""The search index in-process: what a pick's record holds, and Pagefind's index written and swapped in whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_one_pick, pagefind_records, pick_text
from generator.outputs.search import FOLDER, UNUSED, IndexRun, Record, page_record, pick_record

X2 = (
    pick_text("Two heads", "2024-04-11", arxiv="2404.07129", tags=["circuits", "SAEs"])
    .replace("    venue: ICML 2024\n", "")
    .replace(
        "---\n\n",
        '  - title: Second paper\n    authors: [Grace Hopper]\n    year: 2023\n    doi: "10.1234/x"\n'
        "    venue: TACL\n---\n\n",
        1,
    )
)


def test_a_pick_is_found_by_every_part_of_it() -> None:
    pick = load_one_pick(X2)
    record = pick_record(pick, "picks/2024-04-11-x/")
    assert (record.url, record.title) == ("picks/2024-04-11-x/", "Two heads")
    assert record.meta == {
        "date": "11 April 2024",
        "papers": "Two heads · Second paper",
        "authors": "Ada Lovelace, Alan Turing; Grace Hopper",
    }
    lines = record.content.splitlines()
    assert lines[0] == "A summary paragraph."  # the body first: snippets read best from it
    assert lines[1:] == [
        "Two heads · Second paper",
        "Ada Lovelace, Alan Turing; Grace Hopper",
        "2404.07129",
        "10.1234/x",
        "TACL",  # the first paper has no venue: no empty line for it
        "circuits",
        "SAEs",
    ]


def test_the_index_is_written_then_swapped_in_whole(tmp_path: Path) -> None:
    records = [
        Record("picks/a/", "Induction & heads", "First line\nSecond <line>", {"date": "1 April 2024"}),
        page_record("about/", "About", "<p>Who we are</p>"),
    ]
    site = tmp_path / "site"
    IndexRun(records, site, "en").finish()
    found = pagefind_records(site)
    assert sorted(found) == ["about/", "picks/a/"]
    assert found["picks/a/"]["meta"]["title"] == "Induction & heads"
    assert found["picks/a/"]["meta"]["date"] == "1 April 2024"
    assert "Second <line>" in found["picks/a/"]["content"] and "First line" in found["picks/a/"]["content"]
    IndexRun(records[:1], site, "en").finish()  # a second run replaces the index, leaving nothing beside it
    assert sorted(pagefind_records(site)) == ["picks/a/"]
    assert sorted(p.name for p in site.iterdir()) == [FOLDER]
    shipped = {p.name for p in (site / FOLDER).iterdir()}
    assert "pagefind.js" in shipped and not [name for name in shipped if name.startswith(UNUSED)]  # no UI kits


def test_a_failing_pagefind_is_one_clear_error_and_the_old_index_stays(tmp_path: Path, monkeypatch) -> None:
    from generator.outputs.search import SearchIndexError

    site = tmp_path / "site"
    IndexRun([Record("picks/a/", "A", "text", {})], site, "en").finish()
    before = sorted(p.name for p in (site / FOLDER).rglob("*"))
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Error: boom' >&2\nexit 3\n", "utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr("generator.outputs.search.get_executable", lambda: failing)
    with pytest.raises(SearchIndexError, match=r"^pagefind failed \(exit status 3\) Error: boom$"):
        IndexRun([Record("picks/b/", "B", "text", {})], site, "en").finish()
    assert sorted(p.name for p in (site / FOLDER).rglob("*")) == before
    assert sorted(p.name for p in site.iterdir()) == [FOLDER]  # no half-made index beside it
    monkeypatch.setattr("generator.outputs.search.get_executable", lambda: tmp_path / "missing")
    # Started through nice (exit status 127 and its message) where nice exists, else directly (the OSError).
    missing = r"^pagefind (failed \(exit status 127\)|could not run: \[Errno 2\]).*No such file or directory"
    with pytest.raises(SearchIndexError, match=missing):
        IndexRun([], site, "en").finish()


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the bug below, on purpose
def test_the_index_is_made_beside_the_site_and_every_way_of_failing_is_named(tmp_path: Path, monkeypatch) -> None:
    import subprocess

    from generator.outputs import search
    from generator.outputs.search import SearchIndexError

    seen: list[list[str]] = []
    real_run = subprocess.run

    def run(command: list[str], **options):
        seen.append(command)
        return real_run(command, **options)

    monkeypatch.setattr(search.subprocess, "run", run)
    site = tmp_path / "deep" / "er" / "site"  # folders made as needed
    IndexRun([Record("picks/a/", "A", "text", {})], site, "en").finish()
    made = Path(seen[0][seen[0].index("--output-path") + 1])
    assert made.parent == site.resolve()  # made inside the site: the swap is a rename on one file system
    assert sorted(p.name for p in site.iterdir()) == [FOLDER]
    (tmp_path / "file").write_text("not a folder", "utf-8")
    with pytest.raises(SearchIndexError, match=r"^pagefind could not run: \[Errno 20\] Not a directory"):
        IndexRun([], tmp_path / "file" / "site", "en").finish()

    def broken() -> Path:
        raise RuntimeError("a bug")

    monkeypatch.setattr(search, "get_executable", broken)
    with pytest.raises(SearchIndexError, match=r"^pagefind indexing stopped before pagefind ran"):
        IndexRun([], site, "en").finish()


def test_a_page_for_pagefind_holds_exactly_the_record() -> None:
    import lxml.html

    from generator.outputs.search import _page

    record = Record("picks/a/", "A & B", "First line\nSecond <line>", {"date": "1 April 2024", "papers": "P, Q"})
    page = lxml.html.fromstring(_page(record, "en"))
    assert [p.text_content() for p in page.xpath("//p[@data-pagefind-meta]")] == ["picks/a/", "1 April 2024", "P, Q"]
    assert [p.text_content() for p in page.xpath("//p[not(@data-pagefind-meta)]")] == ["First line", "Second <line>"]
    assert [p.get("data-pagefind-meta") for p in page.xpath("//p[@data-pagefind-meta]")] == ["url", "date", "papers"]
    assert page.xpath("//body//text()[not(parent::p or parent::h1)]") == []  # no text outside the record's
    assert page_record("about/", "About", "<p>One</p><p>Two</p>").content == "One\nTwo"


def test_a_paper_without_arxiv_or_doi_adds_no_id_line() -> None:
    pick = load_one_pick(pick_text("Web only").replace('    arxiv: "2404.07129"\n', '    url: "https://e.org/p"\n'))
    assert pick_record(pick, "picks/x/").content.splitlines() == [
        "A summary paragraph.",
        "Web only",
        "Ada Lovelace, Alan Turing",
    ]
