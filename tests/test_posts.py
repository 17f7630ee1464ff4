"""Social posts in the curator's format: golden threads, every network's own count, nothing lost or split."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
import regex
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import EXTENSIONS, SAMPLE_PICKS, VALID_PICK, assert_matches_golden, load_one_pick, pick_text
from generator.cli import main
from generator.core.body import BodyRenderer
from generator.core.loader import LoadSettings, load_picks
from generator.core.people import HANDLES, load_people
from generator.outputs.posts import NETWORKS, NUMBERING, abbreviated, blocks, mentions_for, posts, thread

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
        ("Chr. Olah", "Chr. Olah"),  # a given name the author already shortened stays as written
        ("Wm. H. Gates", "Wm. H. Gates"),
        ("King, Jr., Martin Luther", "M. L. King, Jr."),  # BibTeX's Family, Jr., Given
        ("Anna Maria van Berg", "A. M. van Berg"),
        ("bell hooks", "b. hooks"),  # lowercase by choice: a given name, not a particle
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


LINES = st.lists(st.lists(WORDS, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=4).map("\n".join)
TEXT = st.lists(LINES, min_size=1, max_size=8)


def _words_and_gaps(posts: list[str]) -> tuple[list[str], list[str | None]]:
    """The posts' words in order, and the whitespace before each word after the first (None: a new post)."""
    words: list[str] = []
    gaps: list[str | None] = []
    for post in posts:
        tokens = re.split(r"(\s+)", post.strip())
        for index in range(0, len(tokens), 2):
            if words:
                gaps.append(tokens[index - 1] if index else None)
            words.append(tokens[index])
    return words, gaps


@settings(max_examples=150, deadline=None)
@given(TEXT, st.sampled_from(list(NETWORKS)))
def test_threads_fit_and_lose_no_word(parts: list[str], network: str) -> None:
    counted = NETWORKS[network]
    parts = [unicodedata.normalize("NFC", part) for part in parts]
    result = thread(parts, counted)
    assert all(counted.length(post) <= counted.limit for post in result)
    if len(result) > 1:
        assert [post.rsplit("\n", 1)[1] for post in result] == [f"{i}/{len(result)}" for i in range(1, len(result) + 1)]
    else:
        assert not _NUMBER.search(result[0])
    words, gaps = _words_and_gaps([_NUMBER.sub("", post) for post in result])
    # No word lost, split or reordered; words hold whole grapheme clusters, so no cluster is split either.
    source_words, source_gaps = _words_and_gaps(["\n\n".join(parts)])
    assert words == source_words
    # Within a post, the text reads as written: a paragraph break stays one, a line break a line break.
    assert [gap for gap, source in zip(gaps, source_gaps, strict=True) if gap is not None and gap != source] == []


