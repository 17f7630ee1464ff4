"""BibTeX export: round trip through bibtexparser, escaping, stable keys, and real bibtex + LaTeX."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest

from conftest import ROOT, mkdocs_build, pick_text, write_picks, write_project
from generator.core.loader import LoadSettings, load_picks
from generator.core.model import Paper
from generator.outputs.bibtex import Citation, Citations, auto_key, render
from generator.outputs.latex import encode, encode_title

ESCAPES = [
    pytest.param("Cats & Dogs", r"Cats {\&} Dogs", id="ampersand"),
    pytest.param("100% accurate", r"100{\%} accurate", id="percent"),
    pytest.param("$5 and $10", r"{\$}5 and {\$}10", id="dollars-not-math"),
    pytest.param("Attention is $O(n^2)$", r"Attention is $O(n^2)$", id="math-kept"),
    pytest.param("Issue #1", r"Issue {\#}1", id="hash"),
    pytest.param("snake_case", r"snake{\_}case", id="underscore"),
    pytest.param("{braces}", r"{\textbraceleft}braces{\textbraceright}", id="braces"),
    pytest.param("a~b", r"a{\textasciitilde}b", id="tilde"),
    pytest.param("x^y", r"x{\textasciicircum}y", id="caret"),
    pytest.param("back\\slash", r"back{\textbackslash}slash", id="backslash"),
    pytest.param("GPT-2 and LMs", "{GPT}-2 and {LM}s", id="acronyms"),
    pytest.param("RoBERTa in RNNs", "{RoBERTa} in {RNN}s", id="inner-capitals"),
    pytest.param("Café naïve", r"Caf{\'e} na{\"\i}ve", id="accents"),
]


@pytest.mark.parametrize(("title", "expected"), ESCAPES)
def test_title_escaping(title: str, expected: str) -> None:
    assert encode_title(title) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Łukasz Kaiser", r"{\L}ukasz Kaiser", id="l-stroke"),
        pytest.param("Gonçalo Paulo", r"Gon{\c{c}}alo Paulo", id="cedilla"),
        pytest.param("Jörg Müller", r"J{\"o}rg M{\"u}ller", id="umlaut"),
        pytest.param("李华", "Li Hua", id="cjk-romanised"),
    ],
)
def test_name_escaping(name: str, expected: str) -> None:
    assert encode(name).strip() == expected


@pytest.mark.parametrize(
    ("authors", "title", "key"),
    [
        pytest.param(("Javier Ferrando",), "A Primer on the Inner Workings", "ferrando2024primer", id="plain"),
        pytest.param(("Jörg Müller",), "Über alles", "muller2024uber", id="umlaut"),
        pytest.param(("Łukasz Kaiser",), "One Model", "kaiser2024one", id="l-stroke-family-given"),
        pytest.param(("Kaiser, Łukasz",), "One Model", "kaiser2024one", id="family-comma-given"),
        pytest.param(("Vincent van Gogh",), "Sunflowers", "vangogh2024sunflowers", id="particle"),
        pytest.param(("李华",), "模型", "lihua2024mo", id="cjk"),
        pytest.param(("🙂",), "Smiles", "arxiv2404.00001", id="no-ascii-form"),
    ],
)
def test_auto_keys_are_readable_ascii(authors: tuple[str, ...], title: str, key: str) -> None:
    assert auto_key(Paper(title, authors, 2024, arxiv="2404.00001")) == key


def _load(folder: Path):
    return load_picks(folder, LoadSettings("UTC", "interpretability", None)).picks


def test_round_trip_of_sample_picks() -> None:
    picks = _load(ROOT / "picks")
    citations = Citations(picks)
    library = bibtexparser.parse_string(citations.for_picks(picks))
    assert library.failed_blocks == []
    keys = [e.key for e in library.entries]
    assert keys == [c.key for c in reversed(citations.entries)]  # newest pick first
    assert len(keys) == len({k.lower() for k in keys}) == len({p.arxiv for pick in picks for p in pick.papers})
    entry = library.entries_dict["ferrando2024primer"]
    assert entry.entry_type == "misc"
    assert entry["author"] == r"Ferrando, Javier and Sarti, Gabriele and Bisazza, Arianna and Costa-juss{\`a}, Marta R."
    assert (entry["eprint"], entry["archivePrefix"]) == ("2405.00208", "arXiv")
    assert entry["url"] == "https://arxiv.org/abs/2405.00208"
    icml = library.entries_dict["singh2024needs"]
    assert icml.entry_type == "inproceedings" and icml["booktitle"] == "ICML"  # its year is the year field


def test_same_paper_twice_is_one_entry_and_pinned_keys(tmp_path: Path) -> None:
    write_picks(
        tmp_path,
        {
            "2024-01-01-a.md": pick_text("A", "2024-01-01", arxiv="2401.00001"),
            "2024-02-01-b.md": pick_text("B", "2024-02-01", arxiv="2401.00001v2"),
            "2024-03-01-c.md": pick_text("C", "2024-03-01", arxiv="2403.00001", extra="", paper_title="A").replace(
                '    arxiv: "2403.00001"', '    arxiv: "2403.00001"\n    key: Person2024Pinned'
            ),
            "2024-03-02-d.md": pick_text("D", "2024-03-02", arxiv="2403.00002", paper_title="Pinned").replace(
                "authors: [Ada Lovelace, Alan Turing]", "authors: [Pinned Person]"
            ),
        },
    )
    citations = Citations(_load(tmp_path))
    assert [c.key for c in citations.entries] == ["lovelace2024", "Person2024Pinned", "person2024pinneda"]
    parsed = bibtexparser.parse_string(citations.for_picks(_load(tmp_path)))
    assert parsed.failed_blocks == [] and len(parsed.entries) == 3


def test_keys_never_change_when_a_newer_colliding_pick_arrives(tmp_path: Path) -> None:
    first = {"2024-01-01-a.md": pick_text("Attention heads", "2024-01-01", arxiv="2401.00001")}
    write_picks(tmp_path, first)
    before = {c.paper.arxiv: c.key for c in Citations(_load(tmp_path)).entries}
    write_picks(tmp_path, {"2024-02-01-b.md": pick_text("Attention sinks", "2024-02-01", arxiv="2402.00001")})
    after = {c.paper.arxiv: c.key for c in Citations(_load(tmp_path)).entries}
    assert before == {"2401.00001": "lovelace2024attention"}
    assert after == {"2401.00001": "lovelace2024attention", "2402.00001": "lovelace2024attentiona"}


def test_url_doi_eprint_verbatim(tmp_path: Path) -> None:
    write_picks(
        tmp_path,
        {
            "2024-01-01-a.md": pick_text("A", "2024-01-01").replace(
                '    arxiv: "2404.07129"', '    doi: "10.1000/a_b%c"\n    url: "https://x.org/a_b%20c?d=1&e=2#f"'
            ),
        },
    )
    [entry] = bibtexparser.parse_string(Citations(_load(tmp_path)).for_picks(_load(tmp_path))).entries
    assert entry["doi"] == "10.1000/a_b%c"
    assert entry["url"] == "https://x.org/a_b%20c?d=1&e=2#f"


ESCAPE_PICKS = {
    f"2024-06-{i + 1:02d}-escape-{i}.md": pick_text(
        f"Escape {i}",
        f"2024-06-{i + 1:02d}",
        arxiv=f"2406.{i + 1:05d}",
        paper_title=param.values[0],
        authors="[Łukasz Kaiser, Gonçalo Paulo, 李华, Jörg Müller]",
    )
    for i, param in enumerate(ESCAPES)
}


def test_bib_files_of_a_build(tmp_path: Path) -> None:
    config = write_project(tmp_path, ESCAPE_PICKS)
    assert mkdocs_build(config).returncode == 0
    site = tmp_path / "site"
    library = bibtexparser.parse_string((site / "picks.bib").read_text("utf-8"))
    assert library.failed_blocks == [] and len(library.entries) == len(ESCAPES)
    assert (site / "collections" / "interpretability" / "picks.bib").read_bytes() == (site / "picks.bib").read_bytes()
    assert (site / "picks.bib").read_text("utf-8").isascii()


def _have_tex() -> bool:
    return bool(shutil.which("latex") and shutil.which("bibtex"))


@pytest.mark.skipif(not _have_tex() and not os.environ.get("DAILY_PICKS_CI"), reason="TeX is not installed here")
def test_real_bibtex_and_latex(tmp_path: Path) -> None:
    """latex → bibtex → latex over the sample picks and the escaping table: no bibtex error, latex finishes."""
    picks = {**ESCAPE_PICKS, **{p.name: p.read_text("utf-8") for p in (ROOT / "picks").rglob("*.md")}}
    config = write_project(tmp_path, picks, collections={"interpretability": {}, "classics": {}})
    assert mkdocs_build(config).returncode == 0
    work = tmp_path / "tex"
    work.mkdir()
    shutil.copyfile(tmp_path / "site" / "picks.bib", work / "picks.bib")
    (work / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\begin{document}\nPicks.\n"
        "\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{picks}\n\\end{document}\n",
        encoding="ascii",
    )
    latex = ["latex", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    for command in (latex, ["bibtex", "doc"], latex, latex):
        run = subprocess.run(command, cwd=work, capture_output=True, encoding="utf-8", errors="replace", check=False)
        assert run.returncode == 0, (command, run.stdout[-3000:])
    blg = (work / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert "error message" not in blg and "Warning--" not in blg, blg
    bbl = (work / "doc.bbl").read_text(encoding="utf-8", errors="replace")
    papers = {paper.arxiv for pick in _load(ROOT / "picks") for paper in pick.papers}
    assert bbl.count("\\bibitem") == len(ESCAPES) + len(papers)


def test_ascii_fast_path_matches_the_encoder() -> None:
    import string

    from generator.outputs.latex import _ASCII_SPECIAL, _ENCODER

    rewritten = {c for c in string.printable if _ENCODER.unicode_to_latex(c) != c}
    assert rewritten == {c for c in string.printable if _ASCII_SPECIAL.search(c)}


@pytest.mark.parametrize(
    ("venue", "entry_type", "field"),
    [
        pytest.param(None, "misc", None, id="preprint"),
        pytest.param("ICML 2024", "inproceedings", "booktitle", id="conference"),
        pytest.param("Transactions on Machine Learning Research", "article", "journal", id="journal"),
    ],
)
def test_entry_type_follows_the_venue(venue: str | None, entry_type: str, field: str | None) -> None:
    paper = Paper("A & B", ("Ada Lovelace",), 2024, arxiv="2404.00001", venue=venue)
    [entry] = bibtexparser.parse_string(render([Citation(paper, "k")])).entries
    assert entry.entry_type == entry_type
    if field:
        assert entry[field] == venue.removesuffix(" 2024")  # the year only in the year field
    assert entry["title"] == r"A {\&} B"


def _doi_or_url_pick(name: str, day: str, handle: str, title: str = "Only a DOI") -> tuple[str, str]:
    return f"{day}-{name}.md", pick_text(title, day, paper_title=title).replace('    arxiv: "2404.07129"', handle)


def test_papers_identified_by_doi_or_url_alone(tmp_path: Path) -> None:
    """A DOI in any case is one paper; a URL is its own identity; keys come from the paper, never from a position."""
    write_picks(
        tmp_path,
        dict(
            [
                _doi_or_url_pick("doi", "2024-01-01", '    doi: "10.1234/ABC.def"'),
                _doi_or_url_pick("doi-again", "2024-02-01", '    doi: "10.1234/abc.DEF"'),
                _doi_or_url_pick("url", "2024-03-01", '    url: "https://example.org/paper"', "Only a URL"),
            ]
        ),
    )
    citations = Citations(_load(tmp_path))
    assert [(c.key, c.paper.identities) for c in citations.entries] == [
        ("lovelace2024only", ("doi:10.1234/abc.def",)),
        ("lovelace2024onlya", ("url:https://example.org/paper",)),
    ]
    library = bibtexparser.parse_string(citations.for_picks(_load(tmp_path)))
    assert [e["url"] for e in library.entries] == ["https://example.org/paper", "https://doi.org/10.1234/ABC.def"]


def test_golden_build_bib_parses_back() -> None:
    library = bibtexparser.parse_string((Path(__file__).parent / "golden" / "build-picks.bib").read_text("utf-8"))
    keys = [entry.key for entry in library.entries]
    assert library.failed_blocks == [] and len(keys) == 4 and len(set(keys)) == 4
    assert all(entry["eprint"] and entry["archivePrefix"] == "arXiv" for entry in library.entries)


def test_characters_latex_cannot_name_are_romanised_without_punctuation() -> None:
    """CJK punctuation romanises to ASCII punctuation (、 → ","), which would change a BibTeX field's meaning."""
    assert encode("李华、王「引用」") == "Li Hua  Wang Yin Yong  "


