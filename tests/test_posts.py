"""Social posts in the curator's format: golden threads, every network's own count, nothing lost or split."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXTENSIONS, SAMPLE_PICKS, VALID_PICK, assert_matches_golden, load_one_pick, pick_text
from generator.cli import main
from generator.core.body import BodyRenderer
from generator.core.loader import LoadSettings, load_picks
from generator.core.people import load_people
from generator.outputs.posts import NETWORKS, abbreviated, posts, thread

GOLDEN = Path(__file__).parent / "golden"
PEOPLE, _ = load_people(Path(__file__).parent / "fixtures" / "people.yml")
SITE = "https://example.org/picks/"
SAMPLE = load_picks(SAMPLE_PICKS, LoadSettings("UTC", "interpretability", renderer=BodyRenderer(EXTENSIONS))).picks
_NUMBER = re.compile(r"\n\d+/\d+$")


def _posts(pick, network: str) -> list[str]:
    return posts(
        pick, network, collection="Interpretability & Analysis of LMs", url=f"{SITE}picks/{pick.id}/", people=PEOPLE
    )


@pytest.mark.parametrize("network", list(NETWORKS))
def test_golden_posts_for_the_sample_picks(network: str) -> None:
    threads = {pick.id: _posts(pick, network) for pick in SAMPLE}
    text = json.dumps(threads, ensure_ascii=False, indent=2) + "\n"
    assert_matches_golden(GOLDEN / f"posts-{network}.json", text.encode("utf-8"))


@pytest.mark.parametrize("network", list(NETWORKS))
def test_every_sample_post_fits_as_the_network_counts(network: str) -> None:
    counted = NETWORKS[network]
    assert len(SAMPLE) >= 10  # the sample picks were found
    for pick in SAMPLE:
        thread_ = _posts(pick, network)
        assert thread_, pick.id
        assert all(counted.length(post) <= counted.limit for post in thread_), pick.id
        assert thread_[0].startswith("🔍 Today's pick in Interpretability & Analysis of LMs:")
        assert any(f"{SITE}picks/{pick.id}/" in post for post in thread_)
        if len(thread_) > 1:
            assert [p.rsplit("\n", 1)[1] for p in thread_] == [
                f"{i}/{len(thread_)}" for i in range(1, len(thread_) + 1)
            ]


def test_seed_format_with_handles_from_the_people_file() -> None:
    [induction] = [p for p in SAMPLE if p.id == "2024-04-11-induction-heads"]
    first = _posts(induction, "mastodon")[0]  # the whole author list, as the curator writes it, where it fits
    assert "T. Moskovitz, F. Hill, S. C. Y. Chan, A. M. Saxe\n🔗 " in first
    # On X the whole list would push the pick's link out of the first post: the first authors and "et al.".
    first_x = _posts(induction, "x")[0]
    assert "by @aadityasingh, T. Moskovitz, F. Hill, et al. (@gatsbyunit)\n🔗 " in first_x
    [x2] = [p for p in SAMPLE if len(p.papers) == 2]
    opening = _posts(x2, "bluesky")[0]
    assert opening.startswith("🔍 Today's pick in Interpretability & Analysis of LMs: x2 edition!\n")
    assert "by G. Paulo, T. Marshall, @norabelrose.bsky.social" in opening


def test_mentions_only_where_valid_for_the_network() -> None:
    pick = load_one_pick(pick_text(extra='mentions: ["@gatsbyunit", "@lab@sigmoid.social"]\n'))
    assert "(@gatsbyunit)" in _posts(pick, "x")[0]
    assert "(@lab@sigmoid.social)" in _posts(pick, "mastodon")[0]
    assert "@gatsbyunit" not in _posts(pick, "linkedin")[0]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Stephanie C. Y. Chan", "S. C. Y. Chan"),
        ("Andrew M. Saxe", "A. M. Saxe"),
        ("Sen Sharma, Arnab", "A. Sen Sharma"),
        ("Jean-Baptiste Cordonnier", "J.-B. Cordonnier"),
        ("Gonçalo Paulo", "G. Paulo"),
        ("李华", "李华"),
        ("Ludwig van Beethoven", "L. van Beethoven"),
    ],
)
def test_abbreviated_authors(name: str, short: str) -> None:
    assert abbreviated(name) == short


def test_emoji_and_composed_characters_survive_every_path(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 👩‍👩‍👧 heads 🔍"
    pick = load_one_pick(pick_text(body=f"{decomposed} win.\n\n" + "Long sentence with many words. " * 40 + "\n"))
    for network in NETWORKS:
        joined = "\n".join(_posts(pick, network))
        assert unicodedata.is_normalized("NFC", joined) and "Café 👩‍👩‍👧 heads 🔍" in joined
        assert "๐" not in joined and "\ufffd" not in joined


WORDS = st.sampled_from(
    [
        "word",
        "longerword",
        "😀",
        "👩‍👩‍👧",
        "语言模型",
        "Ünïcödé",
        "e\u0301",
        "@handle",
        "https://arxiv.org/abs/2404.07129",
        "https://example.org/" + "a" * 60,
        "end.",
        "question?",
        "#tag",
        "x" * 40,
    ]
)
TEXT = st.lists(st.lists(WORDS, min_size=1, max_size=60).map(" ".join), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.sampled_from(list(NETWORKS)))
def test_threads_fit_and_lose_no_word(parts: list[str], network: str) -> None:
    counted = NETWORKS[network]
    parts = [unicodedata.normalize("NFC", part) for part in parts]
    result = thread(parts, counted)
    assert all(counted.length(post) <= counted.limit for post in result)
    words = [word for post in result for word in _NUMBER.sub("", post).split()]
    # No word lost, split or reordered; words hold whole grapheme clusters, so no cluster is split either.
    assert words == [word for part in parts for word in part.split()]


def test_post_command_json(monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SITE_URL", raising=False)
    result = CliRunner().invoke(main, ["post", "2024-04-11-induction-heads", "--to", "mastodon", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"network", "url", "posts"} and data["network"] == "mastodon"
    assert data["url"] == "https://daily-picks.github.io/daily-picks/picks/2024-04-11-induction-heads/"
    assert all(NETWORKS["mastodon"].length(p) <= 500 for p in data["posts"])


def test_post_command_unknown_id(monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["post", "2099-01-01-nothing"])
    assert result.exit_code == 1 and "no pick with the id '2099-01-01-nothing'" in result.stderr


def test_post_template_from_the_config(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_project({"2024-04-11-x.md": VALID_PICK}, post={"header": "New in {collection} ✨"})
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(main, ["post", "2024-04-11-x", "--json"])
    assert json.loads(result.stdout)["posts"][0].startswith("New in Interpretability & Analysis of LMs ✨\n")


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        pytest.param(
            '"Ada Lovelace":\n  threads: "@ada"\n',
            "unknown network (known: x, bluesky, mastodon, linkedin)",
            id="network",
        ),
        pytest.param('"Ada Lovelace":\n  x: "@ada-lovelace"\n', "is not a x handle", id="x"),
        pytest.param('"Ada Lovelace":\n  bluesky: "@ada"\n', "is not a bluesky handle", id="bluesky"),
        pytest.param('"Ada Lovelace":\n  mastodon: "@ada"\n', "is not a mastodon handle", id="mastodon"),
        pytest.param('"Ada Lovelace":\n  linkedin: "in/ada lovelace"\n', "is not a linkedin handle", id="linkedin"),
        pytest.param('"Ada Lovelace":\n  x: @ada\n', "quote values that start with @", id="unquoted"),
    ],
)
def test_check_validates_the_people_file(make_project, monkeypatch, entry: str, words: str) -> None:
    config = make_project({"2024-04-11-x.md": VALID_PICK})
    (config.parent / "people.yml").write_text(entry, "utf-8")
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    [line] = [line for line in result.stdout.splitlines() if line.startswith("people.yml:")]
    assert (
        line.startswith(("people.yml:2: error: Ada Lovelace.", "people.yml:2: error: front matter")) and words in line
    )


def test_mentions_reach_every_network_through_the_people_file(make_project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mention is a handle valid on the network, or a person of people.yml: by name or by another handle."""
    root = make_project(
        {"2024-04-11-x.md": pick_text(extra='mentions: ["@gatsbyunit", "Nora Belrose", "@solo"]\n')}
    ).parent
    (root / "people.yml").write_text(
        '"Gatsby Unit":\n  x: "@gatsbyunit"\n  bluesky: "@gatsby.bsky.social"\n'
        '"Nora Belrose":\n  bluesky: "@norabelrose.bsky.social"\n  mastodon: "@nora@sigmoid.social"\n',
        "utf-8",
    )
    monkeypatch.chdir(root)
    bluesky = CliRunner().invoke(main, ["post", "2024-04-11-x", "--to", "bluesky"])
    assert bluesky.exit_code == 0
    assert "(@gatsby.bsky.social @norabelrose.bsky.social)" in bluesky.stdout
    assert "note: left out of the bluesky post: @solo: not a bluesky handle" in bluesky.stderr
    mastodon = CliRunner().invoke(main, ["post", "2024-04-11-x", "--to", "mastodon"])
    assert "(@nora@sigmoid.social)" in mastodon.stdout
    assert "@gatsbyunit: not a mastodon handle" in mastodon.stderr and "people.yml gives no mastodon" in mastodon.stderr
    x = CliRunner().invoke(main, ["post", "2024-04-11-x", "--to", "x"])
    assert "(@gatsbyunit @solo)" in x.stdout and "Nora Belrose: not a x handle" in x.stderr