@pytest.mark.parametrize("network", list(NETWORKS))
def test_a_part_of_exactly_the_limit_is_one_post_and_one_more_makes_a_thread(network: str) -> None:
    counted = NETWORKS[network]
    words = ["word"] * counted.limit
    while counted.length(" ".join(words)) > counted.limit:
        words.pop()
    text = " ".join(words)
    text += "x" * (counted.limit - counted.length(text))
    assert counted.length(text) == counted.limit
    assert thread([text], counted) == [text]
    assert thread([text.replace("word", "wordy", 1)], counted)[-1].endswith("\n2/2")
    # Two parts that fill two posts to the limit each: numbering them must move words, never overflow.
    half = " ".join(["word"] * (counted.limit // 5))
    two = thread([half, half], counted)
    assert len(two) > 1 and all(counted.length(post) <= counted.limit for post in two)


def test_body_structure_in_posts() -> None:
    """Paragraphs stay paragraphs; a heading line joins its list, and only a heading line does."""
    body = "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\nFindings:\n\n- one\n- two\n"
    [post] = _posts(load_one_pick(pick_text(body=body)), "linkedin")
    assert "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\nFindings:\n- one\n- two" in post
    [post] = _posts(load_one_pick(pick_text(body="A plain paragraph.\n\n- one\n- two\n")), "linkedin")
    assert "A plain paragraph.\n\n- one\n- two" in post
    [post] = _posts(load_one_pick(pick_text(body="A paragraph.\n\nIt ends with a heading:\n")), "linkedin")
    assert post.split("\n\n")[1:3] == ["A paragraph.", "It ends with a heading:"]


def test_x2_mentions_follow_the_last_paper_and_each_paper_links_its_best_address() -> None:
    base = load_one_pick(pick_text(extra='mentions: ["@gatsbyunit"]\n'))
    first = replace(base.papers[0], title="First paper", arxiv="2404.00001")
    second = replace(base.papers[0], title="Second paper", arxiv=None, doi="10.1000/xyz", url="https://example.org/p")
    third = replace(second, doi=None)
    pick = replace(base, papers=(first, second, third))
    opening = _posts(pick, "x")[0]
    lines = opening.splitlines()
    assert lines[1].startswith("First paper by ") and "@gatsbyunit" not in lines[1]
    assert lines[3].startswith("Second paper by ") and lines[3].endswith(" (@gatsbyunit)")
    joined = "\n".join(_posts(pick, "linkedin"))
    assert "📄 https://arxiv.org/abs/2404.00001\n📄 https://doi.org/10.1000/xyz\n📄 https://example.org/p" in joined


def test_a_mention_left_out_says_why() -> None:
    pick = load_one_pick(pick_text(extra='mentions: ["@gatsbyunit"]\n'))
    assert mentions_for(pick, PEOPLE, "bluesky") == (
        [],
        [
            "@gatsbyunit: not a bluesky handle (" + HANDLES["bluesky"][1] + "), and people.yml gives no bluesky "
            "handle for it"
        ],
    )


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
        'Ada Lovelace: "@ada"\nAlan Turing:\n  x: [a, b]\n  myspace: "@alan"\nGrace Hopper:\n  x: "@grace"\n'
        '  bluesky: "not a handle"\n',
        "utf-8",
    )
    people, problems = load_people(path)
    assert [(p.line, p.field, p.message) for p in problems] == [
        (1, "Ada Lovelace", "expected networks and handles: 'x: \"@handle\"'"),
        (3, "Alan Turing.x", f"'a list or mapping' is not a x handle: {HANDLES['x'][1]}"),
        (4, "Alan Turing.myspace", f"unknown network (known: {', '.join(NETWORKS)})"),
        (7, "Grace Hopper.bluesky", f"'not a handle' is not a bluesky handle: {HANDLES['bluesky'][1]}"),
    ]
    assert all(p.path.endswith("people.yml") for p in problems)
    assert people.handle("grace hopper", "x") == "@grace"
    path.write_bytes(b"Ada: \xff\n")
    _, [broken] = load_people(path)
    assert (broken.line, broken.field) == (1, "encoding") and "can't decode byte 0xff" in broken.message


def test_the_whole_author_list_while_the_first_post_has_room_for_its_numbering() -> None:
    counted = NETWORKS["mastodon"]
    authors = "[" + ", ".join(f"Author{i} Person{i}" for i in range(8)) + "]"
    base = load_one_pick(pick_text(authors=authors))

    def header(title: str) -> str:
        return blocks(
            replace(base, papers=(replace(base.papers[0], title=title),)),
            collection="Interpretability",
            url=f"{SITE}picks/{base.id}/",
            people=PEOPLE,
            network="mastodon",
        )[0]

    room = counted.limit - NUMBERING - counted.length(header("T"))
    assert room > 0 and "et al." not in header("T")
    exact = header("T" + "x" * room)
    assert counted.length(exact) == counted.limit - NUMBERING and "et al." not in exact
    assert "et al." in header("T" + "x" * (room + 1))


def test_a_thread_of_ten_posts_numbers_them_within_the_limit() -> None:
    """Going from 9 posts to 10 lengthens every number ("\\n1/10"): the packing is redone for it."""
    counted = NETWORKS["mastodon"]
    for unit in ("ww xxx", "wwww xxxxxx", "w xx"):  # word lengths that fill some post to the last character
        lengths = set()
        for count in range(300, 900, 2):
            result = thread([" ".join([unit] * count)], counted)
            lengths.add(len(result))
            assert all(counted.length(post) <= counted.limit for post in result), (unit, count, len(result))
        assert {9, 10} <= lengths


def test_a_heading_waits_for_its_list_even_as_the_last_two_parts() -> None:
    counted = NETWORKS["mastodon"]
    result = thread(["a " * 240 + "a", "Findings:", "- " + "item " * 20], counted)
    assert [_NUMBER.sub("", post).splitlines()[0] for post in result[1:]] == ["Findings:"]
    assert thread(["Intro.", "Ends with a heading:"], counted) == ["Intro.\n\nEnds with a heading:"]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from([*"ab .:/@#_-\r\n", "x.com", "https://e.org/a", "www.", "é", "中", "🔍"])).map(
        "".join
    )
)
@example(text="\r\n")  # found: twitter-text counts CR LF as one character
@example(text="https://e.org/a")  # a link: Bluesky stores it shown short
def test_the_fast_counts_are_the_networks_own(text: str) -> None:
    """x_length's ASCII path against twitter-text's parse_tweet, Bluesky's against the graphemes and bytes of the
    text a post stores (its links shown short, as Bluesky's app posts them)."""
    from twitter_text import parse_tweet

    from generator.outputs.bluesky_facets import shown_text
    from generator.outputs.posts import NETWORKS, x_length

    assert x_length(text) == parse_tweet(text).weightedLength
    stored = shown_text(text)
    graphemes = len(regex.findall(r"\X", stored))
    assert NETWORKS["bluesky"].length(text) == max(graphemes, -(-len(stored.encode()) // 10))
    for network in NETWORKS.values():
        assert network.length(text) <= network.bound(text)


@settings(max_examples=40, deadline=None)
@given(first=st.integers(1, 40), second=st.integers(1, 40), authors=st.integers(1, 12))
@example(first=14, second=13, authors=5)  # issue 32: X's first post named only the first paper
def test_the_first_post_of_an_x2_edition_names_both_papers(first: int, second: int, authors: int) -> None:
    from generator.core.people import People

    url = "https://example.org/picks/picks/2024-04-11-two/"
    names = ", ".join(f"Given{i} Family{i}" for i in range(authors))
    title_one = " ".join(["Alpha"] + [f"word{i}" for i in range(first - 1)])
    title_two = " ".join(["Omega"] + [f"term{i}" for i in range(second - 1)])
    text = pick_text("Two", paper_title=title_one, authors=f"[{names}]").replace(
        "---\n\n",
        f'  - title: "{title_two}"\n    authors: [{names}]\n    year: 2024\n    arxiv: "2406.00002"\n---\n\n',
        1,
    )
    pick = load_one_pick(text)
    for network in NETWORKS:
        thread = posts(pick, network, collection="Interpretability & Analysis of LMs", url=url, people=People())
        assert "Alpha" in thread[0] and "Omega" in thread[0] and url in thread[0], (network, thread[0])
