"""Past posts from the exports the networks give their users: an X archive, LinkedIn's Shares.csv, Mastodon's
outbox.json, each read in the layout the network writes it."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import lxml.html

from ..core.archive_text import clean
from .past_posts import Post, SourceError, open_member

# X's archive (Settings → Your account → Download an archive): data/tweets.js, split into tweets-part1.js, … when
# large, each "window.YTD.tweets.partN = [ {"tweet": {...}} ]"; long posts' full text in note-tweet.js
# ("window.YTD.note_tweet.part0 = [ {"noteTweet": {...}} ]"); the account in account.js. Layout as documented by
# the community archive's reader (TheExGenesis/community-archive, docs/archive_data.md).
X_FILES = ("tweets.js", "tweet.js", "tweets-part*.js", "note-tweet.js", "account.js")
_YTD = re.compile(r"^\s*window\.YTD\.(\w+)\.part\d+\s*=\s*")
_STATUS_LINK = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/\w+/status/\d+")
_TCO = re.compile(r"https?://t\.co/\w+")


def _ytd(where: str, text: str) -> list[dict]:
    """One archive file's records; a file that is not one (truncated, edited) is a SourceError at its line."""
    found = _YTD.match(text)
    if not found:
        raise SourceError(f"{where}:1: not an X archive file (it should open with window.YTD.<name>.part0 =)")
    try:
        records = json.loads(text[found.end() :])
    except json.JSONDecodeError as exc:
        raise SourceError(f"{where}:{exc.lineno}: not an X archive file ({exc.msg}; is it truncated?)") from None
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise SourceError(f"{where}:1: not an X archive file (expected a list of records)")
    return records


def x_archive(source: Path) -> list[Post]:
    """The tweets of an X archive (its .zip, its folder, or data/tweets.js)."""
    files = open_member(source, X_FILES)
    tweet_files = [name for name in files if name.startswith("tweet")]
    if not tweet_files:
        raise SourceError(f"{source}: no data/tweets.js in it (is this an X archive?)")
    account = {}
    if "account.js" in files:
        account = next(iter(_ytd(*files["account.js"])), {}).get("account", {})
    notes = {}
    if "note-tweet.js" in files:
        notes = _notes(_ytd(*files["note-tweet.js"]))
    posts = []
    for name in sorted(tweet_files):
        where, text = files[name]
        for number, record in enumerate(_ytd(where, text)):
            try:
                posts.append(_tweet(record.get("tweet", record), account, notes))
            except (KeyError, TypeError, ValueError) as exc:
                raise SourceError(f"{where}: record {number + 1}: not a tweet ({type(exc).__name__}: {exc})") from None
    return posts


Note = tuple[str, dict[str, str]]  # a long post's full text and its links (t.co → expanded)


def _notes(records: list[dict]) -> dict[str, Note]:
    """Long posts' full text by the tweet's id where note-tweet.js names it (``tweetId``), and by the second
    the note was created (``createdAt``, the same second as its tweet's ``created_at``)."""
    notes = {}
    for record in records:
        note = record.get("noteTweet", {})
        core = note.get("core") or note.get("noteTweetResults") or {}
        text = core.get("text")
        if not isinstance(text, str):
            continue
        entities = core.get("entitySet", core)
        links = {
            u["shortUrl"]: u.get("expandedUrl") or u["shortUrl"] for u in entities.get("urls", []) if u.get("shortUrl")
        }
        if note.get("tweetId"):
            notes[str(note["tweetId"])] = (text, links)
        if note.get("createdAt"):
            created = datetime.fromisoformat(note["createdAt"]).replace(microsecond=0)
            notes[created.isoformat()] = (text, links)
    return notes


