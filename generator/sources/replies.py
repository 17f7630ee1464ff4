"""Public replies to a pick's first posts, read without credentials: Bluesky through an AppView's getPostThread,
Mastodon through a status's context."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime

import requests
from atproto import AtUri

from .. import __version__
from ..core.afterword import TEXT_LIMIT, Reply, Thread
from ..core.model import Pick
from ..core.post_links import BLUESKY_POST, MASTODON_STATUS
from .archives import html_text
from .bluesky_account import ATTEMPTS, POST, belongs, post_key
from .mastodon_account import comparable, shown

APPVIEW = "https://public.api.bsky.app"  # docs.bsky.app "API Hosts and Auth": the public, unauthenticated AppView
TIMEOUT = 10
DEPTH = 6  # reply levels asked for; the page shows one, deeper replies under the reply they descend from
USER_AGENT = f"daily-picks/{__version__} (+https://github.com/daily-picks/daily-picks; picks refresh)"


class FetchError(Exception):
    """A read that failed, said in one line; the cache keeps its last answer."""


class BudgetSpent(FetchError):
    """The run's requests are spent: what is left waits for the next run, with no warning."""


class Reader:
    """GETs JSON with one time-out, counting requests against a budget shared by every source of a run, at
    most one request every ``spacing`` seconds (a service's documented rate, e.g. OpenAlex's 10 a second)."""

    def __init__(
        self,
        budget: int,
        spacing: float = 0.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.budget, self.spacing, self.sleep, self.clock = budget, spacing, sleep, clock
        self.requests = 0
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self._last: float | None = None

    @property
    def spent(self) -> bool:
        return self.requests >= self.budget

    def get(self, url: str, params: dict[str, str] | None = None, missing: tuple[int, ...] = ()) -> dict | list | None:
        """The JSON answer; None for a status in ``missing``; FetchError for anything else that is not 200."""
        if self.spent:
            raise BudgetSpent("the run's request budget is spent")
        if self._last is not None and (wait := self.spacing - (self.clock() - self._last)) > 0:
            self.sleep(wait)
        self.requests += 1
        self._last = self.clock()
        try:
            response = self.session.get(url, params=params, timeout=TIMEOUT)
        except requests.RequestException as exc:
            raise FetchError(f"{url}: {type(exc).__name__}") from None
        if response.status_code in missing:
            return None
        if response.status_code == 429:
            reset = response.headers.get("RateLimit-Reset") or response.headers.get("X-RateLimit-Reset") or "later"
            raise FetchError(f"{url}: HTTP 429 rate-limited (reset: {reset})")
        if response.status_code != 200:
            raise FetchError(f"{url}: HTTP {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise FetchError(f"{url}: not JSON") from None


class Bluesky:
    """The account named in config (``announce.bluesky_handle``) on a public AppView (``PICKS_BLUESKY_APPVIEW``)."""

    def __init__(self, reader: Reader, handle: str) -> None:
        self.reader, self.handle = reader, handle.removeprefix("@")
        self.base = (os.environ.get("PICKS_BLUESKY_APPVIEW") or APPVIEW).rstrip("/")
        self._did: str | None = None

    def _xrpc(self, method: str, params: dict[str, str], missing: tuple[int, ...] = ()) -> dict | None:
        found = self.reader.get(f"{self.base}/xrpc/{method}", params, missing)
        return found if isinstance(found, dict) or found is None else None

    @property
    def did(self) -> str:
        if self._did is None:
            answer = self._xrpc("com.atproto.identity.resolveHandle", {"handle": self.handle}) or {}
            if not isinstance(answer.get("did"), str):
                raise FetchError(f"{self.handle} does not resolve")
            self._did = answer["did"]
        return self._did

    def thread(self, pick: Pick, page: str, linked: list[str]) -> Thread | None:
        """The pick's first post and its replies: a post linked in front matter, else the record at the keys
        ``picks announce`` derives whose card links the pick's page; None when the pick was never announced."""
        for uri in filter(None, (self._uri(url) for url in linked)):
            if view := self._view(uri):
                return self._thread(uri, view)
        for attempt in range(ATTEMPTS):
            uri = f"at://{self.did}/{POST}/{post_key(pick, 0, attempt)}"
            view = self._view(uri)
            if view is None:
                return None  # announce moves to the next key set only past a first key another post holds
            if belongs(view["post"].get("record"), page, None):
                return self._thread(uri, view)
        return None

    def cost(self, linked: list[str]) -> int:
        """The most requests ``thread`` can take: each linked post (its handle resolved, then read), the
        account's DID once a run, then every key set ``picks announce`` may have used."""
        posts = [found for url in linked if (found := BLUESKY_POST.match(url))]
        by_handle = sum(1 for post in posts if not post["actor"].startswith("did:"))
        return len(posts) + by_handle + (self._did is None) + ATTEMPTS

    def _view(self, uri: str) -> dict | None:
        # getPostThread answers 400 NotFound for a post that is not there (lexicons/app/bsky/feed/getPostThread).
        params = {"uri": uri, "depth": str(DEPTH), "parentHeight": "0"}
        answer = self._xrpc("app.bsky.feed.getPostThread", params, missing=(400,)) or {}
        view = answer.get("thread") or {}
        if view.get("$type") != "app.bsky.feed.defs#threadViewPost":
            return None
        # The gate's hidden replies: on the output (newer AppViews) or on the post's view (postView.threadgate).
        gates = [answer.get("threadgate") or {}, view["post"].get("threadgate") or {}]
        view["hidden"] = {uri for gate in gates for uri in (gate.get("record") or {}).get("hiddenReplies") or []}
        return view

    def _thread(self, uri: str, view: dict) -> Thread:
        post = view["post"]
        return Thread("bluesky", uri, _bsky_url(post), list(self._replies(view, post["author"]["did"], view["hidden"])))

    def _uri(self, url: str) -> str | None:
        found = BLUESKY_POST.match(url)
        if not found:
            return None
        actor = found["actor"]
        if not actor.startswith("did:"):
            # resolveHandle answers 400 InvalidRequest for a handle it cannot resolve: that link leads nowhere.
            actor = (self._xrpc("com.atproto.identity.resolveHandle", {"handle": actor}, missing=(400,)) or {}).get(
                "did", ""
            )
        return f"at://{actor}/{POST}/{found['rkey']}" if actor else None

    def _replies(self, view: dict, own: str, hidden: set[str], parent: str | None = None):
        for child in view.get("replies") or []:
            # notFoundPost and blockedPost (app.bsky.feed.defs) are skipped, as are posts a label hides.
            if child.get("$type") != "app.bsky.feed.defs#threadViewPost":
                continue
            post = child["post"]
            labels = {label.get("val") for label in post.get("labels") or []}
            if post["uri"] in hidden or labels & {"!hide", "!takedown", "!warn"}:
                continue
            author = post["author"]
            if author["did"] != own:  # the account's own thread posts are the pick, not replies
                record = post.get("record") or {}
                yield Reply(
                    "bluesky",
                    post["uri"],
                    _bsky_url(post),
                    str(author.get("displayName") or author["handle"])[:200],
                    "@" + str(author["handle"]),
                    _utc(record.get("createdAt") or post.get("indexedAt")),
                    str(record.get("text") or "")[:TEXT_LIMIT],
                    parent,
                )
            yield from self._replies(child, own, hidden, post["uri"] if author["did"] != own else parent)


def _bsky_url(post: dict) -> str:
    return f"https://bsky.app/profile/{post['author']['handle']}/post/{AtUri.from_str(post['uri']).rkey}"


def _utc(stamp: object) -> str:
    try:
        return datetime.fromisoformat(str(stamp)).astimezone(UTC).isoformat()
    except ValueError:
        return ""


class Mastodon:
    """The account named in config (``announce.mastodon_account``) on ``PICKS_MASTODON_URL`` or its own server."""

    PAGES = 5  # of 40 statuses: as far back as picks announce looks

    def __init__(self, reader: Reader, account: str) -> None:
        self.reader = reader
        user, _, host = account.removeprefix("@").partition("@")
        self.user = user
        self.base = (os.environ.get("PICKS_MASTODON_URL") or f"https://{host}").rstrip("/")
        self._by_text: dict[str, dict] | None = None
        self._id: str | None = None

    def _account_id(self) -> str:
        if self._id is None:
            # methods/accounts.md#lookup: 404 Record not found for an account the server does not know.
            account = self.reader.get(f"{self.base}/api/v1/accounts/lookup", {"acct": self.user}, missing=(404,))
            if not isinstance(account, dict):
                raise FetchError(f"{self.base}: no account {self.user}")
            self._id = str(account["id"])
        return self._id

    def _first_posts(self) -> dict[str, dict]:
        """The account's statuses that may open a thread, by their text as a reader sees it (the newest of the
        same text first), read once a run: a reply of the account's, to someone or in its own thread, never does."""
        if self._by_text is None:
            by_text: dict[str, dict] = {}
            params = {"limit": "40"}
            for _ in range(self.PAGES):
                page = self.reader.get(f"{self.base}/api/v1/accounts/{self._account_id()}/statuses", params)
                if not isinstance(page, list) or not page:
                    break
                for status in page:
                    if not status.get("in_reply_to_id"):
                        by_text.setdefault(shown(status["content"]), status)
                if len(page) < 40:
                    break
                params = {"limit": "40", "max_id": str(page[-1]["id"])}
            self._by_text = by_text  # only once every page is read: a run that failed midway reads them again
        return self._by_text

    def cost(self, linked: list[str]) -> int:
        """The most requests ``thread`` can take: the context, after the account's statuses once a run unless
        the post is linked."""
        lookup = self._id is None
        if _status_id(linked) is not None:
            return lookup + 1
        return lookup + (0 if self._by_text is not None else self.PAGES) + 1

    def thread(self, first_text: str, linked: list[str]) -> Thread | None:
        """The pick's first post (the account's status whose text is the pick's first post, or a status linked
        in front matter) and the public replies to it."""
        status_id = _status_id(linked)
        if status_id is None:
            found = self._first_posts().get(comparable(first_text))
            if found is None:
                return None
            status_id, uri, url = str(found["id"]), str(found["uri"]), found.get("url")
        else:
            uri, url = f"{self.base}/statuses/{status_id}", linked[0]
        context = self.reader.get(f"{self.base}/api/v1/statuses/{status_id}/context", missing=(404,))
        if not isinstance(context, dict):
            return None
        own = self._account_id()  # the account's own thread posts are the pick, not replies
        descendants = context.get("descendants") or []
        # A reply to the first post or to the account's own thread posts is a top-level reply, as on Bluesky.
        others = {str(s["id"]): str(s["uri"]) for s in descendants if str(s["account"]["id"]) != own}
        replies = []
        for reply in descendants:
            # Anonymous reads list public and unlisted statuses only (methods/statuses.md#context); checked again
            # so that a server answering otherwise never puts a followers-only reply on a public page.
            if str(reply["account"]["id"]) == own or reply.get("visibility") not in ("public", "unlisted"):
                continue
            replies.append(
                Reply(
                    "mastodon",
                    str(reply["uri"]),
                    str(reply.get("url") or reply["uri"]),
                    str(reply["account"].get("display_name") or reply["account"]["acct"])[:200],
                    "@" + str(reply["account"]["acct"]),
                    _utc(reply["created_at"]),
                    html_text(reply.get("content") or "")[:TEXT_LIMIT],
                    others.get(str(reply.get("in_reply_to_id") or "")),
                )
            )
        return Thread("mastodon", uri, str(url or uri), replies)


def _status_id(linked: list[str]) -> str | None:
    return next((found["id"] for url in linked if (found := MASTODON_STATUS.match(url))), None)
