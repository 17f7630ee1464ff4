"""Published BibTeX keys cannot be taken (issue 33): the committed registry .picks/bibkeys.json, written by
`picks keys`, pins each published paper's key; no later pick, whatever its date or pin, changes an entry."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_one_pick, mkdocs_build, pick_text
from generator.cli import main
from generator.outputs.bibtex import Citations

PUBLISHED = pick_text(
    "Primer",
    "2024-04-11",
    arxiv="2405.00001",
    paper_title="A primer on heads",
    authors="[Javier Ferrando, Gabriele Sarti]",
)


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def site(make_project, monkeypatch: pytest.MonkeyPatch):
    def make(picks: dict[str, str]) -> Path:
        root = make_project(picks).parent
        monkeypatch.chdir(root)
        return root

    return make


def _keys(root: Path) -> dict[str, str]:
    assert mkdocs_build(root / "mkdocs.yml").returncode == 0
    library = bibtexparser.parse_string((root / "site" / "picks.bib").read_text("utf-8"))
    return {entry["eprint"]: entry.key for entry in library.entries}


def test_keys_records_once_and_a_second_run_changes_nothing(site) -> None:
    root = site({"2024-04-11-primer.md": PUBLISHED})
    first = run("keys")
    assert first.exit_code == 0 and "added: ferrando2024primer for arxiv:2405.00001 (2024-04-11-primer)" in first.output
    registry = (root / ".picks" / "bibkeys.json").read_bytes()
    assert json.loads(registry) == {"arxiv:2405.00001": {"key": "ferrando2024primer", "pick": "2024-04-11-primer"}}
    again = run("keys")
    assert again.exit_code == 0 and "0 added, 1 kept" in again.output
    assert (root / ".picks" / "bibkeys.json").read_bytes() == registry
    assert run("keys", "--check").exit_code == 0


def test_a_back_dated_pick_cannot_take_a_published_key(site) -> None:
    """The attack: a pick dated before the published one, of another paper with the same automatic key."""
    root = site({"2024-04-11-primer.md": PUBLISHED})
    assert run("keys").exit_code == 0
    thief = pick_text(
        "Thief", "2024-04-01", arxiv="2405.09999", paper_title="A primer on everything", authors="[Javier Ferrando]"
    )
    (root / "picks" / "2024-04-01-thief.md").write_text(thief, "utf-8")
    assert _keys(root) == {"2405.00001": "ferrando2024primer", "2405.09999": "ferrando2024primera"}
    assert run("keys", "--check").exit_code == 1  # the new paper awaits its entry
    assert run("keys").exit_code == 0 and run("keys", "--check").exit_code == 0


def test_a_pinned_key_that_would_rename_or_take_an_entry_is_an_error_naming_its_owner(site) -> None:
    root = site({"2024-04-11-primer.md": PUBLISHED})
    assert run("keys").exit_code == 0
    renamed = PUBLISHED.replace('    arxiv: "2405.00001"', '    arxiv: "2405.00001"\n    key: renamed2024')
    (root / "picks" / "2024-04-11-primer.md").write_text(renamed, "utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert (
        "picks/2024-04-11-primer.md:9: error: papers[0].key: key 'renamed2024' would rename arxiv:2405.00001, "
        "published as 'ferrando2024primer' by 2024-04-11-primer"
    ) in result.output
    (root / "picks" / "2024-04-11-primer.md").write_text(PUBLISHED, "utf-8")
    taker = pick_text("Taker", "2024-05-01", arxiv="2405.00002", extra="").replace(
        '    arxiv: "2405.00002"', '    arxiv: "2405.00002"\n    key: ferrando2024primer'
    )
    (root / "picks" / "2024-05-01-taker.md").write_text(taker, "utf-8")
    result = run("check")
    assert (
        result.exit_code == 1
        and (
            "papers[0].key: key 'ferrando2024primer' is published for arxiv:2405.00001 by 2024-04-11-primer"
            " (.picks/bibkeys.json): choose another\n"
        )
        in result.output
    )
    build = mkdocs_build(root / "mkdocs.yml")
    assert build.returncode != 0 and "is published for arxiv:2405.00001" in build.stderr
    assert run("keys").exit_code == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    later=st.lists(
        st.tuples(st.integers(1, 28), st.sampled_from(["primer", "primer on", "other"]), st.booleans()),
        max_size=6,
    )
)
def test_no_later_pick_changes_a_registered_key(later) -> None:
    """Picks added later, any date (earlier ones too), titles that collide, keys pinned to the published one."""
    published = load_one_pick(PUBLISHED, "2024-04-11-primer.md")
    registry = {"arxiv:2405.00001": "ferrando2024primer"}
    picks = [published]
    for number, (day, title, pin) in enumerate(later, start=2):
        extra = f"    key: ferrando2024primer{'x' * number}\n" if pin else ""
        text = pick_text(
            "P", f"2024-03-{day:02d}", arxiv=f"2405.{number:05d}", paper_title=f"A {title}", authors="[Javier Ferrando]"
        ).replace("---\n\n", extra + "---\n\n", 1)
        picks.append(load_one_pick(text, f"2024-03-{day:02d}-p{number}.md"))
    picks.sort(key=lambda p: p.sort_key)
    citations = Citations(picks, registry)
    assert citations.citation(published.papers[0]).key == "ferrando2024primer"
    assert len({c.key.lower() for c in citations.entries}) == len(citations.entries)


def _registry(root: Path, data: object) -> None:
    (root / ".picks").mkdir(exist_ok=True)
    (root / ".picks" / "bibkeys.json").write_text(json.dumps(data) if not isinstance(data, str) else data, "utf-8")


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (
            lambda r: r["arxiv:2405.00001"].update(key="mine2024"),
            "arxiv:2405.00001: published as 'ferrando2024primer' by 2024-04-11-primer, now 'mine2024' by"
            " 2024-04-11-primer: a published entry never changes: restore it",
        ),
        (
            lambda r: r.pop("arxiv:2405.00001"),
            "arxiv:2405.00001: the entry 'ferrando2024primer' (2024-04-11-primer) is gone: restore it",
        ),
        (
            lambda r: r["arxiv:2405.00001"].update(pick="2024-04-01-thief"),
            "arxiv:2405.00001: published as 'ferrando2024primer' by 2024-04-11-primer, now 'ferrando2024primer' by"
            " 2024-04-01-thief: a published entry never changes: restore it",
        ),
    ],
)
def test_a_pull_request_that_rewrites_or_removes_a_published_entry_fails_against_the_base(
    site, tmp_path: Path, edit, words: str
) -> None:
    root = site({"2024-04-11-primer.md": PUBLISHED})
    assert run("keys").exit_code == 0
    base = tmp_path / "base.json"
    base.write_bytes((root / ".picks" / "bibkeys.json").read_bytes())
    assert run("keys", "--check", "--base", str(base)).exit_code == 0  # unchanged
    assert run("keys", "--check", "--base", str(tmp_path / "absent.json")).exit_code == 0  # nothing published yet
    registry = json.loads(base.read_text("utf-8"))
    edit(registry)
    _registry(root, registry)
    result = run("keys", "--check", "--base", str(base))
    assert result.exit_code == 1 and f".picks/bibkeys.json: error: {words}" in result.output, result.output


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("{not json", 1, "not JSON (Expecting property name"),
        ('{\n "arxiv:1": {"key": "a", "pick": "p"},\n oops}', 3, "not JSON (Expecting property name"),
        ("[]", 1, "not an object of paper → {key, pick}: write it with `picks keys`"),
        ('{\n "arxiv:1": {"key": 7, "pick": "p"}}', 2, "arxiv:1: an entry holds a key and a pick, both strings"),
        (
            '{"arxiv:1": {"key": "a2024x", "pick": "p"},\n "arxiv:2": {"key": "A2024X", "pick": "q"}}',
            2,
            "arxiv:2: the key 'A2024X' is arxiv:1's: one key, one paper",
        ),
    ],
)
def test_a_registry_that_is_not_one_is_named_by_keys_check_and_the_build(site, text: str, line: int, words: str):
    root = site({"2024-04-11-primer.md": PUBLISHED})
    _registry(root, text)
    keys = run("keys")
    assert keys.exit_code == 1 and f".picks/bibkeys.json:{line}: error: {words}" in keys.output, keys.output
    check = run("check")
    assert check.exit_code == 1 and f".picks/bibkeys.json:{line}: error: registry: {words}" in check.output
    build = mkdocs_build(root / "mkdocs.yml")
    assert build.returncode == 1 and words in build.stderr and "Traceback" not in build.stderr


def test_the_registry_is_written_byte_for_byte_as_a_reviewer_reads_it(site) -> None:
    """Two-space JSON, entries sorted, the DOI's own letters (a diff shows `zürich`, not `z\\u00fcrich`)."""
    doi = pick_text("Zurich", "2024-04-12").replace('    arxiv: "2404.07129"', '    doi: "10.1234/zürich-1"')
    root = site({"2024-04-11-primer.md": PUBLISHED, "2024-04-12-zurich.md": doi})
    assert run("keys").exit_code == 0
    assert (root / ".picks" / "bibkeys.json").read_text("utf-8") == (
        "{\n"
        '  "arxiv:2405.00001": {\n'
        '    "key": "ferrando2024primer",\n'
        '    "pick": "2024-04-11-primer"\n'
        "  },\n"
        '  "doi:10.1234/zürich-1": {\n'
        '    "key": "lovelace2024zurich",\n'
        '    "pick": "2024-04-12-zurich"\n'
        "  }\n"
        "}\n"
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{\n "arxiv:1": {"key": "a", "pick": "p"},\n "doi:10.1/zürich": {"key": 1, "pick": "q"}}', 3),
        ('{\n "arxiv:1": {"key": "a", "pick": "p"},\n "doi:10.1/z\\u00fcrich": {"key": 1, "pick": "q"}}', 1),
    ],
)
def test_a_bad_entry_is_named_at_its_line_or_the_first(site, text: str, line: int) -> None:
    # Written with escapes, the entry's line cannot be found by its text: the file's first line is named.
    root = site({"2024-04-11-primer.md": PUBLISHED})
    _registry(root, text)
    result = run("keys")
    assert f".picks/bibkeys.json:{line}: error: doi:10.1/zürich: an entry holds a key and a pick" in result.output
