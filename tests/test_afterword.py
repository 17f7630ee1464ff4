"""The caches `picks refresh` writes and the build reads, and how replies are shown: nested one level, hidden, text."""

from __future__ import annotations

import json
from pathlib import Path

from generator.core.afterword import (
    CITATIONS,
    CONVERSATION,
    Caches,
    Citations,
    CitingWork,
    Reply,
    Thread,
    read_caches,
    shown_replies,
    text_parts,
    write_caches,
)


def _reply(uri: str, created: str, parent: str | None = None) -> Reply:
    return Reply("bluesky", uri, f"https://bsky.app/{uri}", "Zoë", "@zoe.example", created, f"text {uri}", parent)


def test_the_caches_read_back_as_written_sorted_and_in_every_script(tmp_path: Path) -> None:
    thread = Thread("bluesky", "at://p/0", "https://bsky.app/p/0", [_reply("a", "2024-04-12T10:00:00+00:00")])
    cited = Citations("https://openalex.org/W1", 3, [CitingWork("https://openalex.org/W2", "Сети", "2024-09-01", "u")])
    caches = Caches(
        {"2024-04-11-b": [thread], "2024-04-10-a": []},
        {"arxiv:2404.07129": cited},
        {"pick:2024-04-11-b": "2024-05-01T06:00:00+00:00", "arxiv:2404.07129": "2024-05-02T06:00:00+00:00"},
    )
    write_caches(tmp_path, caches)
    text = (tmp_path / CONVERSATION).read_text("utf-8")
    assert "Zoë" in text and list(json.loads(text)) == ["2024-04-10-a", "2024-04-11-b"]  # sorted, not escaped
    assert "Сети" in (tmp_path / CITATIONS).read_text("utf-8")
    back = read_caches(tmp_path)
    assert back.threads == caches.threads and back.citations == caches.citations
    assert back.refreshed == caches.refreshed | {"pick:2024-04-10-a": ""}
    before = (tmp_path / CONVERSATION).stat().st_mtime_ns
    write_caches(tmp_path, back)  # nothing changed: the file is not rewritten
    assert (tmp_path / CONVERSATION).stat().st_mtime_ns == before


def test_an_entry_of_the_wrong_shape_is_left_out_and_the_others_kept(tmp_path: Path) -> None:
    (tmp_path / ".picks").mkdir()
    good = {"refreshed": "r", "threads": [{"network": "mastodon", "uri": "u", "url": "l", "replies": []}]}
    (tmp_path / CONVERSATION).write_text(json.dumps({"a": {"threads": 3}, "b": good}), "utf-8")
    cited = {"refreshed": "r", "work": "W", "cited_by_count": 1, "citing": []}
    (tmp_path / CITATIONS).write_text(json.dumps({"x": {"work": "W"}, "y": cited}), "utf-8")
    caches = read_caches(tmp_path)
    assert list(caches.threads) == ["b"] and list(caches.citations) == ["y"]
    (tmp_path / CONVERSATION).write_text("[1, 2]", "utf-8")  # not a mapping at all
    assert read_caches(tmp_path).threads == {}


def test_replies_nest_one_level_oldest_first_and_a_hidden_one_takes_its_answers() -> None:
    replies = [
        _reply("c", "2024-04-12T12:00:00+00:00"),
        _reply("a", "2024-04-12T10:00:00+00:00"),
        _reply("a2", "2024-04-12T11:30:00+00:00", parent="a"),
        _reply("a1", "2024-04-12T11:00:00+00:00", parent="a"),
        _reply("a11", "2024-04-12T11:10:00+00:00", parent="a1"),  # two levels down: under a, its top
        _reply("h", "2024-04-12T09:00:00+00:00"),
        _reply("h1", "2024-04-12T09:30:00+00:00", parent="h"),
        _reply("orphan", "2024-04-12T08:00:00+00:00", parent="gone"),  # its parent is not shown: top level
    ]
    thread = Thread("bluesky", "at://p/0", "https://bsky.app/p/0", replies)
    shown = shown_replies(thread, frozenset({"https://bsky.app/h"}))
    assert [(top.uri, [r.uri for r in answers]) for top, answers in shown] == [
        ("orphan", []),
        ("a", ["a1", "a11", "a2"]),
        ("c", []),
    ]
    assert [top.uri for top, _ in shown_replies(thread, frozenset({"a1"}))] == ["orphan", "h", "a", "c"]
    assert [r.uri for r in dict(shown_replies(thread, frozenset({"a1"})))[replies[1]]] == ["a2"]


def test_a_replys_text_becomes_links_only_where_it_has_an_http_address() -> None:
    assert text_parts("see https://e.org/a?b=1, and javascript:alert(1) or www.e.org.") == [
        ("see ", None),
        ("https://e.org/a?b=1", "https://e.org/a?b=1"),
        (", and javascript:alert(1) or www.e.org.", None),
    ]
    assert text_parts("") == [] and text_parts("(http://e.org)") == [
        ("(", None),
        ("http://e.org", "http://e.org"),
        (")", None),
    ]
