"""A real HTTP server on 127.0.0.1 answering the Mastodon endpoints Mastodon.py calls to post a thread.

Where each behaviour comes from (mastodon/documentation, content/en/...):
- methods/accounts.md: GET /api/v1/accounts/verify_credentials (401 "The access token is invalid"),
  GET /api/v1/accounts/:id/statuses (newest first, at most 40, older pages through the Link header, max_id);
- methods/statuses.md: POST /api/v1/statuses with status, in_reply_to_id, language, visibility; the
  Idempotency-Key header (the same key within an hour gives back the same status, no second post: keys are
  kept "for up to 1 hour"); a status without visibility gets the account's default (accounts.md,
  CredentialAccount source[privacy]; this account's is unlisted); 422
  "Validation failed: Text character limit of 500 exceeded";
- methods/accounts.md#lookup: GET /api/v1/accounts/lookup?acct= → the Account, 404 "Record not found";
  public reads (lookup, an account's statuses) need no token, and without one only public and unlisted
  statuses are listed (methods/accounts.md#statuses: "Public" in its OAuth column);
- methods/statuses.md#context: GET /api/v1/statuses/:id/context → {ancestors, descendants}, descendants in
  thread order; public without a token (only public and unlisted statuses shown); an unknown id is 404;
- entities/Status.md: the fields a status carries (id as a string, content as HTML, in_reply_to_id...);
- api/rate-limits.md: X-RateLimit-Limit / -Remaining / -Reset (ISO 8601) on every answer, 429 past the limit;
- a 503 when the server is overloaded, as a reverse proxy in front of Mastodon answers.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from conftest import JsonServiceHandler, serve_on_localhost

_URL = re.compile(r"https?://\S+")
LIMIT = 500
PUBLIC_READS = ("/api/v1/accounts/lookup", "/api/v1/accounts/109/statuses", "/api/v1/statuses/")


@dataclass
class FakeMastodon:
    token: str = "mastodon_test_token"
    statuses: list[dict] = field(default_factory=list)  # oldest first
    others: list[dict] = field(default_factory=list)  # other accounts' statuses (replies), see reply_from
    keys: dict[str, dict] = field(default_factory=dict)  # Idempotency-Key → the status it made
    default_visibility: str = "unlisted"  # the account's own setting (source[privacy])
    quota: int = 300  # requests per window
    requests: int = 0
    fail_after_posts: int | None = None  # answer 503 to the post after this many
    rate_headers: bool = True  # a proxy in front of Mastodon may strip them
    stall: float = 0.0  # seconds before any answer, as an overloaded server keeps a client waiting
    # Anonymous reads see public and unlisted statuses only (methods/statuses.md#context); False stands for a
    # server that answers otherwise (a fork, a proxy caching an authenticated answer).
    filters_anonymous: bool = True
    posts: int = 0
    url: str = ""

    def account(self) -> dict:
        return {
            "id": "109",
            "username": "picks",
            "acct": "picks",
            "display_name": "Daily Picks",
            "url": f"{self.url}/@picks",
        }

    def an_hour_passes(self) -> None:
        """Idempotency keys are kept for an hour: after that the same key makes a new status."""
        self.keys.clear()

    def text_of(self, status: dict) -> str:
        return status["_text"]

    def add(self, text: str, reply_to: str | None = None, visibility: str | None = None, language: str | None = None):
        """A status on the account, as POST /api/v1/statuses makes it (entities/Status.md)."""
        number = 110000000000000000 + len(self.statuses) + 1
        status = {
            "id": str(number),
            "created_at": "2024-04-12T07:00:00.000Z",
            "in_reply_to_id": reply_to or None,
            "in_reply_to_account_id": "109" if reply_to else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": visibility or self.default_visibility,
            "language": language,
            "uri": f"{self.url}/users/picks/statuses/{number}",
            "url": f"{self.url}/@picks/{number}",
            "content": _content(text),
            "account": self.account(),
            "media_attachments": [],
            "mentions": [],
            "tags": [],
            "emojis": [],
            "_text": text,
        }
        self.statuses.append(status)
        return status

    def reply_from(self, acct: str, name: str, text: str, reply_to: str, visibility: str = "public") -> dict:
        """Another account's reply, as the context of the status it answers lists it (entities/Status.md)."""
        number = 120000000000000000 + len(self.others) + 1
        status = {
            "id": str(number),
            "created_at": f"2024-04-12T09:{len(self.others):02d}:00.000Z",
            "in_reply_to_id": reply_to,
            "in_reply_to_account_id": "109",
            "visibility": visibility,
            "uri": f"https://other.example/users/{acct}/statuses/{number}",
            "url": f"https://other.example/@{acct}/{number}",
            "content": _content(text),
            "account": {
                "id": str(200 + len(self.others)),
                "username": acct,
                "acct": f"{acct}@other.example",
                "display_name": name,
                "url": f"https://other.example/@{acct}",
            },
            "mentions": [],
            "tags": [],
            "_text": text,
        }
        self.others.append(status)
        return status


def _content(text: str) -> str:
    """Plain text as Mastodon renders it: escaped, links made anchors, paragraphs and line breaks kept."""

    def link(found: re.Match[str]) -> str:
        return f'<a href="{found.group()}" rel="nofollow noopener" target="_blank">{found.group()}</a>'

    paragraphs = [_URL.sub(link, html.escape(part, quote=False)).replace("\n", "<br />") for part in text.split("\n\n")]
    return "".join(f"<p>{part}</p>" for part in paragraphs) if text else ""  # a status of media alone: ""


