"""A real HTTP server on 127.0.0.1 answering the public Bluesky AppView reads ``picks refresh`` makes.

Where each behaviour comes from (bluesky-social/atproto, lexicons/...):
- app/bsky/feed/getPostThread.json: ?uri&depth&parentHeight → {thread, threadgate?}; thread is a union of
  app.bsky.feed.defs#threadViewPost {post, replies?}, #notFoundPost {uri, notFound: true} and #blockedPost
  {uri, blocked: true, author}; a post that does not exist is 400 NotFound "Post not found: <uri>";
- app/bsky/feed/defs.json#postView: uri, cid, author (app.bsky.actor.defs#profileViewBasic: did, handle,
  displayName?), record (the app.bsky.feed.post record), indexedAt, labels?;
- app/bsky/feed/threadgate.json: the gate's record holds hiddenReplies, URIs of replies its author hid;
- com/atproto/identity/resolveHandle.json: ?handle → {did}, 400 InvalidRequest "Unable to resolve handle";
- docs.bsky.app "Rate Limits": RateLimit-* headers, 429 RateLimitExceeded past the limit; no session needed
  (docs.bsky.app "API Hosts and Auth": public.api.bsky.app serves unauthenticated reads).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from conftest import JsonServiceHandler, serve_on_localhost

RESET = 4102444800


@dataclass
class FakeAppView:
    handles: dict[str, str] = field(default_factory=dict)  # handle → DID
    posts: dict[str, dict] = field(default_factory=dict)  # at:// URI → postView
    children: dict[str, list[str]] = field(default_factory=dict)  # at:// URI → reply URIs, oldest first
    gone: dict[str, str] = field(default_factory=dict)  # reply URI → "notFound" or "blocked"
    hidden: list[str] = field(default_factory=list)  # the thread's gate: hiddenReplies
    gate_on_post: bool = False  # the gate on the post's view (postView.threadgate) instead of the output's
    quota: int = 3000
    answer_list: bool = False  # answer every read with a JSON list, as a misconfigured proxy might
    agents: list[str] = field(default_factory=list)  # each request's User-Agent
    requests: int = 0
    url: str = ""

    def post(self, did: str, rkey: str, text: str, *, reply_to: str | None = None, **record: object) -> str:
        handle = next((h for h, d in self.handles.items() if d == did), f"{rkey}.example")
        uri = f"at://{did}/app.bsky.feed.post/{rkey}"
        created = record.pop("createdAt", "2024-04-12T08:00:00.000Z")
        indexed = record.pop("indexedAt", created)  # when the AppView saw it: later than createdAt, or the same
        self.posts[uri] = {
            "uri": uri,
            "cid": "bafyrei" + rkey,
            "author": {"did": did, "handle": handle, "displayName": record.pop("name", handle)},
            "record": {"$type": "app.bsky.feed.post", "text": text, "createdAt": created, **record},
            "indexedAt": indexed,
            "labels": record.pop("labels", []),
        }
        if reply_to:
            self.children.setdefault(reply_to, []).append(uri)
        return uri

    def view(self, uri: str, depth: int) -> dict:
        if uri in self.gone:
            kind = self.gone[uri]
            if kind == "blocked":
                return {
                    "$type": "app.bsky.feed.defs#blockedPost",
                    "uri": uri,
                    "blocked": True,
                    "author": {"did": uri.split("/")[2]},
                }
            return {"$type": "app.bsky.feed.defs#notFoundPost", "uri": uri, "notFound": True}
        found = {"$type": "app.bsky.feed.defs#threadViewPost", "post": self.posts[uri]}
        if depth > 0:
            found["replies"] = [self.view(child, depth - 1) for child in self.children.get(uri, [])]
        return found


def _handler(app: FakeAppView) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonServiceHandler):
        def _reply(self, status: int, body: object) -> None:
            limits = {
                "RateLimit-Limit": str(app.quota),
                "RateLimit-Remaining": str(max(app.quota - app.requests, 0)),
                "RateLimit-Reset": str(RESET),
                "RateLimit-Policy": f"{app.quota};w=300",
            }
            self.send_json(status, body, limits)

        def do_GET(self) -> None:  # noqa: N802
            app.requests += 1
            app.agents.append(self.headers.get("User-Agent", ""))
            if app.answer_list:
                return self._reply(200, [{"did": "did:plc:list"}])
            if app.requests > app.quota:
                return self._reply(429, {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"})
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path == "/xrpc/com.atproto.identity.resolveHandle":
                if (did := app.handles.get(query.get("handle", ""))) is None:
                    return self._reply(400, {"error": "InvalidRequest", "message": "Unable to resolve handle"})
                return self._reply(200, {"did": did})
            if parts.path == "/xrpc/app.bsky.feed.getPostThread":
                # The lexicon's parameters: uri, depth and parentHeight, integers 0-1000 (defaults 6 and 80); the
                # XRPC server answers 400 InvalidRequest to a value of the wrong type. A parameter the fake does not
                # know is refused with a 400 of our own, so a client sending one fails a test.
                if unknown := set(query) - {"uri", "depth", "parentHeight"}:
                    return self._reply(400, {"error": "InvalidRequest", "message": f"fake: unknown {sorted(unknown)}"})
                numbers = {k: query.get(k, d) for k, d in (("depth", "6"), ("parentHeight", "80"))}
                if not all(v.isdigit() and int(v) <= 1000 for v in numbers.values()):
                    return self._reply(400, {"error": "InvalidRequest", "message": f"Invalid params: {numbers}"})
                uri = query.get("uri", "")
                if uri not in app.posts or uri in app.gone:
                    return self._reply(400, {"error": "NotFound", "message": f"Post not found: {uri}"})
                body: dict = {"thread": app.view(uri, int(numbers["depth"]))}
                if app.hidden:
                    gate = {
                        "uri": uri.replace("app.bsky.feed.post", "app.bsky.feed.threadgate"),
                        "cid": "bafyreigate",
                        "record": {
                            "$type": "app.bsky.feed.threadgate",
                            "post": uri,
                            "createdAt": "2024-04-12T08:00:00.000Z",
                            "hiddenReplies": app.hidden,
                        },
                        "lists": [],
                    }
                    if app.gate_on_post:
                        body["thread"]["post"] = body["thread"]["post"] | {"threadgate": gate}
                    else:
                        body["threadgate"] = gate
                return self._reply(200, body)
            self._reply(501, {"error": "MethodNotImplemented", "message": "Method Not Implemented"})

    return Handler


def serve_appview(app: FakeAppView) -> Iterator[FakeAppView]:
    for url in serve_on_localhost(_handler(app)):
        app.url = url.rstrip("/")
        yield app