@pytest.mark.parametrize(
    ("ids", "key"),
    [
        ({"arxiv": "2404.00001v2", "doi": "10.1234/x"}, "arxiv2404.00001"),
        ({"doi": "10.1234/AB_c", "url": "https://x.org/y"}, "paper10.1234-ab-c"),
        ({"url": "https://x.org/A_B"}, "paperhttps-x.org-a-b"),
        ({}, "paperthe-title-x"),
    ],
)
def test_an_author_with_no_ascii_form_keys_the_paper_by_its_id(ids: dict, key: str) -> None:
    assert auto_key(Paper("The Title: X", ("★",), 2024, **ids)) == key


def test_each_listing_gets_its_bib_json_and_ris_of_published_picks(tmp_path: Path) -> None:
    """In-process: the home and every collection, in nested folders made as needed; drafts left out."""
    from dataclasses import replace

    import rispy

    from conftest import load_one_pick
    from generator.core.listings import build_site
    from generator.outputs.bibtex import write_bibtex

    first = load_one_pick(pick_text("First", "2024-04-10", arxiv="2404.00001"), "2024-04-10-first.md")
    second = load_one_pick(pick_text("Second", "2024-04-11", arxiv="2404.00002"), "2024-04-11-second.md")
    draft = replace(load_one_pick(pick_text("Draft", "2024-04-12", arxiv="2404.00003"), "2024-04-12-d.md"), draft=True)
    picks = [first, second, draft]
    site = build_site(
        picks, order="newest-first", collections={"picks": ("", "", None)}, rss="feed.xml", bib="picks.bib"
    )
    write_bibtex(Citations(picks), site, tmp_path / "site")
    for folder in (tmp_path / "site", tmp_path / "site" / "collections" / "picks"):
        entries = bibtexparser.parse_string((folder / "picks.bib").read_text("utf-8")).entries
        assert [e["eprint"] for e in entries] == ["2404.00002", "2404.00001"]  # newest first, no draft
        assert [i["id"] for i in json.loads((folder / "picks.json").read_text("utf-8"))] == [e.key for e in entries]
        assert [r["id"] for r in rispy.loads((folder / "picks.ris").read_text("utf-8"))] == [e.key for e in entries]