def test_a_heading_never_ends_a_post_apart_from_its_list() -> None:
    body = (
        "Intro paragraph. " * 12
        + "\n\nNotable findings:\n\n"
        + "".join(f"- Finding number {i} here.\n" for i in range(8))
    )
    pick = load_one_pick(pick_text(body=body))
    for network in ("x", "bluesky", "mastodon"):
        thread = _posts(pick, network)
        assert len(thread) > 1
        for post in thread[:-1]:
            lines = _NUMBER.sub("", post).rstrip().splitlines()
            assert not lines[-1].endswith(":"), (network, post)
        [heading_post] = [post for post in thread if "Notable findings:" in post]
        assert "Notable findings:\n- Finding number 0" in heading_post
    [linkedin] = _posts(pick, "linkedin")  # one post: the heading still sits right on its list
    assert "Notable findings:\n- Finding number 0" in linkedin
    # A list too long for one post is cut between its items, never right after its heading.
    long_list = "Notable findings:\n\n" + "".join(f"- Finding {i} says a good deal about heads.\n" for i in range(30))
    for words in range(20, 95, 3):  # intros of every length, so that somewhere only the heading still fits
        pick = load_one_pick(pick_text(body="word " * words + "\n\n" + long_list))
        for network in ("x", "bluesky"):
            for post in _posts(pick, network)[:-1]:
                assert not _NUMBER.sub("", post).rstrip().splitlines()[-1].endswith(":"), (network, words, post)


