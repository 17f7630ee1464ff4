"""A Mastodon account through Mastodon.py: its own recent statuses, and threads posted once, resumed if cut short."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import lxml.html
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonNetworkError,
    MastodonRatelimitError,
    MastodonUnauthorizedError,
)

from ..core.model import Pick
from .announcing import AnnounceError

PAGES = 5  # of 40 statuses: how far back the account is read for threads already posted
TIMEOUT = 30


@dataclass
class Thread:
    """A pick's thread on the account: the ids of the posts already there, first to last."""

    ids: list[str] = field(default_factory=list)


_MENTION = re.compile(r"@\S+")
_BREAK = re.compile(r"<br\s*/?>|</p>", re.IGNORECASE)


def comparable(text: str) -> str:
    """Text as both sides can compare it: Mastodon shows a remote mention as @user (its host dropped), and turns
    line breaks and paragraphs into markup, so mentions and runs of whitespace are left out."""
    return " ".join(_MENTION.sub(" ", text).split())


def shown(content: str) -> str:
    """A status's HTML content (Mastodon's own rendering of the text posted) as comparable text."""
    return comparable(lxml.html.fromstring(f"<div>{_BREAK.sub(' ', content)}</div>").text_content())


class MastodonAccount:
    """The account behind PICKS_MASTODON_TOKEN on PICKS_MASTODON_URL. Counts its requests and writes."""

    def __init__(self, base_url: str, token: str) -> None:
        # "throw": a 429 stops the run with what is left (Mastodon.py would otherwise sleep until the reset).
        self.api = Mastodon(
            access_token=token,
            api_base_url=base_url,
            ratelimit_method="throw",
            version_check_mode="none",
            request_timeout=TIMEOUT,
        )
        self.base_url = base_url
        self.requests = 0
        self.writes = 0
        self._recent: list | None = None

    def recent(self) -> list:
        """The account's own latest statuses, newest first (replies included), read once per run."""
        if self._recent is None:
            me = self._call(self.api.account_verify_credentials)
            page = self._call(lambda: self.api.account_statuses(me["id"], limit=40))
            found = list(page)
            for _ in range(PAGES - 1):
                if len(page) < 40 or (page := self._call(lambda page=page: self.api.fetch_next(page))) is None:
                    break  # a short page is the last: the server said so by not filling it
                found += list(page)
            self._recent = found
        return self._recent

    def posted(self, pick: Pick, page: str, texts: list[str]) -> list[str]:
        """The ids of the pick's posts already on the account, first to last (at most ``len(texts)``)."""
        return self.thread(texts[0]).ids[: len(texts)]

    def thread(self, first_text: str) -> Thread:
        """The pick's thread as far as it got: its first post is the one whose text is the pick's first post (not
        any post that links the pick's page: an earlier pick may link a later one), each next one replies."""
        statuses = sorted(self.recent(), key=lambda s: int(s["id"]))
        wanted = comparable(first_text)
        first = next((s for s in statuses if s["in_reply_to_id"] is None and shown(s["content"]) == wanted), None)
        if first is None:
            return Thread()
        ids = [str(first["id"])]
        while reply := next((s for s in statuses if str(s["in_reply_to_id"] or "") == ids[-1]), None):
            ids.append(str(reply["id"]))
        return Thread(ids)

    def complete(self, pick: Pick, page: str, texts: list[str], ids: list[str], language: str) -> None:
        """Post what the thread lacks after ``ids`` (what ``posted`` found), each as a reply to the one before,
        each with an Idempotency-Key so that a retried request within the server's hour is not a second post."""
        key, ids = pick.id, list(ids)
        for number in range(len(ids), len(texts)):
            reply_to = ids[-1] if ids else None
            status = self._call(
                lambda number=number, reply_to=reply_to: self.api.status_post(
                    texts[number],
                    in_reply_to_id=reply_to,
                    language=language,
                    visibility="public",
                    idempotency_key=f"daily-picks:{key}:{number + 1}/{len(texts)}",
                ),
                write=True,
            )
            ids.append(str(status["id"]))

    def _call(self, request, *, write: bool = False):
        self.requests += 1
        try:
            result = request()
        except MastodonUnauthorizedError:
            raise AnnounceError(f"{self.base_url} refused the token (HTTP 401): check PICKS_MASTODON_TOKEN") from None
        except MastodonRatelimitError:
            reset = self.api.ratelimit_reset  # from X-RateLimit-Reset, when the server sent it
            when = datetime.fromtimestamp(reset, UTC).strftime("%H:%M UTC") if reset else "a few minutes"
            raise AnnounceError(
                f"{self.base_url} rate-limited this account (HTTP 429): run again after {when}; "
                "the next run completes what is missing"
            ) from None
        except MastodonNetworkError as error:
            raise AnnounceError(f"cannot reach {self.base_url} ({error.__class__.__name__})") from None
        except MastodonAPIError as error:
            status = error.args[1] if len(error.args) > 1 else "?"
            raise AnnounceError(f"{self.base_url} answered HTTP {status}: {error.args[-1]}") from None
        if write:
            self.writes += 1
        return result