def test_suffixes_telling_colliding_keys_apart() -> None:
    from generator.outputs.bibtex import _letters

    assert [_letters(n) for n in (1, 2, 26, 27, 52, 53, 702, 703)] == ["a", "b", "z", "aa", "az", "ba", "zz", "aaa"]


def test_name_parts_and_verbatim_values_as_written_to_the_file() -> None:
    from generator.outputs.bibtex import _name_part, verbatim

    assert (_name_part("Smith, Jr"), _name_part("Rock and Roll"), _name_part("Smith")) == (
        "{Smith, Jr}",
        "{Rock and Roll}",
        "Smith",
    )
    assert verbatim("10.1234/a{b}\\c d") == "10.1234/a%7Bb%7D%5Cc%20d"
    assert verbatim("a\u00a0b\u2003c") == "a%C2%A0b%E2%80%83c"  # Unicode spaces: every UTF-8 byte of them


def test_colliding_keys_take_the_next_free_letter_and_a_cited_paper_skips_only_itself(tmp_path: Path) -> None:
    picks = {
        f"2024-01-0{day}-{name}.md": pick_text("Attention heads", f"2024-01-0{day}", arxiv=f"2401.0000{day}")
        for day, name in ((1, "a"), (2, "b"), (3, "c"))
    }
    again = pick_text("Again", "2024-01-04", arxiv="2401.00001").replace(
        "---\n\n",
        '  - title: New one\n    authors: [Grace Hopper]\n    year: 2024\n    arxiv: "2401.00009"\n---\n\n',
        1,
    )
    write_picks(tmp_path, {**picks, "2024-01-04-again.md": again})
    citations = Citations(_load(tmp_path))
    assert [c.key for c in citations.entries] == [
        "lovelace2024attention",
        "lovelace2024attentiona",
        "lovelace2024attentionb",
        "hopper2024new",  # the x2 pick's first paper was cited already; its second still is
    ]
    assert render(citations.entries[:2]) == "".join(f"{c.text}\n\n" for c in citations.entries[:2])
    assert render(citations.entries[:2]).count("\n\n@") == 1