def test_the_first_post_carries_the_link() -> None:
    for pick in SAMPLE:
        for network in ("x", "bluesky", "mastodon", "linkedin"):
            assert f"{SITE}picks/{pick.id}/" in _posts(pick, network)[0], (pick.id, network)


@pytest.mark.parametrize("network", ["x", "linkedin"])
def test_open_gives_the_compose_page_with_the_text(network: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from urllib.parse import parse_qs, urlsplit

    from conftest import ROOT

    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("SITE_URL", raising=False)
    args = ["post", "2024-04-11-induction-heads", "--to", network]
    shown = CliRunner().invoke(main, [*args, "--json"])
    result = CliRunner().invoke(main, [*args, "--open"])
    assert result.exit_code == 0, result.output
    url = urlsplit(result.stdout.strip())
    assert f"{url.scheme}://{url.netloc}{url.path}" in ("https://x.com/intent/post", "https://www.linkedin.com/feed/")
    assert parse_qs(url.query)["text"] == [json.loads(shown.stdout)["posts"][0]]
    assert CliRunner().invoke(main, ["post", "2024-04-11-induction-heads", "--to", "bluesky", "--open"]).exit_code == 2


def test_every_problem_of_a_people_file_at_its_line(tmp_path: Path) -> None:
    from generator.core.people import HANDLES, NETWORKS

    path = tmp_path / "people.yml"
    path.write_text(
        'Ada Lovelace: "@ada"\nAlan Turing:\n  x: [a, b]\n  myspace: "@alan"\nGrace Hopper:\n  x: "@grace"\n', "utf-8"
    )
    people, problems = load_people(path)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (1, "Ada Lovelace", "expected networks and handles: 'x: \"@handle\"'"),
        (3, "Alan Turing.x", f"'a list or mapping' is not a x handle: {HANDLES['x'][1]}"),
        (4, "Alan Turing.myspace", f"unknown network (known: {', '.join(NETWORKS)})"),
    ]
    assert all(p.path.endswith("people.yml") for p in problems)
    assert people.handle("grace hopper", "x") == "@grace"
    path.write_bytes(b"Ada: \xff\n")
    _, [broken] = load_people(path)
    assert (broken.line, broken.field) == (1, "encoding") and "can't decode byte 0xff" in broken.message
