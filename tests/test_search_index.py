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