@pytest.mark.parametrize(
    ("ids", "kind"),
    [
        ({"arxiv": "2404.07129"}, "misc"),
        ({"doi": "10.1234/x", "venue": "TACL"}, "article"),
        ({"arxiv": "2404.07129", "venue": "ICML 2024"}, "inproceedings"),
    ],
)
def test_each_kind_of_paper_is_its_entry_type_with_its_year(ids: dict, kind: str) -> None:
    text = render([Citation(Paper("A title", ("Ada Lovelace",), 2023, **ids), "key2023")])
    assert text.startswith(f"@{kind}{{key2023,") and "year = {2023}" in text


@pytest.mark.parametrize("style", ["plain", "plainnat"])
def test_no_style_prints_the_year_twice(tmp_path: Path, style: str) -> None:
    """README tells authors to write `venue: ICML 2024`; the entry keeps the year in its year field only."""
    import shutil
    import subprocess

    from generator.outputs.bibtex import Citation, render

    if not shutil.which("bibtex"):
        pytest.fail("bibtex is missing (.ci/run installs it)") if os.environ.get("DAILY_PICKS_CI") else pytest.skip()
    venues = ["NeurIPS 2024", "ICML 2024", "Proceedings of ACL 2024 (Volume 1)", "ICLR, 2024", "2024", "TMLR"]
    papers = [
        Paper(f"Paper {n}", ("Ada Lovelace",), 2024, arxiv=f"2404.{n:05d}", venue=venue)
        for n, venue in enumerate(venues, start=1)
    ]
    (tmp_path / "picks.bib").write_text(render([Citation(p, f"key{n}") for n, p in enumerate(papers)]), "utf-8")
    (tmp_path / "doc.aux").write_text(f"\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{picks}}\n", "ascii")
    run = subprocess.run(["bibtex", "doc"], cwd=tmp_path, capture_output=True, encoding="utf-8", check=False)
    assert run.returncode == 0, run.stdout
    printed = " ".join((tmp_path / "doc.bbl").read_text("utf-8").split())
    assert "NeurIPS" in printed and "Proceedings of ACL (Volume 1)" in printed
    for twice in ("2024, 2024", "2024 2024", "2024}, 2024"):
        assert twice not in printed, (twice, printed)
