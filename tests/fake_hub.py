"""A real HTTP server on 127.0.0.1 answering the Hub's collection endpoints as huggingface_hub's HfApi calls them.

Where each behaviour comes from:
- endpoints and bodies: huggingface_hub ``hf_api.py`` (get_collection, add_collection_item,
  update_collection_item, delete_collection_item) and ``CollectionItem`` (``_id``, ``id``, ``type``,
  ``position``, ``note``);
- 404 for an item the Hub does not have, 409 for one already in the collection: add_collection_item's
  docstring ("HTTP 404 if the item you try to add ... does not exist on the Hub", "HTTP 409 ... already in
  the collection"), and ``exists_ok`` catching the 409;
- new items go to the end: the same docstring ("item got added to the collection on last position");
- positions are stored values, not indices: the collections guide shows ``position=88`` on the first item
  of a 37-item collection, so deletions leave gaps. How the Hub reads ``position`` in an update is not in
  the sources; this fake inserts the item at that stored position, moving every item at or after it one
  down (what the sync relies on is written in ``generator/sources/hf_sync.py``);
- a note is at most 500 characters: update_collection_item's docstring;
- rate limits: hub-docs ``rate-limits.md`` (a fixed window of requests per 5 minutes per token, 429 when
  exceeded) and the headers huggingface_hub parses (``utils/_http.py``, parse_ratelimit_headers:
  ``RateLimit: "api";r=<left>;t=<reset s>`` and ``RateLimit-Policy: "fixed window";"api";q=<n>;w=300``);
- a token with read access only answers 403 to a write: add_collection_item's docstring ("HTTP 403 if you only
  have read-only access");
- a private collection answers 404 to an anonymous caller, as the Hub does for private repositories
  (``hf_raise_for_status``: "the repo ... is private and you are not authenticated").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from conftest import JsonServiceHandler, serve_on_localhost

_COLLECTION = re.compile(r"^/api/collections/([^/]+/[^/]+?)(/items(?:/([^/]+))?)?$")
WINDOW = 300  # seconds: the Hub's rate-limit window


@dataclass
class FakeHub:
    """Collections in memory: ``items[slug]`` is a list of item dicts with stored positions."""

    token: str = "hf_test_token"
    # add_collection_item's docstring: "HTTP 403 if you only have read-only access to the repo" (a `read` token)
    read_only_token: str = "hf_read_only_token"
    items: dict[str, list[dict]] = field(default_factory=dict)
    papers: set[str] = field(default_factory=set)  # the arXiv ids the Hub has a paper page for
    private: set[str] = field(default_factory=set)
    quota: int = 1000  # requests per window for this token (a free account's order of magnitude)
    requests: int = 0  # in the current window
    writes: int = 0
    url: str = ""
    _ids: int = 0

    def add(
        self, slug: str, item_id: str, item_type: str = "paper", note: str | None = None, published: str | None = None
    ) -> dict:
        self._ids += 1
        items = self.items.setdefault(slug, [])
        position = max((i["position"] for i in items), default=-1) + 1  # at the end
        item = {"_id": f"{self._ids:024x}", "id": item_id, "type": item_type, "position": position}
        if note is not None:
            item["note"] = {"text": note, "html": note}
        if published is not None:  # a paper item carries the paper page's date, as the collection page shows it
            item["publishedAt"] = published
        items.append(item)
        return item

    def order(self, slug: str) -> list[str]:
        return [item["id"] for item in self._sorted(slug)]

    def _sorted(self, slug: str) -> list[dict]:
        return sorted(self.items[slug], key=lambda item: item["position"])

    def new_window(self) -> None:
        self.requests = 0

    def collection(self, slug: str) -> dict:
        owner = slug.split("/")[0]
        return {
            "slug": slug,
            "title": "Daily Picks",
            "owner": {"name": owner, "type": "user"},
            "items": self._sorted(slug),
            "lastUpdated": "2024-05-01T00:00:00.000Z",
            "position": 0,
            "private": slug in self.private,
            "theme": "indigo",
            "upvotes": 0,
            "description": "Test collection",
        }


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonServiceHandler):
        def _reply(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            left = max(hub.quota - hub.requests, 0)
            limits = {
                "RateLimit": f'"api";r={left};t={WINDOW}',
                "RateLimit-Policy": f'"fixed window";"api";q={hub.quota};w={WINDOW}',
            }
            self.send_json(status, body, limits | (headers or {}))

        def _authorized(self) -> bool:
            return self.headers.get("authorization") in (f"Bearer {hub.token}", f"Bearer {hub.read_only_token}")

        def _admit(self) -> bool:
            """Every request counts against the window, whatever its answer."""
            hub.requests += 1
            if hub.requests > hub.quota:
                self._reply(429, {"error": "You have been rate-limited"}, {"Retry-After": str(WINDOW)})
                return False
            if self.headers.get("authorization") and not self._authorized():
                self._reply(401, {"error": "Invalid credentials in Authorization header"})
                return False
            return True

        def _route(self) -> tuple[str, str | None] | None:
            match = _COLLECTION.match(self.path.split("?")[0])
            if not match or match[1] not in hub.items or match[1] in hub.private and not self._authorized():
                self._reply(404, {"error": "Collection not found"})
                return None
            return match[1], match[3]

        def _writable(self) -> bool:
            if not self._authorized():
                self._reply(401, {"error": "Invalid credentials in Authorization header"})
                return False
            if self.headers.get("authorization") == f"Bearer {hub.read_only_token}":
                self._reply(403, {"error": "You don't have the rights to modify this collection"})
                return False
            return True

        def _body(self) -> dict:
            return json.loads(self.read_body() or b"{}")

        def do_GET(self) -> None:  # noqa: N802
            if self._admit() and (route := self._route()):
                self._reply(200, hub.collection(route[0]))

        def do_POST(self) -> None:  # noqa: N802
            if not self._admit() or not (route := self._route()) or not self._writable():
                return
            body, slug = self._body(), route[0]
            item_id, item_type = body["item"]["id"], body["item"]["type"]
            if item_type == "paper" and item_id not in hub.papers:
                return self._reply(404, {"error": f"Paper {item_id} not found"})
            if any(i["id"] == item_id and i["type"] == item_type for i in hub.items[slug]):
                return self._reply(409, {"error": "Item already exists in collection"})
            if len(body.get("note") or "") > 500:
                return self._reply(400, {"error": "Note is too long (500 characters at most)"})
            hub.writes += 1
            hub.add(slug, item_id, item_type, body.get("note"))
            self._reply(200, hub.collection(slug))

        def _item(self, slug: str, object_id: str | None) -> dict | None:
            found = next((i for i in hub.items[slug] if i["_id"] == object_id), None)
            if found is None:
                self._reply(404, {"error": "Item not found"})
            return found

        def do_PATCH(self) -> None:  # noqa: N802
            if not self._admit() or not (route := self._route()) or not self._writable():
                return
            slug, object_id = route
            if (item := self._item(slug, object_id)) is None:
                return
            body = self._body()
            if len(body.get("note") or "") > 500:
                return self._reply(400, {"error": "Note is too long (500 characters at most)"})
            hub.writes += 1
            if body.get("note") is not None:
                item["note"] = {"text": body["note"], "html": body["note"]}
            if body.get("position") is not None:
                position = body["position"]
                for other in hub.items[slug]:
                    if other is not item and other["position"] >= position:
                        other["position"] += 1
                item["position"] = position
            self._reply(200, {"success": True})

        def do_DELETE(self) -> None:  # noqa: N802
            if not self._admit() or not (route := self._route()) or not self._writable():
                return
            slug, object_id = route
            if (item := self._item(slug, object_id)) is None:
                return
            hub.writes += 1
            hub.items[slug].remove(item)  # the others keep their positions: a gap remains
            self._reply(200, {"success": True})

    return Handler


def serve_hub(hub: FakeHub) -> Iterator[FakeHub]:
    for url in serve_on_localhost(_handler(hub)):
        hub.url = url.rstrip("/")  # HF_ENDPOINT has no trailing slash
        yield hub
