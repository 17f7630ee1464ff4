"""A Bluesky account through the atproto SDK: a pick's thread under record keys derived from the pick, so a
fresh checkout finds what it posted, completes a thread cut short, and never posts one twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from atproto import Client
from atproto_client.exceptions import (
    BadRequestError,
    NetworkError,
    RateLimitExceededError,
    RequestErrorBase,
    UnauthorizedError,
)

from ..core.model import Pick
from .announcing import AnnounceError, SkipPick

POST = "app.bsky.feed.post"
RichText = Callable[[str, Callable[[str], str | None]], tuple[str, list[dict]]]  # text → (shown text, facets)
_BASE32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"


def tid(micros: int, clock: int) -> str:
    """A record key in the TID format (atproto specs, "Record Key"/"TID"): 53 bits of microseconds since the
    epoch and 10 bits of clock id, as 13 base32-sortable characters. Post record keys must be TIDs."""
    value = (micros << 10) | (clock & 0x3FF)
    return "".join(_BASE32_SORTABLE[(value >> (5 * (12 - i))) & 31] for i in range(13))


def post_key(pick: Pick, number: int, attempt: int = 0) -> str:
    """Post ``number`` (0-based) of a pick's thread: the pick's instant plus ``number`` microseconds, and a clock
    id from the pick's id, so the same pick always gives the same keys. Another pick can be made to share them
    (a thousand tries find a colliding clock id), so a thread whose first key holds another pick's post moves to
    the keys of the next ``attempt``; attempt 0 is the derivation every earlier thread was posted under."""
    micros = int(pick.instant.timestamp() * 1_000_000) + number
    salt = pick.id if attempt == 0 else f"{pick.id}#{attempt}"
    clock = int.from_bytes(hashlib.sha256(salt.encode()).digest()[:2], "big") % 1024
    return tid(micros, clock)


ATTEMPTS = 8  # key sets tried for one pick before it is skipped as held by others


# resolveHandle's answers for a handle that does not resolve: the lexicon's HandleNotFound, and the
# InvalidRequest "Unable to resolve handle" PDSes answered before it (lexicons/com/atproto/identity/resolveHandle.json).
UNRESOLVED = ("HandleNotFound", "InvalidRequest")


class BlueskyAccount:
    """The account of PICKS_BLUESKY_HANDLE on its PDS, signed in with an app password. Counts requests, writes."""

    def __init__(self, pds: str, handle: str, app_password: str, rich_text: RichText) -> None:
        self.pds = pds.rstrip("/")
        self.rich_text = rich_text
        self.client = Client(base_url=f"{self.pds}/xrpc")
        self.requests = 0
        self.writes = 0
        self._dids: dict[str, str | None] = {}
        self._attempts: dict[str, int] = {}  # pick id → the key set its thread lives under (posted() finds it)
        self._call(lambda: self.client.login(handle, app_password, fetch_bsky_profile=False), "sign in")
        # Without the profile lookup the SDK keeps the DID only in its session: handle:::did:::access:::refresh:::pds
        self.did = self.client.export_session_string().split(":::")[1]

    def did_of(self, handle: str) -> str | None:
        """A handle's DID, None when it does not resolve (its mention then stays plain text)."""
        if handle not in self._dids:
            try:
                answer = self._call(
                    lambda: self.client.com.atproto.identity.resolve_handle({"handle": handle}),
                    f"resolve @{handle}",
                    missing=UNRESOLVED,
                )
                self._dids[handle] = answer.did
            except _Missing:
                self._dids[handle] = None  # a refused sign-in, a rate limit or a dropped link stop the run instead
        return self._dids[handle]

    def posted(self, pick: Pick, page: str, texts: list[str]) -> list[tuple[str, str]]:
        """(uri, cid) of the thread's posts already in the repository, in order, up to the first one missing.
        A record under a key counts only if it says it is this pick's: the first links the pick's page in its
        card, each next one replies to that first post."""
        for attempt in range(ATTEMPTS):
            found, held = self._thread_at(pick, page, len(texts), attempt)
            if not held:
                self._attempts[pick.id] = attempt
                return found
        raise SkipPick(f"the record keys of its first post are held by other posts in {ATTEMPTS} key sets")

    def _thread_at(self, pick: Pick, page: str, count: int, attempt: int) -> tuple[list[tuple[str, str]], bool]:
        """The pick's posts under one key set, and whether its first key holds another post."""
        found: list[tuple[str, str]] = []
        for number in range(count):
            key = post_key(pick, number, attempt)
            try:
                record = self._call(
                    lambda key=key: self.client.com.atproto.repo.get_record(
                        {"repo": self.did, "collection": POST, "rkey": key}
                    ),
                    "read the thread",
                    missing=("RecordNotFound",),
                )
            except _Missing:
                break
            if not belongs(record.value, page, found[0][0] if found else None):
                if number == 0:
                    return [], True
                raise SkipPick(f"the record key {key} of its post {number + 1} holds another post ({record.uri})")
            found.append((record.uri, record.cid))
        return found, False

    def complete(self, pick: Pick, page: str, texts: list[str], refs: list[tuple[str, str]], language: str) -> None:
        """Post what the thread lacks after ``refs`` (what ``posted`` found): replies with root and parent
        references, the first with a link card; text and facets from ``rich_text`` (links shown short),
        handles resolved through ``did_of``."""
        for number in range(len(refs), len(texts)):
            shown, facets = self.rich_text(texts[number], self.did_of)
            record: dict = {
                "$type": POST,
                "text": shown,
                "createdAt": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
                "langs": [language],
            }
            if facets:
                record["facets"] = facets
            if number == 0:
                record["embed"] = {
                    "$type": "app.bsky.embed.external",
                    "external": {"uri": page, "title": pick.title, "description": pick.summary[:300]},
                }
            else:
                root, parent = refs[0], refs[-1]
                record["reply"] = {
                    "root": {"uri": root[0], "cid": root[1]},
                    "parent": {"uri": parent[0], "cid": parent[1]},
                }
            created = self._call(
                lambda number=number, record=record: self.client.com.atproto.repo.create_record(
                    {
                        "repo": self.did,
                        "collection": POST,
                        "rkey": post_key(pick, number, self._attempts.get(pick.id, 0)),
                        "record": record,
                    }
                ),
                "post",
                write=True,
            )
            refs.append((created.uri, created.cid))

    def _call(self, request, what: str, *, write: bool = False, missing: tuple[str, ...] = ()):
        """One XRPC request; a 400 whose error code is in ``missing`` raises _Missing, any other failure one line."""
        self.requests += 1
        try:
            result = request()
        except UnauthorizedError:
            raise AnnounceError(
                f"{self.pds} refused to {what} (HTTP 401): check PICKS_BLUESKY_HANDLE and PICKS_BLUESKY_APP_PASSWORD"
            ) from None
        except RateLimitExceededError as error:
            reset = error.response.headers.get("ratelimit-reset", "")  # epoch seconds (docs.bsky.app "Rate Limits")
            known = reset.isascii() and reset.isdigit()
            when = f"after {datetime.fromtimestamp(int(reset), UTC):%H:%M UTC}" if known else "later"
            raise AnnounceError(
                f"{self.pds} rate-limited this account (HTTP 429): run again {when}; "
                "the next run completes what is missing"
            ) from None
        except BadRequestError as error:
            code = getattr(getattr(error.response, "content", None), "error", "")
            if code in missing:
                raise _Missing from None
            raise AnnounceError(f"{self.pds} could not {what}: {error}") from None
        except (NetworkError, httpx.TransportError) as error:
            # A connection dropped mid-request reaches here as httpx's own error, not the SDK's (atproto #3718).
            raise AnnounceError(f"cannot reach {self.pds} to {what} ({error.__class__.__name__})") from None
        except RequestErrorBase as error:
            raise AnnounceError(f"{self.pds} could not {what}: HTTP {error}") from None
        if write:
            self.writes += 1
        return result


def belongs(value: object, page: str, root: str | None) -> bool:
    """Whether a post record is a post of the pick whose page is ``page``: the first (``root`` None) carries the
    page in its link card, every later one replies within the thread of ``root``."""
    data = value.model_dump(by_alias=True) if hasattr(value, "model_dump") else value
    if not isinstance(data, dict):
        return False
    if root is None:
        external = (data.get("embed") or {}).get("external") or {}
        return external.get("uri") == page
    return ((data.get("reply") or {}).get("root") or {}).get("uri") == root


class _Missing(Exception):
    """getRecord said RecordNotFound: the post is not there yet."""
