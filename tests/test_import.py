"""``picks import`` end to end: each source's real export layout (tests/fixtures/archives) or a stand-in service on
127.0.0.1, into a project that ``picks check`` and ``mkdocs build --strict`` then read."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import generator.sources.metadata as metadata
from conftest import mkdocs_build, pick_text, write_project
from generator.cli import main

ARCHIVES = Path(__file__).parent / "fixtures" / "archives"
HEADER_TITLE = "Interpretability & Analysis of LMs"


@pytest.fixture
def project(tmp_path: Path, apis, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Europe/Rome site with one pick (IOI, 2211.00593) already, the paper APIs served, run from its folder."""
    monkeypatch.setattr(metadata, "ARXIV_SPACING", 0.0)  # the terms' three seconds between requests, not in tests
    write_project(
        tmp_path, {"2024/2024-03-01-ioi.md": pick_text("IOI", "2024-03-01", arxiv="2211.00593")}, timezone="Europe/Rome"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, ["import", *args])


def tree(root: Path) -> dict[str, str]:
    """Every file the curator owns (not the built site, the rendered-body cache, the sources read), by content."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not {"site", ".cache", "sources"} & set(p.relative_to(root).parts)
    }


def front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def imported(root: Path) -> dict[str, Path]:
    return {front(p)["title"]: p for p in (root / "picks").glob("*.md")}


def test_an_x_archive_becomes_picks_that_check_and_build(project: Path, apis) -> None:
    result = run("--verbose", str(ARCHIVES / "x"))
    assert result.exit_code == 0, result.output
    picks = imported(project)
    singh = picks[
        "What needs to go right for an induction head? A mechanistic study of in-context learning "
        "circuits and their formation"
    ]
    assert singh.name.startswith("2024-04-10-")  # 09:12 UTC is 11:12 in Rome
    meta = front(singh)
    assert meta["date"].isoformat() == "2024-04-10T11:12:00+02:00"
    assert meta["collection"] == "interpretability" and meta["tags"] == ["interpretability", "inductionheads"]
    assert meta["mentions"] == ["@aadityasingh", "@gatsbyunit"]
    assert meta["papers"][0]["arxiv"] == "2404.07129" and meta["papers"][0]["authors"][0] == "Aaditya K. Singh"
    body = singh.read_text(encoding="utf-8").split("---\n", 2)[2]
    # The thread's three posts in order: numbering, link lines and hashtags gone; the findings a list again.
    assert "1/3" not in body and "t.co" not in body and "#inductionheads" not in body
    assert "Notable findings:\n\n- The effects of induction heads are additive and redundant.\n- Competition" in body
    assert "- Three subcircuits for induction are identified & named\n- Previous token heads" in body
    # The x2 edition: both papers, from a huggingface.co/papers link and an arXiv pdf link, titled by both.
    x2 = next(p for t, p in picks.items() if t.startswith("Gödel"))
    assert [p.get("arxiv") for p in front(x2)["papers"]] == ["2401.00001", "hep-th/9711200v3"]
    # A mis-decoded header with no link: found by a title search checked against the author the post names.
    assert front(picks["A withdrawn result"])["papers"][0]["arxiv"] == "2402.00002"
    # A long post: its full text from note-tweet.js, its paper from the doi.org link there.
    rome = front(picks["Locating and Editing Factual Associations in GPT"])
    assert rome["papers"][0]["doi"] == "10.5555/3600270.3601532"
    assert len(picks) == 4
    out = result.output
    assert "2211.00593v2 is picked already, by 2024-03-01-ioi" in out  # the paper of the site's own pick
    for post, why in [
        ("1780000000000000004", "repost"),
        ("1780000000000000005", "reply to another account"),
        ("1780000000000000011", "quote post"),
        ("1780000000000000006", "plain post"),
    ]:
        assert f"skipped: https://x.com/curator/status/{post}: {why}" in out
    assert "1780000000000000012: its header names the collection 'Vision Models'" in out
    assert out.strip().endswith("wrote 4 picks, 1 duplicates, 5 posts skipped, 0 papers left TODO")
    # One batched arXiv request for every linked id, one title search, one Crossref look-up.
    asked = [path for path, _ in apis.requests]
    assert sum("id_list=" in p for p in asked) == 1 and sum("search_query=" in p for p in asked) == 1
    assert '"Aaditya K. Singh": {x: "@aadityasingh"}' in (project / "people.yml").read_text(encoding="utf-8")
    checked = CliRunner().invoke(main, ["check"])
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output
    assert mkdocs_build(project / "mkdocs.yml").returncode == 0
    page = project / "site" / "picks" / singh.stem / "index.html"
    assert page.read_text(encoding="utf-8").count("<li>") >= 4


def test_a_second_import_of_the_same_or_a_larger_archive_changes_nothing(project: Path, tmp_path: Path) -> None:
    assert run(str(ARCHIVES / "x")).exit_code == 0
    before = tree(project)
    again = run(str(ARCHIVES / "x"))
    assert again.exit_code == 0 and tree(project) == before
    assert "wrote 0 picks, 5 duplicates" in again.output
    # A later export: the same posts and one more pick, zipped as X delivers it.
    larger = tmp_path / "sources" / "twitter-2024-05-01.zip"
    larger.parent.mkdir()
    records = json.loads((ARCHIVES / "x/data/tweets.js").read_text(encoding="utf-8").split("= ", 1)[1])
    new = json.loads(json.dumps(records[0]))
    new["tweet"] |= {
        "id_str": "1790000000000000001",
        "id": "1790000000000000001",
        "created_at": "Wed May 01 09:00:00 +0000 2024",
        "full_text": f"🔍 Today's pick in {HEADER_TITLE}: A withdrawn result by A. Lovelace\nhttps://t.co/W",
        "entities": {"urls": [{"url": "https://t.co/W", "expanded_url": "https://arxiv.org/abs/2402.00002"}]},
    }
    with zipfile.ZipFile(larger, "w") as archive:
        for path in (ARCHIVES / "x/data").iterdir():
            text = path.read_text(encoding="utf-8")
            if path.name == "tweets.js":
                text = "window.YTD.tweets.part0 = " + json.dumps([*records, new])
            archive.writestr(f"data/{path.name}", text)
    later = run(str(larger))
    assert later.exit_code == 0 and tree(project) == before, later.output  # the new post's paper: a duplicate
    assert "1790000000000000001: arxiv 2402.00002 is picked already" in later.output


def test_dry_run_prints_the_plan_and_writes_nothing(project: Path) -> None:
    before = tree(project)
    result = run("--dry-run", str(ARCHIVES / "x"))
    assert result.exit_code == 0 and tree(project) == before
    assert "would write picks/2024-04-10-what-needs-to-go-right" in result.output
    assert "arxiv 2404.07129 (from https://x.com/curator/status/1780000000000000001)" in result.output
    assert result.output.strip().endswith("would write 4 picks, 1 duplicates, 5 posts skipped, 0 papers left TODO")
    assert "skipped:" not in result.output  # counted, not listed, without --verbose
    assert "not imported: https://x.com/curator/status/1780000000000000012" in result.output  # listed always


def test_since_is_inclusive_in_the_sites_time_zone(project: Path) -> None:
    # The x2 post is at 07:30 UTC on 15 April, 09:30 in Rome: --since 2024-04-15 keeps it, the 10th goes.
    result = run("--dry-run", "--since", "2024-04-15", "-v", str(ARCHIVES / "x"))
    assert "2024-04-15-godel" in result.output and "2024-04-10-" not in result.output
    assert "1780000000000000001: before --since 2024-04-15" in result.output


def test_collection_is_the_fallback_for_an_undeclared_header_and_must_be_declared(project: Path) -> None:
    result = run("--collection", "interpretability", str(ARCHIVES / "x"))
    assert result.exit_code == 0
    vit = imported(project)["Some ViT paper"]
    assert front(vit)["papers"][0]["arxiv"] == "2501.00003"  # unknown to the API: its fields left TODO
    assert "1 papers left TODO" in result.output and "2501.00003 is unknown to the API" in result.output
    checked = CliRunner().invoke(main, ["check", str(vit)])
    assert checked.exit_code == 1 and "TODO" in checked.output  # check names what is left to write
    usage = run("--collection", "vision", str(ARCHIVES / "x"))
    assert usage.exit_code == 2 and "'vision' is not declared" in usage.output


def test_a_linkedin_export_mis_decoded_and_flattened(project: Path) -> None:
    (project / "picks" / "2024" / "2024-03-01-ioi.md").unlink()
    result = run("-v", str(ARCHIVES / "linkedin" / "Shares.csv"))
    assert result.exit_code == 0, result.output
    picks = imported(project)
    singh = picks["What needs to go right for an induction head?"]
    text = singh.read_text(encoding="utf-8")
    assert "Notable findings:\n\n- The effects of induction heads are additive.\n- Competition might" in text
    assert front(singh)["date"].isoformat() == "2024-04-10T11:15:02+02:00"
    assert front(picks["Locating and Editing Factual Associations in GPT"])["papers"][0]["doi"]
    assert "plain post (no pick header)" in result.output
    checked = CliRunner().invoke(main, ["check"])
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


def test_a_mastodon_archive_threads_mentions_and_never_a_private_post(project: Path) -> None:
    result = run("-v", str(ARCHIVES / "mastodon" / "outbox.json"))
    assert result.exit_code == 0, result.output
    [pick] = imported(project).values()
    meta = front(pick)
    assert meta["mentions"] == ["@aaditya@sigmoid.social"]  # the network's own resolution, not the shown @aaditya
    assert meta["tags"] == ["interpretability"]
    assert "Clamping ablates heads during training." in pick.read_text(encoding="utf-8")  # the reply, joined
    assert "112000000000000004: not public" in result.output and "followers-only" not in pick.read_text("utf-8")
    assert "activity: repost" in result.output
    checked = CliRunner().invoke(main, ["check"])
    assert checked.exit_code == 0 and "0 errors" in checked.output, checked.output


def test_zipped_exports_read_as_their_folders(project: Path, tmp_path: Path) -> None:
    for name, folder in (("linkedin.zip", "linkedin"), ("mastodon.zip", "mastodon")):
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            for path in (ARCHIVES / folder).iterdir():
                archive.write(path, path.name)
    result = run("--dry-run", str(tmp_path / "linkedin.zip"), str(tmp_path / "mastodon.zip"))
    assert result.exit_code == 0 and result.output.count("would write picks/") == 2, result.output


def _truncated_x(tmp_path: Path) -> Path:
    folder = tmp_path / "broken-x"
    shutil.copytree(ARCHIVES / "x", folder)
    part = folder / "data" / "tweets-part1.js"
    part.write_text(part.read_text(encoding="utf-8")[:1500], encoding="utf-8")
    return folder


def _broken_csv(tmp_path: Path) -> Path:
    path = tmp_path / "Shares.csv"
    path.write_text(
        'Date,ShareLink,ShareCommentary\n2024-04-10 09:00:00,https://l/1,"an open quote\n', encoding="utf-8"
    )
    return path


def _not_activitystreams(tmp_path: Path) -> Path:
    path = tmp_path / "outbox.json"
    path.write_text(json.dumps({"statuses": [{"id": 1}]}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(_truncated_x, "tweets-part1.js:", id="truncated-tweets-js"),
        pytest.param(_broken_csv, "Shares.csv:2: not a readable CSV", id="csv-broken-quote"),
        pytest.param(_not_activitystreams, "outbox.json: not an ActivityStreams outbox", id="not-activitystreams"),
    ],
)
def test_a_bad_source_is_one_line_and_nothing_is_written(project: Path, tmp_path: Path, source, message) -> None:
    before = tree(project)
    # A good source first: its picks are not written either.
    (tmp_path / "sources").mkdir()
    result = run(str(ARCHIVES / "mastodon"), str(source(tmp_path / "sources")))
    assert result.exit_code == 1 and tree(project) == before
    [line] = result.output.strip().split("\n")
    assert message in line and line.endswith("nothing written") and "Traceback" not in result.output


def test_an_unreachable_pds_and_an_unknown_source(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICKS_BLUESKY_PDS", "http://127.0.0.1:9")
    result = run("bluesky:picks.example.org")
    assert result.exit_code == 1 and "bluesky:picks.example.org: http://127.0.0.1:9 did not answer" in result.output
    missing = run("no-such-archive.zip")
    assert missing.exit_code == 2 and "no such file or folder" in missing.output


def _thread_record(text: str, when: str, **extra: object) -> dict:
    return {"$type": "app.bsky.feed.post", "text": text, "createdAt": when, "langs": ["en"], **extra}


def test_a_bluesky_account_read_from_its_pds_through_every_page(project: Path, monkeypatch) -> None:
    from fake_pds import FakePds, serve_pds

    pds = FakePds()
    link = "https://arxiv.org/abs/2404.07129"
    first = (
        f"🔍 Today's pick in {HEADER_TITLE}:\nWhat needs to go right for an induction head? by A. K. Singh\n📄 {link}"
    )
    start = first.encode().index(link.encode())
    pds.records["3kq2aaaaaaaa2"] = _thread_record(
        first,
        "2024-04-10T09:12:00.000Z",
        facets=[
            {
                "index": {"byteStart": start, "byteEnd": start + len(link)},
                "features": [{"$type": "app.bsky.richtext.facet#link", "uri": link}],
            }
        ],
    )
    root = {"uri": pds.uri("3kq2aaaaaaaa2"), "cid": pds.cid("3kq2aaaaaaaa2")}
    pds.records["3kq2aaaaaaab2"] = _thread_record(
        "Notable findings: - Heads are additive - Competition emerges",
        "2024-04-10T09:12:01.000Z",
        reply={"root": root, "parent": root},
    )
    for number in range(150):  # plain posts: two pages of listRecords before the thread
        pds.records[f"3kz{number:010d}"] = _thread_record(f"post {number}", "2024-05-01T00:00:00.000Z")
    pds.records["3kq2aaaaaaac2"] = _thread_record(
        "Look at this",
        "2024-04-11T00:00:00.000Z",
        embed={"$type": "app.bsky.embed.record", "record": root},
    )
    for served in serve_pds(pds):
        monkeypatch.setenv("PICKS_BLUESKY_PDS", served.url)
        result = run("-v", "bluesky:picks.example.org")
    assert result.exit_code == 0, result.output
    [pick] = imported(project).values()
    assert front(pick)["papers"][0]["arxiv"] == "2404.07129"
    assert "- Heads are additive\n- Competition emerges" in pick.read_text(encoding="utf-8")
    assert f"# source: {pds.uri('3kq2aaaaaaaa2')}" in pick.read_text(encoding="utf-8")
    assert "quote post" in result.output and result.output.count("plain post") == 150


def test_a_mastodon_account_read_without_a_token(project: Path, monkeypatch) -> None:
    from fake_mastodon import FakeMastodon, serve_mastodon

    server = FakeMastodon()
    for served in serve_mastodon(server):
        first = served.add(
            f"🔍 Today's pick in {HEADER_TITLE}: A withdrawn result by A. Lovelace\nhttps://arxiv.org/abs/2402.00002",
            visibility="public",
        )
        served.add("Notable findings:\n- It was withdrawn. - Lemma 2 was wrong", reply_to=first["id"])
        served.add(f"🔍 Today's pick in {HEADER_TITLE}: secret", visibility="private")
        for number in range(45):
            served.add(f"filler {number}", visibility="public")
        monkeypatch.setenv("PICKS_MASTODON_URL", served.url)
        result = run("-v", "mastodon:@picks@sigmoid.social")  # read on PICKS_MASTODON_URL
    assert result.exit_code == 0, result.output
    [pick] = imported(project).values()
    assert "- It was withdrawn.\n- Lemma 2 was wrong" in pick.read_text(encoding="utf-8")
    assert "secret" not in result.output  # a private status is never even listed: the server did not give it
    assert result.output.count("plain post") == 45  # the second page, through the Link header


def test_a_hub_collection_is_the_collection_it_is_synced_to(project: Path, monkeypatch, tmp_path: Path) -> None:
    from fake_hub import FakeHub, serve_hub

    hub = FakeHub()
    slug = "curator/picks-0123456789abcdef01234567"
    hub.add(slug, "2404.07129", note="Clamping ablates induction heads.", published="2024-04-10T00:00:00.000Z")
    hub.add(slug, "2211.00593", published="2024-03-01T00:00:00.000Z")  # the site's own pick: a duplicate
    hub.add(slug, "openai/gpt2", item_type="model")
    write_project(
        tmp_path,
        {"2024/2024-03-01-ioi.md": pick_text("IOI", "2024-03-01", arxiv="2211.00593")},
        timezone="Europe/Rome",
        default_collection="interpretability",
        collections={"interpretability": {"title": HEADER_TITLE, "hf_collection": slug}},
    )
    for served in serve_hub(hub):
        monkeypatch.setenv("HF_ENDPOINT", served.url)
        result = run(f"hf:{slug}")
    assert result.exit_code == 0, result.output
    [pick] = imported(project).values()
    assert front(pick)["collection"] == "interpretability" and pick.name.startswith("2024-04-10-")
    assert "Clamping ablates induction heads." in pick.read_text(encoding="utf-8")
    assert "2211.00593 is picked already" in result.output


def test_an_x2_post_with_one_paper_picked_already_becomes_a_pick_of_the_other(project: Path, tmp_path: Path) -> None:
    (project / "picks" / "2024" / "2024-01-05-godel.md").write_text(
        pick_text("Gödel heads", "2024-01-05", arxiv="2401.00001"), encoding="utf-8"
    )
    result = run(str(ARCHIVES / "x"))
    assert result.exit_code == 0, result.output
    assert "arxiv 2401.00001 is picked already, by 2024-01-05-godel (written with the other paper(s) only)" in (
        result.output
    )
    [x2] = [p for p in (project / "picks").glob("2024-04-15-*.md")]
    meta = front(x2)
    assert [p.get("arxiv") for p in meta["papers"]] == ["hep-th/9711200v3"]
    assert meta["title"] == "The Large N Limit of Superconformal Field Theories and Supergravity"


def test_a_file_name_another_pick_has_in_any_subfolder_is_not_reused(project: Path) -> None:
    # Same id, another paper, in a year folder: the import's pick gets -2, never a second pick of that id.
    taken = "2024-04-10-what-needs-to-go-right-for-an-induction-head-a-mechanistic"
    (project / "picks" / "2024" / f"{taken}.md").write_text(
        pick_text("Another pick", "2024-04-10", arxiv="2402.00002"), encoding="utf-8"
    )
    assert run(str(ARCHIVES / "x")).exit_code == 0
    assert (project / "picks" / f"{taken}-2.md").exists() and not (project / "picks" / f"{taken}.md").exists()
    checked = CliRunner().invoke(main, ["check"])
    assert "0 errors" in checked.output, checked.output
