"""The search index in-process: what a pick's record holds, and Pagefind's index written and swapped in whole."""

from __future__ import annotations

from pathlib import Path

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
    import pytest

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