def _tweet(tweet: dict, account: dict, notes: dict[str, Note]) -> Post:
    tweet_id = str(tweet["id_str"])
    instant = parsedate_to_datetime(tweet["created_at"]).astimezone(UTC)  # "Wed Apr 10 09:12:00 +0000 2024"
    entities = tweet.get("entities") or {}
    links = {u["url"]: u.get("expanded_url") or u["url"] for u in entities.get("urls", []) if u.get("url")}
    media = {m["url"] for m in entities.get("media", []) if m.get("url")}
    text = tweet.get("full_text") or tweet["text"]
    if note := notes.get(tweet_id) or notes.get(instant.isoformat()):
        text, links = note[0], links | note[1]
    text = _TCO.sub(lambda m: "" if m.group() in media else links.get(m.group(), m.group()), text)
    user = account.get("username")
    parent = tweet.get("in_reply_to_status_id_str")
    kind = ""
    if tweet.get("retweeted_status") or tweet.get("full_text", "").startswith("RT @"):
        kind = "repost"
    elif tweet.get("quoted_status_id_str") or any(_STATUS_LINK.match(u) for u in links.values()):
        kind = "quote post"
    own = None
    if parent and account.get("accountId"):
        own = str(tweet.get("in_reply_to_user_id_str")) == str(account["accountId"])
    mentions = tuple(f"@{m['screen_name']}" for m in entities.get("user_mentions", []) if m.get("screen_name"))
    return Post(
        id=_tweet_url(tweet_id, user),
        instant=instant,
        text=clean(text),
        links=tuple(links.values()),
        parent=_tweet_url(str(parent), user) if parent else None,
        own_parent=own,
        kind=kind,
        handles=mentions,
    )


def _tweet_url(tweet_id: str, user: str | None) -> str:
    return f"https://x.com/{user}/status/{tweet_id}" if user else f"https://x.com/i/web/status/{tweet_id}"


# LinkedIn's export (Settings → Data privacy → Get a copy of your data): Shares.csv with the columns Date
# ("2024-04-10 09:12:00", UTC), ShareLink, ShareCommentary, SharedUrl, MediaUrl, Visibility.
LINKEDIN_COLUMNS = ("Date", "ShareLink", "ShareCommentary")
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")