def _handler(server: FakeMastodon) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonServiceHandler):
        def _reply(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            limits = {
                "X-RateLimit-Limit": str(server.quota),
                "X-RateLimit-Remaining": str(max(server.quota - server.requests, 0)),
                "X-RateLimit-Reset": "2099-01-01T00:05:00.000Z",
            }
            self.send_json(status, body, (limits if server.rate_headers else {}) | (headers or {}))

        def _admitted(self) -> bool:
            time.sleep(server.stall)
            server.requests += 1
            if server.requests > server.quota:
                self._reply(429, {"error": "Too many requests"})
                return False
            public = (
                self.command == "GET"
                and "Authorization" not in self.headers
                and self.path.startswith(
                    ("/api/v1/accounts/lookup", "/api/v1/accounts/109/statuses", "/api/v1/statuses/")
                )
            )
            if not public and self.headers.get("Authorization") != f"Bearer {server.token}":
                self._reply(401, {"error": "The access token is invalid"})
                return False
            return True

        def do_GET(self) -> None:  # noqa: N802
            if not self._admitted():
                return
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path == "/api/v1/accounts/verify_credentials":
                return self._reply(200, server.account())
            if parts.path.startswith("/api/v1/statuses/") and parts.path.endswith("/context"):
                return self._context(parts.path.split("/")[4])
            if parts.path == "/api/v1/accounts/lookup":
                if query.get("acct", [""])[0].lstrip("@") not in ("picks", f"picks@{urlsplit(server.url).netloc}"):
                    return self._reply(404, {"error": "Record not found"})
                return self._reply(200, server.account())
            if parts.path == "/api/v1/accounts/109/statuses":
                # methods/accounts.md#statuses lists these parameters; one the fake does not implement is refused
                # (a 400 of our own, so a client sending it fails a test instead of being answered as if heard).
                if unknown := set(query) - {"max_id", "limit", "exclude_replies", "exclude_reblogs"}:
                    return self._reply(400, {"error": f"the fake does not implement {sorted(unknown)}"})
                newest_first = list(reversed(server.statuses))
                if "Authorization" not in self.headers:
                    newest_first = [s for s in newest_first if s["visibility"] in ("public", "unlisted")]
                if query.get("exclude_replies", ["false"])[0] in ("true", "1"):  # Mastodon.py sends booleans as 1/0
                    newest_first = [s for s in newest_first if s["in_reply_to_id"] is None]
                if "max_id" in query:
                    newest_first = [s for s in newest_first if int(s["id"]) < int(query["max_id"][0])]
                limit = min(int(query.get("limit", ["20"])[0]), 40)
                page = newest_first[:limit]
                headers = {}
                if len(newest_first) > limit:
                    headers["Link"] = f'<{server.url}{parts.path}?limit={limit}&max_id={page[-1]["id"]}>; rel="next"'
                return self._reply(200, [{k: v for k, v in s.items() if k != "_text"} for s in page], headers)
            self._reply(404, {"error": "Record not found"})

        def _context(self, status_id: str) -> None:
            if not any(s["id"] == status_id for s in server.statuses + server.others):
                return self._reply(404, {"error": "Record not found"})
            everyone = server.statuses + server.others
            descendants, frontier = [], [status_id]
            while frontier:
                parent = frontier.pop(0)
                for status in everyone:
                    if status["in_reply_to_id"] == parent:
                        descendants.append(status)
                        frontier.append(status["id"])
            if "Authorization" not in self.headers and server.filters_anonymous:
                descendants = [s for s in descendants if s["visibility"] in ("public", "unlisted")]
            shown = [{k: v for k, v in s.items() if k != "_text"} for s in descendants]
            self._reply(200, {"ancestors": [], "descendants": shown})

        def do_POST(self) -> None:  # noqa: N802
            if not self._admitted():
                return
            if urlsplit(self.path).path != "/api/v1/statuses":
                return self._reply(404, {"error": "Record not found"})
            raw = self.read_body().decode()
            if self.headers.get("Content-Type", "").startswith("application/json"):
                body = json.loads(raw or "{}")
            else:
                body = {k: v[0] for k, v in parse_qs(raw).items()}
            key = self.headers.get("Idempotency-Key")
            if key and key in server.keys:
                return self._reply(200, {k: v for k, v in server.keys[key].items() if k != "_text"})
            if server.fail_after_posts is not None and server.posts >= server.fail_after_posts:
                server.fail_after_posts = None
                return self._reply(503, {"error": "Mastodon is over capacity, try again in a minute"})
            text = body.get("status", "")
            counted = len(_URL.sub("x" * 23, text))  # every link counts as 23 characters
            if counted > LIMIT:
                return self._reply(422, {"error": f"Validation failed: Text character limit of {LIMIT} exceeded"})
            status = server.add(text, body.get("in_reply_to_id"), body.get("visibility"), body.get("language"))
            server.posts += 1
            if key:
                server.keys[key] = status
            self._reply(200, {k: v for k, v in status.items() if k != "_text"})

    return Handler


def serve_mastodon(server: FakeMastodon) -> Iterator[FakeMastodon]:
    for url in serve_on_localhost(_handler(server)):
        server.url = url.rstrip("/")
        yield server
