"""Past posts read from public accounts, without a password: a Bluesky repository, a Mastodon account's statuses,
a Hub collection's papers."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import requests
from atproto import Client
from atproto_client.exceptions import AtProtocolError
from mastodon import Mastodon, MastodonError

from .. import __version__
from .archives import html_links, html_text
from .past_posts import Post, SourceError

TIMEOUT = 30
PAGE = 100  # com.atproto.repo.listRecords: limit at most 100 (lexicons/com/atproto/repo/listRecords.json)
MAX_PAGES = 500  # 50,000 records: an account's whole history, and an end to a cursor that never ends
POST = "app.bsky.feed.post"


def bluesky_posts(handle: str) -> list[Post]:
    """Every post record of the account, read from its PDS (``PICKS_BLUESKY_PDS``) by com.atproto.repo.listRecords,
    following the cursor; threads from each record's ``reply``, links from facets and the external embed."""
    pds = (os.environ.get("PICKS_BLUESKY_PDS") or "https://bsky.social").rstrip("/")
    client = Client(base_url=f"{pds}/xrpc")
    handle = handle.lstrip("@")
    try:
        did = client.com.atproto.identity.resolve_handle({"handle": handle}).did
        records, cursor = [], None
        for _ in range(MAX_PAGES):
            page = client.com.atproto.repo.list_records(
                {"repo": did, "collection": POST, "limit": PAGE, "cursor": cursor}
            )
            records += page.records
            cursor = page.cursor
            if not cursor or not page.records:
                break
    except AtProtocolError as exc:
        raise SourceError(f"bluesky:{handle}: {pds} did not answer ({_atproto_reason(exc)})") from None
    return [_record(handle, did, r.uri, r.value) for r in records]


def _atproto_reason(exc: AtProtocolError) -> str:
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    if content is not None and getattr(content, "error", None):
        return f"HTTP {response.status_code} {content.error}: {content.message}"
    return type(exc).__name__


def _record(handle: str, did: str, uri: str, value: object) -> Post:
    record = value.model_dump(by_alias=True) if hasattr(value, "model_dump") else dict(value)  # type: ignore[call-overload]
    links = [
        feature["uri"]
        for facet in record.get("facets") or []
        for feature in facet.get("features") or []
        if feature.get("py_type", feature.get("$type")) == "app.bsky.richtext.facet#link"
    ]
    embed = record.get("embed") or {}
    embed_type = embed.get("py_type", embed.get("$type", ""))
    if embed_type == "app.bsky.embed.external":
        links.append(embed["external"]["uri"])
    reply = record.get("reply") or {}
    parent = (reply.get("parent") or {}).get("uri")
    return Post(
        id=uri,
        instant=datetime.fromisoformat(record["created_at" if "created_at" in record else "createdAt"]).astimezone(UTC),
        text=record.get("text") or "",
        links=tuple(dict.fromkeys(links)),
        parent=parent,
        own_parent=bool(parent and parent.startswith(f"at://{did}/")),
        kind="quote post" if embed_type.startswith("app.bsky.embed.record") else "",
    )


_ACCOUNT = re.compile(r"^@?([A-Za-z0-9_]{1,30})@([A-Za-z0-9.-]+\.[A-Za-z]{2,})$")
MASTODON_PAGES = 250  # of 40 statuses: 10,000, the account's whole public history


def mastodon_posts(account: str) -> list[Post]:
    """The account's public statuses (GET /api/v1/accounts/lookup, then /api/v1/accounts/:id/statuses through
    its Link pages), on ``PICKS_MASTODON_URL`` or the account's own server; no token."""
    found = _ACCOUNT.match(account)
    if not found:
        raise SourceError(f"mastodon:{account}: not an account such as @user@server.social")
    user, host = found.groups()
    base = os.environ.get("PICKS_MASTODON_URL") or f"https://{host}"
    api = Mastodon(api_base_url=base, ratelimit_method="throw", version_check_mode="none", request_timeout=TIMEOUT)
    try:
        me = api.account_lookup(user)
        page = api.account_statuses(me["id"], limit=40)
        statuses = list(page)
        for _ in range(MASTODON_PAGES):
            if not page or (page := api.fetch_next(page)) is None:
                break
            statuses += list(page)
    except MastodonError as exc:
        raise SourceError(f"mastodon:{account}: {base} did not answer ({type(exc).__name__}: {exc})") from None
    urls = {str(s["id"]): s.get("url") or s["uri"] for s in statuses}
    return [_status(s, str(me["id"]), host, urls) for s in statuses]


def _status(status: dict, account_id: str, host: str, urls: dict[str, str]) -> Post:
    created = status["created_at"]
    instant = created if isinstance(created, datetime) else datetime.fromisoformat(str(created))
    kind = ""
    if status.get("reblog"):
        kind = "repost"
    elif status.get("visibility") not in ("public", "unlisted"):
        kind = "not public"
    elif status.get("quote"):
        kind = "quote post"
    parent = status.get("in_reply_to_id")
    handles = tuple(f"@{m['acct']}" if "@" in m["acct"] else f"@{m['acct']}@{host}" for m in status.get("mentions", []))
    return Post(
        id=urls[str(status["id"])],
        instant=instant.astimezone(UTC),
        text=html_text(status.get("content") or ""),
        links=tuple(html_links(status.get("content") or "")),
        parent=urls.get(str(parent), f"{host}:{parent}") if parent else None,
        own_parent=str(status.get("in_reply_to_account_id")) == account_id if parent else None,
        kind=kind,
        handles=handles,
    )


def hub_collection(slug: str) -> list[Post]:
    """A Hub collection's paper items as posts (``HF_ENDPOINT``): the item's note is the text, the paper its own;
    dated by the paper's day on the Hub (``publishedAt``), else the collection's last update."""
    endpoint = (os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")
    url = f"{endpoint}/api/collections/{slug}"
    try:
        response = requests.get(url, timeout=TIMEOUT, headers={"User-Agent": f"daily-picks/{__version__}"})
    except requests.RequestException as exc:
        raise SourceError(f"hf:{slug}: {endpoint} did not answer ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise SourceError(f"hf:{slug}: {endpoint} answered HTTP {response.status_code}")
    try:
        collection = response.json()
        updated = collection.get("lastUpdated")
        posts = []
        for item in sorted(collection["items"], key=lambda i: i["position"]):
            if item.get("type") != "paper":
                continue
            day = item.get("publishedAt") or updated
            note = item.get("note") or {}
            posts.append(
                Post(
                    id=f"{endpoint}/collections/{slug}#{item['id']}",
                    instant=datetime.fromisoformat(str(day)).astimezone(UTC),
                    text=note.get("text") or "",
                    papers=(str(item["id"]),),
                    collection_hint=slug,
                )
            )
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"hf:{slug}: not a Hub collection ({type(exc).__name__}: {exc})") from None
    return posts