def linkedin_export(source: Path) -> list[Post]:
    """The shares of a LinkedIn export (its .zip, its folder, or Shares.csv)."""
    files = open_member(source, ("Shares.csv",))
    if "Shares.csv" not in files:
        raise SourceError(f"{source}: no Shares.csv in it (is this a LinkedIn export?)")
    where, text = files["Shares.csv"]
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    posts = []
    try:
        missing = [c for c in LINKEDIN_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SourceError(f"{where}:1: not LinkedIn's Shares.csv (no column {', '.join(missing)})")
        start = 2  # the line a row starts on: where a quote that never closes was opened
        for row in reader:
            if None in row or any(v is None for v in row.values()):
                columns = len(reader.fieldnames or [])
                raise SourceError(f"{where}:{start}: a row that does not have the header's {columns} columns")
            try:
                instant = datetime.fromisoformat(row["Date"].strip()).replace(tzinfo=UTC)
            except ValueError:
                raise SourceError(f"{where}:{start}: Date: '{row['Date']}' is not a date-time") from None
            commentary = clean(row["ShareCommentary"])
            links = [*(_URL.findall(commentary)), *([row["SharedUrl"]] if row.get("SharedUrl") else [])]
            if row.get("Visibility") and row["Visibility"].upper() not in ("MEMBER_NETWORK", "PUBLIC", "ANYONE"):
                kind = "not public"
            else:
                kind = ""
            posts.append(Post(row["ShareLink"] or f"{where}:{start}", instant, commentary, tuple(links), kind=kind))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(f"{where}:{start}: not a readable CSV row ({exc}; a quote left open?)") from None
    return posts


# A Mastodon archive (Preferences → Import and export → Request your archive): outbox.json, an ActivityStreams
# OrderedCollection whose orderedItems are Create activities of Notes (posts) and Announce activities (boosts).
PUBLIC = ("https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public")


def mastodon_archive(source: Path) -> list[Post]:
    """The posts of a Mastodon archive (its .zip, its folder, or outbox.json)."""
    files = open_member(source, ("outbox.json",))
    if "outbox.json" not in files:
        raise SourceError(f"{source}: no outbox.json in it (is this a Mastodon archive?)")
    where, text = files["outbox.json"]
    try:
        outbox = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{where}:{exc.lineno}: not JSON ({exc.msg})") from None
    if (
        not isinstance(outbox, dict)
        or outbox.get("type") != "OrderedCollection"
        or not isinstance(outbox.get("orderedItems"), list)
    ):
        raise SourceError(f"{where}: not an ActivityStreams outbox (no OrderedCollection with orderedItems)")
    posts, notes = [], []
    for number, activity in enumerate(outbox["orderedItems"]):
        try:
            if post := _activity(activity):
                posts.append(post)
                notes.append(activity if isinstance(activity.get("object"), dict) else None)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SourceError(
                f"{where}: orderedItems[{number}]: not an activity ({type(exc).__name__}: {exc})"
            ) from None
    # A reply names its parent by the parent's ActivityPub id (…/users/u/statuses/1); posts go by their URL.
    url_of = {str(a["object"]["id"]): post.id for a, post in zip(notes, posts, strict=True) if a is not None}
    return [replace(p, parent=url_of.get(p.parent, p.parent)) if p.parent else p for p in posts]


def _activity(activity: dict) -> Post | None:
    instant = datetime.fromisoformat(activity["published"]).astimezone(UTC)
    if activity["type"] == "Announce":
        return Post(str(activity["id"]), instant, "", kind="repost")
    note = activity["object"]
    if activity["type"] != "Create" or not isinstance(note, dict) or note.get("type") != "Note":
        return None
    audience = [*note.get("to", []), *note.get("cc", [])]
    kind = "" if any(a in PUBLIC for a in audience) else "not public"
    if not kind and (note.get("quoteUrl") or note.get("quoteUri") or note.get("_misskey_quote")):
        kind = "quote post"
    actor = str(activity.get("actor", ""))
    parent = note.get("inReplyTo")
    tags = note.get("tag", [])
    return Post(
        id=str(note.get("url") or note["id"]),
        instant=instant,
        text=html_text(note.get("content", "")),
        links=tuple(html_links(note.get("content", ""))),
        parent=parent,
        own_parent=bool(parent and actor and str(parent).startswith(actor + "/")),
        kind=kind,
        handles=tuple(t["name"] for t in tags if t.get("type") == "Mention" and t.get("name")),
    )


_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>", re.IGNORECASE)


def html_text(content: str) -> str:
    """A status's HTML (Mastodon's rendering: <p> paragraphs, <br> lines, links) as the plain text posted."""
    if not content.strip():
        return ""
    content = _PARAGRAPH.sub("\n\n", _BREAK.sub("\n", content))
    root = lxml.html.fromstring(f"<div>{content}</div>")
    for hidden in root.xpath('//span[@class="invisible"]'):
        hidden.drop_tag()  # Mastodon hides the scheme and tail of long links; the text keeps the whole link
    for ellipsis in root.xpath('//span[@class="ellipsis"]'):
        ellipsis.drop_tag()
    return clean(root.text_content().strip())


def html_links(content: str) -> list[str]:
    """The links a status's HTML carries, but its mentions' and hashtags' own links."""
    if not content.strip():
        return []
    root = lxml.html.fromstring(f"<div>{content}</div>")
    found = []
    for anchor in root.iter("a"):
        classes = (anchor.get("class") or "").split()
        if {"mention", "hashtag"} & set(classes) or "tag" in (anchor.get("rel") or "").split():
            continue
        if (href := anchor.get("href", "")).startswith(("http://", "https://")):
            found.append(href)
    return found
