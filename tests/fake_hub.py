"""A real HTTP server on 127.0.0.1 answering the Hub's collection endpoints as huggingface_hub's HfApi calls them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from conftest import serve_on_localhost

_COLLECTION = re.compile(r"^/api/collections/([^/]+/[^/]+?)(/items(?:/([^/]+))?)?$")


@dataclass
class FakeHub:
    """Collections in memory: ``items[slug]`` is a list of item dicts in position order."""

    token: str = "hf_test_token"
    items: dict[str, list[dict]] = field(default_factory=dict)
    writes: int = 0
    fail_after_writes: int | None = None  # answer 429 once this many writes succeeded
    url: str = ""
    _ids: int = 0

    def add(self, slug: str, item_id: str, item_type: str = "paper", note: str | None = None) -> dict:
        self._ids += 1
        item = {"_id": f"{self._ids:024x}", "id": item_id, "type": item_type}
        if note is not None:
            item["note"] = {"text": note, "html": note}
        self.items.setdefault(slug, []).append(item)
        return item

    def order(self, slug: str) -> list[str]:
        return [item["id"] for item in self.items[slug]]

    def collection(self, slug: str) -> dict:
        owner = slug.split("/")[0]
        items = [{**item, "position": position} for position, item in enumerate(self.items[slug])]
        return {
            "slug": slug,
            "title": "Daily Picks",
            "owner": {"name": owner, "type": "user"},
            "items": items,
            "lastUpdated": "2024-05-01T00:00:00.000Z",
            "position": 0,
            "private": False,
            "theme": "indigo",
            "upvotes": 0,
            "description": "Test collection",
        }


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _reply(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _route(self) -> tuple[str, str | None] | None:
            match = _COLLECTION.match(self.path.split("?")[0])
            if not match or match[1] not in hub.items:
                self._reply(404, {"error": "Collection not found"})
                return None
            return match[1], match[3]

        def _writable(self) -> bool:
            if self.headers.get("authorization") != f"Bearer {hub.token}":
                self._reply(401, {"error": "Invalid credentials in Authorization header"})
                return False
            if hub.fail_after_writes is not None and hub.writes >= hub.fail_after_writes:
                hub.fail_after_writes = None  # one burst of rate limiting, then normal again
                self._reply(429, {"error": "You have been rate-limited"}, {"Retry-After": "1"})
                return False
            return True

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def do_GET(self) -> None:  # noqa: N802
            if route := self._route():
                self._reply(200, hub.collection(route[0]))

        def do_POST(self) -> None:  # noqa: N802
            if not (route := self._route()) or not self._writable():
                return
            body, slug = self._body(), route[0]
            if any(i["id"] == body["item"]["id"] and i["type"] == body["item"]["type"] for i in hub.items[slug]):
                return self._reply(409, {"error": "Item already exists in collection"})
            hub.writes += 1
            hub.add(slug, body["item"]["id"], body["item"]["type"], body.get("note"))
            self._reply(200, hub.collection(slug))

        def _item(self, slug: str, object_id: str | None) -> dict | None:
            found = next((i for i in hub.items[slug] if i["_id"] == object_id), None)
            if found is None:
                self._reply(404, {"error": "Item not found"})
            return found

        def do_PATCH(self) -> None:  # noqa: N802
            if not (route := self._route()) or not self._writable():
                return
            slug, object_id = route
            if (item := self._item(slug, object_id)) is None:
                return
            body = self._body()
            hub.writes += 1
            if "note" in body:
                item["note"] = {"text": body["note"], "html": body["note"]}
            if "position" in body:  # the Hub takes the item out and inserts it at the new position
                hub.items[slug].remove(item)
                hub.items[slug].insert(body["position"], item)
            self._reply(200, {"success": True})

        def do_DELETE(self) -> None:  # noqa: N802
            if not (route := self._route()) or not self._writable():
                return
            slug, object_id = route
            if (item := self._item(slug, object_id)) is None:
                return
            hub.writes += 1
            hub.items[slug].remove(item)
            self._reply(200, {"success": True})

    return Handler


def serve_hub(hub: FakeHub) -> Iterator[FakeHub]:
    for url in serve_on_localhost(_handler(hub)):
        hub.url = url.rstrip("/")  # HF_ENDPOINT has no trailing slash
        yield hub
